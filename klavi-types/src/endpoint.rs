//! The [`Endpoint`] trait, implemented by one generated marker type per endpoint, so that a
//! client can write a single generic `send<E: Endpoint>` function.

use std::fmt;

/// HTTP methods used by the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as written in an HTTP request line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which bearer token an endpoint needs in `Authorization: Bearer <token>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// No `Authorization` header (`POST /auth`).
    None,
    /// The backend `accessToken` from `POST /auth` or `GET /refresh`.
    Access,
    /// The front-end `linkToken` from `POST /links`.
    Link,
}

impl TokenKind {
    /// `none`, `access` or `link`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::None => "none",
            TokenKind::Access => "access",
            TokenKind::Link => "link",
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role of a message in an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageKind {
    /// Path parameters.
    Path,
    /// URL query parameters.
    Query,
    /// JSON request body.
    Request,
    /// JSON response body.
    Response,
}

impl MessageKind {
    /// `path`, `query`, `request` or `response`, as in message ids.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Path => "path",
            MessageKind::Query => "query",
            MessageKind::Request => "request",
            MessageKind::Response => "response",
        }
    }

    /// Whether the client sends this message (validated strictly).
    pub fn is_outgoing(self) -> bool {
        !matches!(self, MessageKind::Response)
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An endpoint of the Klavi Data API, implemented by the generated marker types
/// (`klavi_types::links::CreateLink`, …).
///
/// ```
/// use klavi_types::{Endpoint, Method, TokenKind};
/// use klavi_types::links::CreateLink;
///
/// fn describe<E: Endpoint>() -> String {
///     format!("{} {} ({} token)", E::METHOD, E::PATH, E::TOKEN)
/// }
/// assert_eq!(describe::<CreateLink>(), "POST /data/v1/links (access token)");
/// ```
pub trait Endpoint {
    /// Kebab-case id (`create-link`).
    const ID: &'static str;
    /// HTTP method.
    const METHOD: Method;
    /// Path template (`/data/v1/consents/{consentId}`).
    const PATH: &'static str;
    /// Bearer token needed.
    const TOKEN: TokenKind;
    /// The docs page.
    const DOCS: &'static str;
    /// Whether the docs leave the path uncertain.
    const PATH_UNCERTAIN: bool;
    /// Path parameters ([`Empty`] when none).
    type Path;
    /// Query parameters ([`Empty`] when none).
    type Query;
    /// Request body ([`Empty`] when none).
    type Request;
    /// Response body.
    type Response;
}

/// The absent message of an endpoint (no path parameters, no query, no body).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Empty;

impl serde::Serialize for Empty {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> serde::Deserialize<'de> for Empty {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Empty)
    }
}

impl crate::Validate for Empty {
    fn validate_at(&self, _: &crate::validation::Path<'_>, _: &mut crate::ValidationErrors) {}
}
