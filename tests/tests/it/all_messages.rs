//! Every message of every endpoint: it has examples, both validators accept them, the typed
//! value serializes back to JSON that both accept again, and serialization is idempotent.

use klavi_types::diagnostics::validator_for;
use klavi_types::registry;
use serde_json::Value;

#[test]
fn every_endpoint_is_registered() {
    let ids: Vec<&str> = registry::endpoints().iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [
            "generate-access-token",
            "refresh-access-token",
            "create-link",
            "get-institution-list",
            "get-institution-status",
            "create-consent",
            "get-consent",
            "get-consent-list",
            "revoke-consent",
            "request-personal-institution-report",
            "request-personal-user-report",
            "request-business-user-report",
            "request-business-institution-report",
            "get-task-status",
            "submit-mfa",
        ]
    );
    for endpoint in registry::endpoints() {
        assert!(
            endpoint
                .messages
                .iter()
                .any(|m| m.kind == klavi_types::MessageKind::Response),
            "{} has no response",
            endpoint.id
        );
    }
}

#[test]
fn every_example_of_every_message_passes_both_validators_and_round_trips() {
    let mut count = 0;
    for info in registry::messages() {
        let schema: Value = serde_json::from_str(info.schema).expect("JSON");
        let oracle = validator_for(&schema).expect("compiles");
        let examples = info.examples();
        assert!(!examples.is_empty(), "{} has no examples", info.id);
        for example in examples {
            count += 1;
            assert!(
                oracle.is_valid(&example),
                "{}: jsonschema rejects {example}",
                info.id
            );
            let bytes = serde_json::to_vec(&example).unwrap();
            let canonical = (info.canonical)(&bytes)
                .unwrap_or_else(|e| panic!("{}: typed path rejects {example}: {e}", info.id));
            assert!(
                oracle.is_valid(&canonical),
                "{}: canonical {canonical} is invalid",
                info.id
            );
            let again = (info.canonical)(&serde_json::to_vec(&canonical).unwrap()).unwrap();
            assert_eq!(
                again, canonical,
                "{}: serialization is not idempotent",
                info.id
            );
        }
    }
    assert!(count >= 40, "only {count} examples");
    eprintln!("{count} examples checked");
}
