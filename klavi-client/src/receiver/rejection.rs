//! Why a delivery was not handed to the handler, and the answer it gets.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use klavi_types::webhook_signature::SignatureError;

/// A delivery the receiver answered itself. The answer names the failed check only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// No `X-Klavi-Signature` header (or not ASCII): `401`.
    MissingSignature,
    /// The signature or the timestamp failed: `401`.
    NotAuthentic(SignatureError),
    /// The body is larger than the limit, or could not be read: `413` or `400`.
    Body {
        /// Over the limit (`true`) or broken off (`false`).
        too_large: bool,
    },
    /// Authentic, but not JSON of the expected shape: `400`.
    InvalidPayload {
        /// JSON Pointer of the value that could not be read.
        pointer: String,
        /// Line of the problem (1-based).
        line: usize,
        /// Column of the problem (1-based).
        column: usize,
    },
    /// Every id of the delivery was processed before: `200`, so that Klavi stops redelivering.
    Duplicate,
}

impl WebhookRejection {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookRejection::MissingSignature | WebhookRejection::NotAuthentic(_) => {
                StatusCode::UNAUTHORIZED
            }
            WebhookRejection::Body { too_large: true } => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookRejection::Body { too_large: false }
            | WebhookRejection::InvalidPayload { .. } => StatusCode::BAD_REQUEST,
            WebhookRejection::Duplicate => StatusCode::OK,
        }
    }

    /// A stable code: `signature_missing`, the [`SignatureError::code`], `body_too_large`,
    /// `body_unreadable`, `invalid_payload` or `duplicate`.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookRejection::MissingSignature => "signature_missing",
            WebhookRejection::NotAuthentic(error) => error.code(),
            WebhookRejection::Body { too_large: true } => "body_too_large",
            WebhookRejection::Body { too_large: false } => "body_unreadable",
            WebhookRejection::InvalidPayload { .. } => "invalid_payload",
            WebhookRejection::Duplicate => "duplicate",
        }
    }
}

impl std::fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookRejection::InvalidPayload {
                pointer,
                line,
                column,
            } => write!(
                f,
                "invalid_payload at `{pointer}` (line {line}, column {column})"
            ),
            other => f.write_str(other.code()),
        }
    }
}

impl std::error::Error for WebhookRejection {}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        tracing::warn!(code = self.code(), "klavi webhook not handled");
        let body = match &self {
            WebhookRejection::Duplicate => serde_json::json!({"status": "duplicate"}),
            WebhookRejection::InvalidPayload {
                pointer,
                line,
                column,
            } => serde_json::json!({
                "error": self.code(), "pointer": pointer, "line": line, "column": column,
            }),
            other => serde_json::json!({"error": other.code()}),
        };
        (
            self.status(),
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}
