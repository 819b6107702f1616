//! The [`Endpoint`] trait, implemented by one generated marker type per endpoint, so that a
//! client can write a single generic `send<E: Endpoint>` function.

use std::fmt;

/// HTTP methods used by the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
///
/// A client needs one generic function for every endpoint:
///
/// ```
/// use klavi_types::{Endpoint, Validate, ValidationErrors};
///
/// /// What an HTTP client would send: method, path and query, and the JSON body.
/// fn prepare<E: Endpoint>(
///     path: &E::Path,
///     query: &E::Query,
///     body: &E::Request,
/// ) -> Result<(String, String, Option<Vec<u8>>), ValidationErrors> {
///     path.validate()?;
///     query.validate()?;
///     body.validate()?;
///     let mut url = E::path(path);
///     if let Some(query) = E::query_string(query) {
///         url.push('?');
///         url.push_str(&query);
///     }
///     let body = E::HAS_BODY.then(|| serde_json::to_vec(body).expect("serializable"));
///     Ok((E::METHOD.to_string(), url, body))
/// }
///
/// use klavi_types::links::{CreateLink, CreateLinkRequest};
/// let (method, url, body) =
///     prepare::<CreateLink>(&klavi_types::Empty, &klavi_types::Empty, &CreateLinkRequest::new())?;
/// assert_eq!((method.as_str(), url.as_str(), body.as_deref()), ("POST", "/data/v1/links", Some(&b"{}"[..])));
/// # Ok::<(), ValidationErrors>(())
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
    /// Whether requests carry a JSON body (`Request` is not [`Empty`]).
    const HAS_BODY: bool;
    /// Path parameters ([`Empty`] when none).
    type Path: crate::Validate;
    /// Query parameters ([`Empty`] when none).
    type Query: crate::Validate;
    /// Request body ([`Empty`] when none); [`crate::check_json`] checks its JSON.
    type Request: serde::Serialize + crate::Validate + crate::CheckJson;
    /// Response body.
    type Response: serde::de::DeserializeOwned;

    /// The path with its parameters filled in, each percent-encoded as one segment
    /// (`/data/v1/consents/ac24…/revoke`).
    fn path(params: &Self::Path) -> String;

    /// The query string without `?`, or `None` when the endpoint takes no query.
    fn query_string(query: &Self::Query) -> Option<String>;
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

/// Any JSON: what is sent where no body is expected is not looked at (its syntax aside).
impl crate::CheckJson for Empty {
    fn check_json_at(
        reader: &mut crate::check::support::Reader<'_>,
        _at: &crate::validation::Path<'_>,
        _out: &mut crate::ValidationErrors,
    ) -> crate::check::support::Read<()> {
        reader.skip_syntax()
    }
}

impl crate::Validate for Empty {
    fn validate_at(&self, _: &crate::validation::Path<'_>, _: &mut crate::ValidationErrors) {}
}
