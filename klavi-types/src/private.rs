//! Support for the generated code. Not a public API: names and signatures may change at any
//! time.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::parse::read_json;

use crate::formats::FormatError;
use crate::validation::{Path, Validate, ValidationErrors};

/// A deserialization error message carrying a violation code: `[code] message`. `from_json`
/// turns it back into a violation with that code.
pub fn coded(code: &'static str, message: &str) -> String {
    format!("[{code}] {message}")
}

/// Like [`coded`], for a violation at the member `key` of the value being deserialized:
/// `[code:/key] message`.
pub fn coded_at(code: &'static str, key: &str, message: &str) -> String {
    let key = crate::validation::pointer::escape_token(key);
    format!("[{code}:/{key}] {message}")
}

/// An optional member of a request: present means non-null (JSON Schema's `type` rejects
/// `null`, so `serde`'s default of reading `null` as absent would accept what the schema
/// refuses).
pub fn some_non_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// `minLength`, counted in characters as JSON Schema does.
pub fn min_length(value: &str, min: u64, at: &Path<'_>, out: &mut ValidationErrors) {
    if (value.chars().count() as u64) < min {
        let message = if min == 1 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters long")
        };
        out.add(at, "min_length", message);
    }
}

/// `maxLength`, counted in characters.
pub fn max_length(value: &str, max: u64, at: &Path<'_>, out: &mut ValidationErrors) {
    if value.chars().count() as u64 > max {
        out.add(
            at,
            "max_length",
            format!("must be at most {max} characters long"),
        );
    }
}

/// `minItems`.
pub fn min_items(len: usize, min: u64, at: &Path<'_>, out: &mut ValidationErrors) {
    if (len as u64) < min {
        out.add(at, "min_items", format!("must have at least {min} item(s)"));
    }
}

/// `maxItems`.
pub fn max_items(len: usize, max: u64, at: &Path<'_>, out: &mut ValidationErrors) {
    if len as u64 > max {
        out.add(at, "max_items", format!("must have at most {max} item(s)"));
    }
}

/// `minimum`.
pub fn minimum(value: i64, min: i64, at: &Path<'_>, out: &mut ValidationErrors) {
    if value < min {
        out.add(at, "minimum", format!("must be at least {min}"));
    }
}

/// `maximum`.
pub fn maximum(value: i64, max: i64, at: &Path<'_>, out: &mut ValidationErrors) {
    if value > max {
        out.add(at, "maximum", format!("must be at most {max}"));
    }
}

/// `dependentRequired`: `missing` is required because `trigger` is present. Reported at the
/// missing member's pointer.
pub fn dependent_required(
    at: &Path<'_>,
    trigger: &'static str,
    missing: &'static str,
    out: &mut ValidationErrors,
) {
    out.add(
        &at.key(missing),
        "dependent_required",
        format!("`{missing}` is required when `{trigger}` is present"),
    );
}

/// `anyOf` of `required` lists: none is complete.
pub fn any_of_required(at: &Path<'_>, alternatives: &[&[&str]], out: &mut ValidationErrors) {
    let described: Vec<String> = alternatives
        .iter()
        .map(|names| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    out.add(
        at,
        "missing_one_of",
        format!("one of {} is required", described.join(" or ")),
    );
}

/// The error of parsing an unknown value into a closed enum (or an invalid fallback value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumError {
    type_name: &'static str,
}

impl EnumError {
    /// An error for the enum `type_name`.
    pub const fn new(type_name: &'static str) -> Self {
        EnumError { type_name }
    }
}

impl fmt::Display for EnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {} value", self.type_name)
    }
}

impl std::error::Error for EnumError {}

struct FromStrVisitor<T> {
    type_name: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> Visitor<'_> for FromStrVisitor<T>
where
    T: std::str::FromStr,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} string", self.type_name)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(|_| {
            E::custom(coded(
                "enum",
                &format!("not a valid {} value", self.type_name),
            ))
        })
    }
}

/// Deserializes a string enum through its `FromStr`.
pub fn deserialize_from_str<'de, D, T>(
    deserializer: D,
    type_name: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
{
    deserializer.deserialize_str(FromStrVisitor {
        type_name,
        marker: PhantomData,
    })
}

/// String types that parse and check their text.
pub trait ParseText: Sized {
    /// Parses borrowed text.
    fn parse_str(text: &str) -> Result<Self, FormatError>;
    /// Parses owned text (reusing its allocation where the type stores a `String`).
    fn parse_string(text: String) -> Result<Self, FormatError> {
        Self::parse_str(&text)
    }
}

struct ParseVisitor<T>(PhantomData<fn() -> T>);

impl<T: ParseText> Visitor<'_> for ParseVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::parse_str(value).map_err(|e| E::custom(coded(e.code(), e.message())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        T::parse_string(value).map_err(|e| E::custom(coded(e.code(), e.message())))
    }
}

/// Deserializes a string format type.
pub fn deserialize_parsed<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: ParseText,
{
    deserializer.deserialize_str(ParseVisitor(PhantomData))
}

/// Serializes `{key: value}`.
pub fn serialize_single_entry<S: Serializer, V: Serialize>(
    serializer: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// The two shapes of a map with an exclusive key.
pub enum ExclusiveMap<K, V> {
    /// The exclusive key alone.
    Exclusive(V),
    /// Any other keys.
    Entries(BTreeMap<K, V>),
}

struct ExclusiveMapVisitor<K, V> {
    key: &'static str,
    marker: PhantomData<fn() -> (K, V)>,
}

impl<'de, K, V> Visitor<'de> for ExclusiveMapVisitor<K, V>
where
    K: std::str::FromStr + Ord,
    V: Deserialize<'de>,
{
    type Value = ExclusiveMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut exclusive = None;
        let mut entries = BTreeMap::new();
        // `MemberName`, not `Cow<str>`: serde's `Cow<str>` always copies the key.
        while let Some(MemberName(key)) = map.next_key::<MemberName<'de>>()? {
            if key == self.key {
                if exclusive.replace(map.next_value::<V>()?).is_some() {
                    return Err(duplicate_key(&key));
                }
            } else {
                let parsed = key.parse::<K>().map_err(|_| {
                    de::Error::custom(coded_at(
                        "invalid_key",
                        &key,
                        &format!(
                            "{} is not a valid key here (besides `{}`)",
                            crate::validation::quote_key(&key),
                            self.key
                        ),
                    ))
                })?;
                if entries.insert(parsed, map.next_value::<V>()?).is_some() {
                    return Err(duplicate_key(&key));
                }
            }
        }
        match exclusive {
            Some(value) if entries.is_empty() => Ok(ExclusiveMap::Exclusive(value)),
            Some(_) => Err(de::Error::custom(coded(
                "mutually_exclusive",
                &format!(
                    "`{}` cannot be combined with other keys: send `{}` alone, or name each key",
                    self.key, self.key
                ),
            ))),
            None => Ok(ExclusiveMap::Entries(entries)),
        }
    }
}

/// The error of a member name or map key met a second time (at that second occurrence).
pub fn duplicate_key<E: de::Error>(key: &str) -> E {
    E::custom(coded_at(
        "duplicate_member",
        key,
        &format!(
            "{} appears twice in this object",
            crate::validation::quote_key(key)
        ),
    ))
}

/// Deserializes a map in which `key` excludes every other key.
pub fn deserialize_exclusive_map<'de, D, K, V>(
    deserializer: D,
    key: &'static str,
) -> Result<ExclusiveMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: std::str::FromStr + Ord,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(ExclusiveMapVisitor {
        key,
        marker: PhantomData,
    })
}

/// A schema from JSON text known at compile time.
#[cfg(feature = "schemars")]
pub fn schema_from_str(json: &str) -> schemars::Schema {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|value| schemars::Schema::try_from(value).ok())
        .unwrap_or_else(|| schemars::Schema::from(true))
}

/// The source schema of a generated type: its `$defs` move into the generator's definitions,
/// the rest is returned. References stay `#/$defs/Name`, schemars' 2020-12 layout.
#[cfg(feature = "schemars")]
pub fn source_schema(generator: &mut schemars::SchemaGenerator, json: &str) -> schemars::Schema {
    let mut schema = schema_from_str(json);
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        if let Some(serde_json::Value::Object(defs)) = object.remove("$defs") {
            let definitions = generator.definitions_mut();
            for (name, def) in defs {
                definitions.entry(name).or_insert(def);
            }
        }
    }
    schema
}

/// Maps our flat violation list onto `validator`'s error map: one entry per JSON Pointer
/// (the key), each holding the violations at that pointer with their code and message.
#[cfg(feature = "validator")]
pub fn into_validator_errors(
    result: Result<(), ValidationErrors>,
) -> Result<(), validator::ValidationErrors> {
    let Err(errors) = result else {
        return Ok(());
    };
    let mut out = validator::ValidationErrors::new();
    for violation in errors {
        let key = if violation.pointer().is_empty() {
            "__all__".to_owned()
        } else {
            violation.pointer().to_owned()
        };
        let mut error = validator::ValidationError::new(violation.code());
        error.message = Some(violation.message().to_owned().into());
        let entry = out
            .errors_mut()
            .entry(key.into())
            .or_insert_with(|| validator::ValidationErrorsKind::Field(Vec::new()));
        if let validator::ValidationErrorsKind::Field(list) = entry {
            list.push(error);
        }
    }
    Err(out)
}

/// The canonical JSON of a message, for the registry: deserialize, validate, serialize.
pub fn canonical_message<T: DeserializeOwned + Validate + Serialize>(
    bytes: &[u8],
) -> Result<serde_json::Value, ValidationErrors> {
    let value = crate::parse::from_json::<T>(bytes)?;
    serde_json::to_value(&value).map_err(|error| {
        ValidationErrors::from(crate::validation::Violation::new(
            "",
            "invalid",
            format!("cannot serialize the value back: {error}"),
        ))
    })
}

/// The typed check of a message, then its `Debug` rendering, for the registry.
pub fn debug_message<T: DeserializeOwned + Validate + std::fmt::Debug>(
    bytes: &[u8],
) -> Result<String, ValidationErrors> {
    crate::parse::from_json::<T>(bytes).map(|value| format!("{value:#?}"))
}

/// Parses and validates a query string (the generated `from_query_string`).
pub fn from_query_string<T: DeserializeOwned + Validate>(
    query: &str,
) -> Result<T, ValidationErrors> {
    crate::parse::from_query_string(query)
}

/// The typed check of a message, for the registry: deserialize, then validate.
pub fn check_message<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<(), ValidationErrors> {
    crate::parse::from_json::<T>(bytes).map(|_| ())
}

/// A scalar that can be a URL query value.
pub trait QueryValue {
    /// The value as it goes into the query string (before percent-encoding).
    fn query_value(&self) -> std::borrow::Cow<'_, str>;
}

impl QueryValue for String {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl QueryValue for i64 {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_string())
    }
}

impl QueryValue for bool {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! query_value_as_str {
    ($($ty:ty),*) => {$(
        impl QueryValue for $ty {
            fn query_value(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    )*};
}

query_value_as_str!(
    crate::tax_id::Cpf,
    crate::tax_id::Cnpj,
    crate::formats::AbsoluteUri,
    crate::formats::HttpUrl,
    crate::formats::ProductName
);

impl QueryValue for crate::formats::Email {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.expose())
    }
}

impl QueryValue for crate::personal::PersonalData {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.expose())
    }
}

impl QueryValue for crate::formats::UtcDateTime {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_string())
    }
}

impl QueryValue for crate::formats::Seconds {
    fn query_value(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.get().to_string())
    }
}

/// Builds an `application/x-www-form-urlencoded` query string.
pub struct Query(form_urlencoded::Serializer<'static, String>);

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query(form_urlencoded::Serializer::new(String::new()))
    }

    /// Appends `name=value`.
    pub fn push(&mut self, name: &str, value: &impl QueryValue) {
        self.0.append_pair(name, &value.query_value());
    }

    /// The query string, without a leading `?`.
    pub fn finish(mut self) -> String {
        self.0.finish()
    }
}

impl Default for Query {
    fn default() -> Self {
        Self::new()
    }
}

struct IntEnumVisitor<T> {
    type_name: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<T> Visitor<'_> for IntEnumVisitor<T>
where
    T: TryFrom<i64>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} number", self.type_name)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::try_from(value).map_err(|_| {
            E::custom(coded(
                "enum",
                &format!("not a valid {} value", self.type_name),
            ))
        })
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        let value = i64::try_from(value).map_err(|_| {
            E::custom(coded(
                "enum",
                &format!("not a valid {} value", self.type_name),
            ))
        })?;
        self.visit_i64(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        // JSON Schema counts 12.0 as the integer 12.
        if value.fract() == 0.0 && value.abs() < 9.0e15 {
            self.visit_i64(value as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(value), &self))
        }
    }
}

/// Deserializes an integer enum through its `TryFrom<i64>`.
pub fn deserialize_int_enum<'de, D, T>(
    deserializer: D,
    type_name: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    deserializer.deserialize_i64(IntEnumVisitor {
        type_name,
        marker: PhantomData,
    })
}

/// Appends `value` as one percent-encoded path segment: everything but RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so a value can never add a segment, a query
/// or a fragment.
pub fn push_path_segment(path: &mut String, value: &impl QueryValue) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.query_value().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            path.push(char::from(byte));
        } else {
            path.push('%');
            path.push(char::from(HEX[usize::from(byte >> 4)]));
            path.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// `if/then` required: `missing` is required because of `condition` (`` `institutionType` is 1 ``).
pub fn conditional_required(
    at: &Path<'_>,
    condition: &'static str,
    missing: &'static str,
    out: &mut ValidationErrors,
) {
    out.add(
        &at.key(missing),
        "dependent_required",
        format!("`{missing}` is required when {condition}"),
    );
}

/// An array item that may only stand alone (`"all"` in `products`).
pub fn alone_item<'a>(
    items: impl Iterator<Item = &'a str>,
    len: usize,
    item: &'static str,
    at: &Path<'_>,
    out: &mut ValidationErrors,
) {
    let mut items = items;
    if len > 1 && items.any(|i| i == item) {
        out.add(
            at,
            "mutually_exclusive",
            format!("`{item}` must be the only item: send `[\"{item}\"]`, or name each item"),
        );
    }
}

/// Deserializes a union variant from its JSON object (tag included, ignored by the variant),
/// keeping the pointer of a failure inside it.
pub fn from_object<T: DeserializeOwned, E: de::Error>(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, E> {
    // `&Map` is a deserializer itself: no copy of the object.
    serde_path_to_error::deserialize(object).map_err(|error| {
        let mut pointer = String::new();
        for segment in error.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
                serde_path_to_error::Segment::Map { key } => {
                    pointer.push('/');
                    pointer.push_str(&crate::validation::pointer::escape_token(key));
                }
                _ => {}
            }
        }
        let violation = crate::parse::classify_message(pointer, &error.into_inner().to_string());
        E::custom(format!(
            "[{}:{}] {}",
            violation.code(),
            violation.pointer(),
            violation.message()
        ))
    })
}

/// Serializes a union variant as its object with the tag member added.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error;
    let mut object = match serde_json::to_value(inner).map_err(S::Error::custom)? {
        serde_json::Value::Object(object) => object,
        _ => {
            return Err(S::Error::custom(
                "a union variant must serialize as an object",
            ));
        }
    };
    object.insert(tag.to_owned(), serde_json::Value::from(value));
    object.serialize(serializer)
}

/// Parses the member `key` out of a map of raw members, turning its errors into messages that
/// carry the member's pointer (`[code:/key/…] message`).
fn parse_member<T: DeserializeOwned, E: de::Error>(
    key: &str,
    raw: &crate::RawJson,
) -> Result<T, E> {
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let violation = crate::parse::violation_of(error);
        let key = crate::validation::pointer::escape_token(key);
        E::custom(format!(
            "[{}:/{key}{}] {}",
            violation.code(),
            violation.pointer(),
            violation.message()
        ))
    })
}

/// The members of a raw-keeping object, each as exact JSON text; a name met twice is a
/// `duplicate_member` error.
pub fn raw_members<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, crate::RawJson>, D::Error> {
    struct RawMembers;

    impl<'de> Visitor<'de> for RawMembers {
        type Value = BTreeMap<String, crate::RawJson>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut members = BTreeMap::new();
            while let Some(MemberName(key)) = map.next_key::<MemberName<'de>>()? {
                if members.contains_key(key.as_ref()) {
                    return Err(duplicate_key(&key));
                }
                members.insert(key.into_owned(), map.next_value()?);
            }
            Ok(members)
        }
    }

    deserializer.deserialize_map(RawMembers)
}

/// A required member of a raw-keeping object.
pub fn take_member<T: DeserializeOwned, E: de::Error>(
    members: &mut BTreeMap<String, crate::RawJson>,
    key: &'static str,
) -> Result<T, E> {
    match members.remove(key) {
        Some(raw) => parse_member(key, &raw),
        None => Err(E::missing_field(key)),
    }
}

/// An optional member of a raw-keeping object (present means non-null, as the schema says).
pub fn take_optional_member<T: DeserializeOwned, E: de::Error>(
    members: &mut BTreeMap<String, crate::RawJson>,
    key: &'static str,
) -> Result<Option<T>, E> {
    match members.remove(key) {
        Some(raw) => parse_member(key, &raw).map(Some),
        None => Ok(None),
    }
}

/// A deserializer that reads structs only from JSON objects: serde's derived struct visitors
/// also accept arrays (members by position), which JSON Schema's `type: object` refuses.
pub struct ObjectOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The message of an `integer` member beyond what it holds.
const INTEGER_RANGE: &str = "a whole number beyond the range this member takes (from -2^63 to \
                             2^63 - 1; below 9 × 10^15 when written with a fraction or an exponent)";

struct JsonIntegerVisitor;

impl Visitor<'_> for JsonIntegerVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::custom(coded("integer_range", INTEGER_RANGE)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
        // JSON Schema counts `22.0` as the integer 22. A whole number read as floating point
        // is a literal with a fraction or an exponent, or one beyond 64 bits
        // (`18446744073709551616`): exact only below 9 × 10^15.
        if value.fract() != 0.0 || !value.is_finite() {
            Err(E::invalid_type(de::Unexpected::Float(value), &self))
        } else if value.abs() < 9.0e15 {
            Ok(value as i64)
        } else {
            Err(E::custom(coded("integer_range", INTEGER_RANGE)))
        }
    }
}

/// An `integer` member: a JSON number with no fractional part (`22` or `22.0`).
pub fn json_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(JsonIntegerVisitor)
}

/// An optional `integer` member (present means non-null).
pub fn some_json_integer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    json_integer(deserializer).map(Some)
}

/// An `integer` read with JSON Schema's rule (`22.0` is 22), for members parsed from raw text.
pub struct JsonInteger(pub i64);

impl<'de> Deserialize<'de> for JsonInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json_integer(deserializer).map(JsonInteger)
    }
}

/// A member name read from JSON, borrowed from the input when it holds no escape (serde's
/// `Cow<str>` always copies): the key of the generated visitors of objects that keep undeclared
/// members, so that declared members are matched without allocating.
pub struct MemberName<'de>(pub std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = MemberName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Borrowed(name)))
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name.to_owned())))
            }

            fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(MemberName(std::borrow::Cow::Owned(name)))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
}
