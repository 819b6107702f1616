//! The registry of every generated endpoint and message, for tools that work by message id
//! (the `klavi` CLI, tests): ids, HTTP facts, the source schema and a typed check.

use crate::endpoint::{MessageKind, Method, TokenKind};
use crate::validation::ValidationErrors;

/// One message of an endpoint.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct MessageInfo {
    /// Message id (`create-link.request`).
    pub id: &'static str,
    /// Endpoint id (`create-link`), or `None` for a message of no endpoint (an error body, a
    /// webhook, redirect parameters).
    pub endpoint: Option<&'static str>,
    /// Role of the message.
    pub kind: MessageKind,
    /// The Rust type (`klavi_types::links::CreateLinkRequest`).
    pub type_name: &'static str,
    /// The bundled JSON Schema (draft 2020-12, self-contained).
    pub schema: &'static str,
    /// The typed check: deserialize into the generated type, then `validate()`.
    pub check: fn(&[u8]) -> Result<(), ValidationErrors>,
    /// The compiled check ([`crate::check_json`]): every violation, read straight from the
    /// bytes without building the value.
    pub check_json: fn(&[u8]) -> Result<(), ValidationErrors>,
    /// The typed check, then the value serialized back: the canonical JSON of a valid payload
    /// (tax ids bare, unknown response members dropped, numbers as numbers).
    pub canonical: fn(&[u8]) -> Result<serde_json::Value, ValidationErrors>,
    /// The typed check, then the value's `Debug` rendering (`{:#?}`): what a log line of the
    /// value shows, with personal data and secrets masked.
    pub debug: fn(&[u8]) -> Result<String, ValidationErrors>,
    /// Every member name the message's types declare (aliases included), sorted: what a
    /// misspelled member is compared with.
    pub member_names: &'static [&'static str],
    /// The definitions of the bundled schema that a runtime type implements: (`$defs` name,
    /// type name, such as `("Seconds", "Seconds")`), sorted by name.
    pub runtime_types: &'static [(&'static str, &'static str)],
    /// Where each value of the message may be and whether it may be shown: a tree of
    /// [`Place`]s, the root first (see [`MessageInfo::place`]).
    pub places: &'static [Place],
    /// The business errors a server answers for violations of the message instead of a
    /// `400` (the schemas' `x-klavi-business-errors`), sorted by pointer template: see
    /// [`MessageInfo::business_error`].
    pub business_errors: &'static [BusinessError],
    /// The message's own examples (a JSON array), when its file is only a `$ref` to a type
    /// other messages share, as each report product is; empty otherwise. Read the examples of
    /// any message with [`MessageInfo::examples`].
    pub own_examples: &'static str,
}

impl MessageInfo {
    /// The place of the message's root value.
    pub fn root_place(&self) -> Option<&'static Place> {
        self.places.first()
    }

    /// The place at index `index` of [`MessageInfo::places`] (as [`Place`] refers to others).
    pub fn place(&self, index: usize) -> Option<&'static Place> {
        self.places.get(index)
    }

    /// The message's examples: its own when it has some, else those of its type's schema.
    pub fn examples(&self) -> Vec<serde_json::Value> {
        let examples = if self.own_examples.is_empty() {
            serde_json::from_str::<serde_json::Value>(self.schema)
                .map(|schema| schema["examples"].clone())
        } else {
            serde_json::from_str(self.own_examples)
        };
        match examples {
            Ok(serde_json::Value::Array(examples)) => examples,
            _ => Vec::new(),
        }
    }

    /// The business error a server answers for `errors` (Klavi: HTTP `416`, the code in the
    /// body's `statusCode`), when every violation in it breaks a business rule of the schemas;
    /// `None` when one is a malformed request (a value of the wrong JSON type, a missing or
    /// unknown member…), which is a plain `400`. Of several, the first violation's, as the
    /// list orders them.
    ///
    /// ```
    /// use klavi_types::registry;
    ///
    /// let info = registry::message("request-personal-user-report.request").unwrap();
    /// let empty = (info.check_json)(br#"{"taxId": "28001238938", "products": []}"#);
    /// let error = info.business_error(&empty.unwrap_err()).unwrap();
    /// assert_eq!((error.status, error.code), (416, 4005));
    ///
    /// let malformed = (info.check_json)(br#"{"taxId": "28001238938", "products": "all"}"#);
    /// assert!(info.business_error(&malformed.unwrap_err()).is_none());
    /// ```
    pub fn business_error(&self, errors: &ValidationErrors) -> Option<&'static BusinessError> {
        let mut first = None;
        for violation in errors.iter() {
            let found = self.business_error_of(violation.pointer(), violation.code())?;
            first.get_or_insert(found);
        }
        first
    }

    /// The business error answered for one violation (`code` at `pointer`), if a rule covers
    /// it: the innermost rule whose node is at or above the pointer and that lists the code.
    pub fn business_error_of(&self, pointer: &str, code: &str) -> Option<&'static BusinessError> {
        self.business_errors
            .iter()
            .filter(|rule| rule.violations.iter().any(|c| c.as_str() == code))
            .filter(|rule| rule.covers(pointer))
            .max_by_key(|rule| rule.pointer.len())
    }

    /// The runtime type implementing the bundled schema's definition `name`, if any.
    pub fn runtime_type_of(&self, name: &str) -> Option<&'static str> {
        self.runtime_types
            .binary_search_by(|(def, _)| (*def).cmp(name))
            .ok()
            .map(|i| self.runtime_types[i].1)
    }
}

/// A business error: what a server answers, instead of a `400`, for a value that breaks a rule
/// the docs give a code for (`x-klavi-business-errors` in the schemas). Klavi answers HTTP
/// `416` with the business code in the error body's `statusCode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BusinessError {
    /// Where the rule's node is: a JSON Pointer with wire names, `*` standing for any one
    /// array index or map key (`/products`, `/productsCallbackURL/*`).
    pub pointer: &'static str,
    /// The HTTP status (`416`).
    pub status: u16,
    /// The business code (`4005`).
    pub code: u16,
    /// The docs' meaning of the code (`products must have at least 1 item`).
    pub message: &'static str,
    /// The violations it is answered for, at the node or under it.
    pub violations: &'static [crate::validation::Code],
}

impl BusinessError {
    /// A business error (for the generated registry).
    #[doc(hidden)]
    pub const fn new(
        pointer: &'static str,
        status: u16,
        code: u16,
        message: &'static str,
        violations: &'static [crate::validation::Code],
    ) -> Self {
        BusinessError {
            pointer,
            status,
            code,
            message,
            violations,
        }
    }

    /// Whether `pointer` is at the rule's node or under it.
    pub fn covers(&self, pointer: &str) -> bool {
        let mut tokens = pointer.split('/').skip(1);
        self.pointer.split('/').skip(1).all(|template| {
            tokens
                .next()
                .is_some_and(|token| template == "*" || template == token)
        })
    }
}

/// Where a value may be in a message, and whether it may be shown, as the generator knows it
/// from the schema: personal data (tax ids, e-mails, values marked personal), secrets and
/// free-form JSON are hidden with everything inside them. The other places refer to each other
/// by index in [`MessageInfo::places`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Place {
    /// The value and everything inside it must not be shown.
    pub hidden: bool,
    /// When the value is not hidden, which of its values may be shown (a value of the wrong
    /// JSON type, or that fails its declared format, may be anything, and is not).
    pub shown: Shown,
    /// The members an object here declares: (wire name, index of its place). Members it does
    /// not declare are unknown data.
    pub members: &'static [(&'static str, usize)],
    /// The place of the items, when the value may be an array.
    pub items: Option<usize>,
    /// The place of the values under keys it does not declare, when the value is a map.
    pub values: Option<usize>,
}

impl Place {
    /// A place (for the generated registry).
    #[doc(hidden)]
    pub const fn new(
        hidden: bool,
        shown: Shown,
        members: &'static [(&'static str, usize)],
        items: Option<usize>,
        values: Option<usize>,
    ) -> Self {
        Place {
            hidden,
            shown,
            members,
            items,
            values,
        }
    }

    /// The place of the declared member `name`.
    pub fn member(&self, name: &str) -> Option<usize> {
        self.members
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, at)| *at)
    }
}

/// Which scalar values a place that is not hidden may show, from its declared type: a value
/// is shown only when that type cannot carry personal data or a secret, and only when it is a
/// value of that type (anything else may be a tax id typed in the wrong place).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shown {
    /// A number, a flag, an object or an array (whose contents have places of their own): a
    /// literal (`true`, `false`, `null`) and a number of at most ten integer digits are shown
    /// (a CPF has eleven); a string here is free text ([`Shown::Text`]).
    Plain,
    /// Free text: shown only when it cannot carry personal data: an identifier as
    /// [`is_shareable_name`](crate::validation::pointer::is_shareable_name) defines it (no
    /// run of three digits, no `@`, no space), or a UUID.
    Text,
    /// One of an enum's declared values; any other value is hidden.
    OneOf(&'static [&'static str]),
    /// A value of a format that carries no personal data, shown when it is valid in that format
    /// (a URL with its user information, query, fragment and any path segment that could carry
    /// personal data masked: see [`Format::is_url`]).
    Format(Format),
}

/// The formats a shown value may have (see [`Shown::Format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// An absolute URI (`format: uri`).
    AbsoluteUri,
    /// An absolute `http`/`https` URL with a host.
    HttpUrl,
    /// An RFC 3339 date-time in UTC.
    UtcDateTime,
    /// A date as sent, valid (`YYYY-MM-DD`).
    DateText,
    /// A date-time as sent, valid (`YYYY-MM-DDThh:mm:ss`, a fraction, `Z`, an offset or no
    /// zone).
    DateTimeText,
    /// A non-negative integer of seconds, or its numeric string.
    Seconds,
    /// A decimal amount, or its numeric string.
    Amount,
    /// A snake_case report product name.
    ProductName,
}

/// The most integer digits a number shown in a frame may have: a CPF has 11, a CNPJ 14.
const MAX_SHOWN_DIGITS: usize = 10;

impl Format {
    /// Whether values of the format are URLs, shown masked.
    pub fn is_url(self) -> bool {
        matches!(self, Format::AbsoluteUri | Format::HttpUrl)
    }

    /// Whether `text` is a value of the format.
    pub fn accepts(self, text: &str) -> bool {
        use crate::formats;
        match self {
            Format::AbsoluteUri => formats::check_absolute_uri(text).is_ok(),
            Format::HttpUrl => formats::check_http_url(text).is_ok(),
            Format::UtcDateTime => formats::UtcDateTime::parse(text).is_ok(),
            Format::DateText => formats::is_date_text(text),
            Format::DateTimeText => formats::is_date_time_text(text),
            Format::Seconds | Format::Amount => is_short_number(text),
            Format::ProductName => formats::check_product_name(text).is_ok(),
        }
    }
}

impl Shown {
    /// Whether a JSON number or literal (`token`, as written) may be shown here.
    pub fn shows_token(self, token: &str) -> bool {
        if matches!(token, "true" | "false" | "null") {
            return true;
        }
        match self {
            Shown::Plain | Shown::Format(Format::Seconds | Format::Amount) => {
                is_short_number(token)
            }
            Shown::Text => is_short_number(token) && is_shareable_text(token),
            Shown::OneOf(_) | Shown::Format(_) => false,
        }
    }

    /// Whether a string whose value is `text` may be shown here (for a URL, with the parts
    /// [`Format::is_url`] names masked).
    pub fn shows_text(self, text: &str) -> bool {
        match self {
            Shown::Plain | Shown::Text => is_shareable_text(text),
            Shown::OneOf(values) => values.contains(&text),
            Shown::Format(format) => format.accepts(text),
        }
    }
}

/// A decimal number (optionally signed, with a fraction or exponent) of at most
/// [`MAX_SHOWN_DIGITS`] integer digits.
fn is_short_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let integer = unsigned.split(['.', 'e', 'E']).next().unwrap_or_default();
    !integer.is_empty()
        && integer.len() <= MAX_SHOWN_DIGITS
        && integer.bytes().all(|b| b.is_ascii_digit())
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || b".eE+-".contains(&b))
}

/// Free text that cannot carry personal data: an identifier
/// ([`crate::validation::pointer::is_shareable_name`]) or a UUID.
pub fn is_shareable_text(text: &str) -> bool {
    crate::validation::pointer::is_shareable_name(text) || is_uuid(text)
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// One endpoint.
#[derive(Clone, Copy, Debug)]
pub struct EndpointInfo {
    /// Kebab-case id (`create-link`).
    pub id: &'static str,
    /// Title from the docs.
    pub title: &'static str,
    /// What it does.
    pub description: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: &'static str,
    /// Bearer token needed.
    pub token: TokenKind,
    /// The docs page.
    pub docs: &'static str,
    /// Whether the docs leave the path uncertain.
    pub path_uncertain: bool,
    /// Its messages, in kind order (path, query, request, response).
    pub messages: &'static [MessageInfo],
}

/// Every endpoint, in index order.
pub fn endpoints() -> &'static [EndpointInfo] {
    crate::GENERATED_ENDPOINTS
}

/// The messages of no endpoint: error bodies, webhooks, redirect parameters.
pub fn standalone() -> &'static [MessageInfo] {
    crate::GENERATED_STANDALONE
}

/// Every message: those of every endpoint, then the standalone ones.
pub fn messages() -> impl Iterator<Item = &'static MessageInfo> {
    endpoints()
        .iter()
        .flat_map(|e| e.messages.iter())
        .chain(standalone())
}

/// The message with id `id` (`create-link.request`).
pub fn message(id: &str) -> Option<&'static MessageInfo> {
    messages().find(|m| m.id == id)
}

/// The endpoint with id `id` (`create-link`).
pub fn endpoint(id: &str) -> Option<&'static EndpointInfo> {
    endpoints().iter().find(|e| e.id == id)
}
