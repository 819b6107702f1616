//! Canaries for the privacy tests: every personal or secret value a schema declares
//! (`format: cpf|cnpj|email`, `x-rust-type: UnverifiedCpf|UnverifiedCnpj`,
//! `x-klavi-personal-data`, `x-klavi-secret`) is replaced in a payload by a unique, recognizable
//! value of its kind, so that a test can look for each one in `Debug` output, error messages
//! and CLI output, and find it again, unchanged, on the wire.
//!
//! The walk follows the schema the way a validator does: `$ref` into `$defs`, `properties`,
//! `additionalProperties`, `items`, and every branch of `anyOf`/`oneOf`/`allOf`. A free-form
//! personal object (a webhook `payload`) has every string inside it replaced.

use klavi_types::tax_id::{Cnpj, Cpf};
use klavi_types::validation::pointer::push_token;
use serde_json::{Map, Value};

/// What a canary stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A CPF (`format: cpf`, `UnverifiedCpf`).
    Cpf,
    /// A CNPJ (`format: cnpj`, `UnverifiedCnpj`), numeric or alphanumeric.
    Cnpj,
    /// An e-mail address.
    Email,
    /// A credential (`x-klavi-secret`): token, key, password, MFA code.
    Secret,
    /// Other personal data (`x-klavi-personal-data`): phone, name, account number, …
    Personal,
}

/// One canary placed in a payload.
#[derive(Clone, Debug)]
pub struct Canary {
    /// JSON Pointer of the value (wire names).
    pub pointer: String,
    /// Its kind.
    pub kind: Kind,
    /// The value placed.
    pub value: String,
}

impl Canary {
    /// Every spelling of the value that must not appear in output: the value itself and, for
    /// tax ids, its punctuated form; for e-mails, the local part.
    pub fn spellings(&self) -> Vec<String> {
        let mut spellings = vec![self.value.clone()];
        match self.kind {
            Kind::Cpf => {
                if let Ok(cpf) = Cpf::parse(&self.value) {
                    spellings.push(cpf.to_formatted_string());
                }
            }
            Kind::Cnpj => {
                if let Ok(cnpj) = Cnpj::parse(&self.value) {
                    spellings.push(cnpj.to_formatted_string());
                }
            }
            Kind::Email => {
                if let Some((local, _)) = self.value.split_once('@') {
                    spellings.push(local.to_owned());
                }
            }
            Kind::Secret | Kind::Personal => {}
        }
        spellings
    }

    /// The first spelling of the canary found in `output`.
    pub fn found_in(&self, output: &str) -> Option<String> {
        self.spellings()
            .into_iter()
            .find(|spelling| output.contains(spelling.as_str()))
    }
}

/// Whether the canaries are values the schema accepts or ones it rejects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    /// Tax ids with correct check digits, well-formed e-mails.
    Valid,
    /// Tax ids with a wrong check digit, e-mails with two `@`: the validators must report
    /// them, without quoting them.
    Invalid,
}

/// Replaces every sensitive value of `value` (an instance of `schema`, a self-contained
/// schema with `$defs`) by a canary; returns the canaries in document order.
pub fn plant(schema: &Value, value: &mut Value, validity: Validity) -> Vec<Canary> {
    let mut planter = Planter {
        root: schema,
        validity,
        planted: Vec::new(),
    };
    planter.walk(schema, value, &mut String::new(), None, 0);
    planter.planted
}

struct Planter<'s> {
    root: &'s Value,
    validity: Validity,
    planted: Vec<Canary>,
}

/// Deeper than any schema here; a guard against recursive definitions.
const MAX_DEPTH: usize = 48;

impl<'s> Planter<'s> {
    fn walk(
        &mut self,
        schema: &'s Value,
        value: &mut Value,
        pointer: &mut String,
        inherited: Option<Kind>,
        depth: usize,
    ) {
        let Some(map) = schema.as_object() else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        let kind = own_kind(map).or(inherited);
        if let Some(target) = map
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| self.resolve(reference))
        {
            self.walk(target, value, pointer, kind, depth + 1);
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            for branch in map
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.walk(branch, value, pointer, kind, depth + 1);
            }
        }
        match value {
            Value::String(text) => {
                if let Some(kind) = kind.filter(|_| !self.is_planted(pointer)) {
                    *text = self.canary(kind, pointer);
                }
            }
            Value::Object(members) => {
                if kind == Some(Kind::Personal) && !map.contains_key("properties") {
                    self.plant_everywhere(members, pointer);
                    return;
                }
                let properties = map.get("properties").and_then(Value::as_object);
                let additional = map.get("additionalProperties");
                for (name, member) in members.iter_mut() {
                    let member_schema = properties
                        .and_then(|properties| properties.get(name))
                        .or(additional);
                    if let Some(member_schema) = member_schema {
                        let length = pointer.len();
                        push_token(pointer, name);
                        self.walk(member_schema, member, pointer, None, depth + 1);
                        pointer.truncate(length);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = map.get("items") {
                    for (index, item) in items.iter_mut().enumerate() {
                        let length = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                        self.walk(item_schema, item, pointer, None, depth + 1);
                        pointer.truncate(length);
                    }
                }
            }
            _ => {}
        }
    }

    /// Every string inside a free-form personal object.
    fn plant_everywhere(&mut self, members: &mut Map<String, Value>, pointer: &mut String) {
        for (name, member) in members.iter_mut() {
            let length = pointer.len();
            push_token(pointer, name);
            match member {
                Value::String(text) if !self.is_planted(pointer) => {
                    *text = self.canary(Kind::Personal, pointer);
                }
                Value::Object(inner) => self.plant_everywhere(inner, pointer),
                _ => {}
            }
            pointer.truncate(length);
        }
    }

    fn is_planted(&self, pointer: &str) -> bool {
        self.planted.iter().any(|canary| canary.pointer == pointer)
    }

    fn resolve(&self, reference: &str) -> Option<&'s Value> {
        self.root.pointer(reference.strip_prefix('#')?)
    }

    /// A fresh canary of `kind`, recorded at `pointer`.
    fn canary(&mut self, kind: Kind, pointer: &str) -> String {
        let n = self.planted.len();
        let valid = self.validity == Validity::Valid;
        let value = match kind {
            Kind::Cpf => {
                // Base 529 982 2xx: distinct per canary, never a repeated-digit CPF.
                let mut base = *b"529982200";
                base[7] = b'0' + (n / 10 % 10) as u8;
                base[8] = b'0' + (n % 10) as u8;
                let cpf = Cpf::from_base(&base).expect("a valid CPF base");
                with_check_digit(cpf.as_str(), valid)
            }
            Kind::Cnpj => {
                // Alternate alphanumeric (in force since July 2026) and numeric CNPJs.
                let mut base = if n.is_multiple_of(2) {
                    *b"12ABC3450100"
                } else {
                    *b"112223330001"
                };
                base[10] = b'0' + (n / 10 % 10) as u8;
                base[11] = b'1' + (n % 9) as u8;
                let cnpj = Cnpj::from_base(&base).expect("a valid CNPJ base");
                with_check_digit(cnpj.as_str(), valid)
            }
            Kind::Email if valid => format!("canary.person{n:03}@example.com"),
            Kind::Email => format!("canary.person{n:03}@@example.com"),
            Kind::Secret => format!("SeCrEt-Canary-{n:03}-9f2b"),
            Kind::Personal => format!("Personal Canary {n:03} +55 11 98765-4321"),
        };
        self.planted.push(Canary {
            pointer: pointer.to_owned(),
            kind,
            value: value.clone(),
        });
        value
    }
}

/// The sensitivity a schema node declares itself.
fn own_kind(map: &Map<String, Value>) -> Option<Kind> {
    if map.get("x-klavi-secret") == Some(&Value::Bool(true)) {
        return Some(Kind::Secret);
    }
    match (
        map.get("format").and_then(Value::as_str),
        map.get("x-rust-type").and_then(Value::as_str),
    ) {
        // A CPF is planted where either tax id may be.
        (Some("cpf"), _) | (_, Some("UnverifiedCpf" | "UnverifiedTaxId")) => {
            return Some(Kind::Cpf);
        }
        (Some("cnpj"), _) | (_, Some("UnverifiedCnpj")) => return Some(Kind::Cnpj),
        (Some("email"), _) => return Some(Kind::Email),
        _ => {}
    }
    (map.get("x-klavi-personal-data") == Some(&Value::Bool(true))).then_some(Kind::Personal)
}

/// `id` as is, or with its last check digit changed.
fn with_check_digit(id: &str, valid: bool) -> String {
    if valid {
        return id.to_owned();
    }
    let mut bytes = id.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last = if *last == b'9' { b'0' } else { *last + 1 };
    }
    String::from_utf8(bytes).unwrap_or_default()
}
