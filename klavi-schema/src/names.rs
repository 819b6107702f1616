//! Naming: how wire names and schema names become Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that cannot be plain identifiers (they are emitted as raw identifiers).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is not Rust).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// `personalTaxId` → `personal_tax_id`, `appRedirectURLKey` → `app_redirect_url_key`; a name
/// that cannot be an identifier, even a raw one, is escaped (`1st` → `field_1st`,
/// `self` → `self_`).
pub fn field_name(wire: &str) -> String {
    let snake = wire.to_snake_case();
    if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("field_{snake}")
    } else {
        escape_not_raw(snake)
    }
}

/// `name`, with a trailing `_` when it is a keyword that cannot be a raw identifier
/// (`self` → `self_`); any other name unchanged.
pub fn escape_not_raw(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `AWAITING_AUTHORISATION` → `AwaitingAuthorisation`, `create-link` → `CreateLink`. Only
/// ASCII letters and digits are kept (`²`, `★` and accented letters are dropped: not every
/// alphabetic character may be in an identifier, and rustc lints the uncommon ones; a schema
/// names such a value with `x-rust-name`), and a name that would start with a digit or be the
/// keyword `Self` gets a `V` prefix (`2fa` → `V2fa`, `self` → `VSelf`).
pub fn type_name(text: &str) -> String {
    let camel: String = text
        .to_upper_camel_case()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) || camel == "Self" {
        format!("V{camel}")
    } else {
        camel
    }
}

/// Whether `name` needs the raw-identifier form `r#name`.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a valid (non-raw) Rust identifier made of ASCII characters.
pub fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_'))
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && name != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_snake_case() {
        let table = [
            ("personalTaxId", "personal_tax_id"),
            ("redirectURL", "redirect_url"),
            ("productsCallbackURL", "products_callback_url"),
            ("appRedirectURLKey", "app_redirect_url_key"),
            ("linkURL", "link_url"),
            ("expireIn", "expire_in"),
            ("eventID", "event_id"),
            ("type", "type"),
            ("1st", "field_1st"),
            ("self", "self_"),
            ("Super", "super_"),
            ("crate", "crate_"),
        ];
        for (wire, rust) in table {
            assert_eq!(field_name(wire), rust, "{wire}");
        }
    }

    #[test]
    fn values_become_upper_camel_case() {
        let table = [
            ("AWAITING_LGPD_AUTHORISATION", "AwaitingLgpdAuthorisation"),
            ("pf_categorized_checking_l3", "PfCategorizedCheckingL3"),
            ("create-link", "CreateLink"),
            ("CREDIT_OPERATIONS:LOANS", "CreditOperationsLoans"),
            ("2fa", "V2fa"),
            ("self", "VSelf"),
            ("SELF", "VSelf"),
            ("x²", "X"),
            ("AÇÃO", "Ao"),
            ("x\u{2e2f}y", "Xy"),
            ("★", "V"),
        ];
        for (value, rust) in table {
            assert_eq!(type_name(value), rust, "{value}");
        }
    }

    #[test]
    fn keywords_and_identifiers() {
        assert!(is_keyword("type"));
        assert!(!is_keyword("kind"));
        assert!(is_identifier("CreateLinkRequest"));
        assert!(!is_identifier("Create Link"));
        assert!(!is_identifier("9a"));
        assert!(!is_identifier("_"));
    }
}
