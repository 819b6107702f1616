//! Unit-test support: a message of the test's own, with a schema and member names of its
//! choosing, and a typed check that accepts everything (so only the schema decides).

use serde_json::Value;

use crate::MessageKind;
use crate::registry::MessageInfo;
use crate::validation::ValidationErrors;

fn accept(_: &[u8]) -> Result<(), ValidationErrors> {
    Ok(())
}

fn canonical(_: &[u8]) -> Result<Value, ValidationErrors> {
    Ok(Value::Null)
}

fn debug(_: &[u8]) -> Result<String, ValidationErrors> {
    Ok(String::new())
}

/// A request message `id` whose bundled schema is `schema` and whose types declare
/// `member_names`.
pub(super) const fn message(
    id: &'static str,
    schema: &'static str,
    member_names: &'static [&'static str],
) -> MessageInfo {
    MessageInfo {
        id,
        endpoint: None,
        kind: MessageKind::Request,
        type_name: "Test",
        schema,
        check: accept,
        check_json: accept,
        canonical,
        debug,
        member_names,
        runtime_types: &[],
        places: &[],
        business_errors: &[],
        own_examples: "",
    }
}
