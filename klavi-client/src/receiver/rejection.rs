//! What a delivery got: [`DeliveryOutcome`] (how many events were processed, how many were
//! done before) and, when it stopped short, the [`WebhookRejection`] that says why; both turn
//! into the HTTP answer.

use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use klavi_types::webhook_signature::SignatureError;

/// Why a delivery was not (entirely) processed. The answer names the failed check only: never
/// a value of the body, a header value, the key or the handler's error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// No `X-Klavi-Signature` header (or not ASCII): `401`.
    MissingSignature,
    /// The signature or the timestamp failed: `401`.
    NotAuthentic(SignatureError),
    /// The body is larger than the limit (`413`), or could not be read, or is not as long as
    /// its `Content-Length` says (`400`).
    Body {
        /// Over the limit (`true`) or broken off (`false`).
        too_large: bool,
    },
    /// The body did not arrive within the receiver's time limit: `408`.
    BodyTimeout,
    /// The bodies being read already hold the receiver's memory budget: `503`, retry later.
    Busy,
    /// Authentic, but not JSON of the expected shape: `400`.
    InvalidPayload {
        /// JSON Pointer of the value that could not be read (`/3/eventTime` in a batch).
        pointer: String,
        /// Line of the problem (1-based).
        line: usize,
        /// Column of the problem (1-based).
        column: usize,
    },
    /// Another delivery of the same event holds its lease (being processed now): `503`, so
    /// that the sender retries; never `200`, since the event may still fail.
    InProgress,
    /// The delivery store could not answer: `503`.
    StoreUnavailable,
    /// The handler returned an error: `500`; the event will be processed on redelivery.
    HandlerFailed,
    /// The handler panicked: `500`; the event will be processed on redelivery.
    HandlerPanicked,
    /// The handler ran past the lease and was stopped: `503`.
    HandlerTimedOut,
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
            WebhookRejection::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            WebhookRejection::Busy
            | WebhookRejection::InProgress
            | WebhookRejection::StoreUnavailable
            | WebhookRejection::HandlerTimedOut => StatusCode::SERVICE_UNAVAILABLE,
            WebhookRejection::HandlerFailed | WebhookRejection::HandlerPanicked => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// A stable code: `signature_missing`, the [`SignatureError::code`], `body_too_large`,
    /// `body_unreadable`, `body_timeout`, `receiver_busy`, `invalid_payload`, `in_progress`,
    /// `store_unavailable`, `handler_failed`, `handler_panicked` or `handler_timeout`.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookRejection::MissingSignature => "signature_missing",
            WebhookRejection::NotAuthentic(error) => error.code(),
            WebhookRejection::Body { too_large: true } => "body_too_large",
            WebhookRejection::Body { too_large: false } => "body_unreadable",
            WebhookRejection::BodyTimeout => "body_timeout",
            WebhookRejection::Busy => "receiver_busy",
            WebhookRejection::InvalidPayload { .. } => "invalid_payload",
            WebhookRejection::InProgress => "in_progress",
            WebhookRejection::StoreUnavailable => "store_unavailable",
            WebhookRejection::HandlerFailed => "handler_failed",
            WebhookRejection::HandlerPanicked => "handler_panicked",
            WebhookRejection::HandlerTimedOut => "handler_timeout",
        }
    }

    /// Whether the sender should try again later (a `503`): the event was not processed, and a
    /// redelivery may be.
    pub fn is_retryable(&self) -> bool {
        self.status() == StatusCode::SERVICE_UNAVAILABLE
            || self.status() == StatusCode::INTERNAL_SERVER_ERROR
            || self.status() == StatusCode::REQUEST_TIMEOUT
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
        DeliveryOutcome {
            processed: 0,
            duplicates: 0,
            stopped: Some(self),
        }
        .into_response()
    }
}

/// What became of one delivery: the events processed to success now, those processed before
/// (done: not handed to the handler again), and why it stopped short, if it did.
///
/// The answer is `200 {"status": "processed", "processed": n, "duplicates": m}` when every
/// event is done; otherwise the [`WebhookRejection`]'s status and
/// `{"error": code, "processed": n, "duplicates": m}` (plus `pointer`, `line` and `column` for
/// `invalid_payload`), and `Retry-After: 1` on a `503`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryOutcome {
    /// Events handed to the handler and completed by this delivery.
    pub processed: usize,
    /// Events found done (processed before, by any replica), not handed to the handler.
    pub duplicates: usize,
    /// Why the delivery stopped before its last event, if it did.
    pub stopped: Option<WebhookRejection>,
}

impl DeliveryOutcome {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.stopped
            .as_ref()
            .map_or(StatusCode::OK, WebhookRejection::status)
    }
}

impl IntoResponse for DeliveryOutcome {
    fn into_response(self) -> Response {
        let status = self.status();
        let counts = format!(
            r#""processed":{},"duplicates":{}"#,
            self.processed, self.duplicates
        );
        // Written in this order whatever serde_json's map order (a feature of the build).
        let text = match &self.stopped {
            None => format!(r#"{{"status":"processed",{counts}}}"#),
            Some(rejection) => {
                tracing::warn!(
                    code = rejection.code(),
                    processed = self.processed,
                    duplicates = self.duplicates,
                    "klavi webhook not processed"
                );
                let code = rejection.code();
                match rejection {
                    WebhookRejection::InvalidPayload {
                        pointer,
                        line,
                        column,
                    } => {
                        let pointer = serde_json::Value::from(pointer.as_str());
                        format!(
                            r#"{{"error":"{code}","pointer":{pointer},"line":{line},"column":{column},{counts}}}"#
                        )
                    }
                    _ => format!(r#"{{"error":"{code}",{counts}}}"#),
                }
            }
        };
        let mut response = (status, [(CONTENT_TYPE, "application/json")], text).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
        }
        response
    }
}
