//! Query parameters (twin of klavi-schema's `emit/query.rs`): the scalars a query string may
//! carry, a query string builder, and the parser of one.

use serde::de::DeserializeOwned;

use crate::validation::{Validate, ValidationErrors};

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

/// Parses and validates a query string (the generated `from_query_string`).
pub fn from_query_string<T: DeserializeOwned + Validate>(
    query: &str,
) -> Result<T, ValidationErrors> {
    crate::parse::from_query_string(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_percent_encoded() {
        let mut query = Query::new();
        query.push("a", &"x y&z".to_owned());
        query.push("n", &-3_i64);
        query.push("b", &true);
        assert_eq!(query.finish(), "a=x+y%26z&n=-3&b=true");
    }
}
