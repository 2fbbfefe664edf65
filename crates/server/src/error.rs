//! API errors: an [`ApiError`] is a kind and a message; [`ErrorKind::status`] is the one
//! table from kind to HTTP status (store errors included, through their
//! [`StoreErrorKind`]). Every error leaves the server as
//! `{"error": {"kind": "...", "message": "..."}}`.
//!
//! User errors (4xx) carry a message meant for the client; internal errors (5xx) are logged
//! and carry a generic message, so database details do not leak.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chorus_engine::store::{StoreError, StoreErrorKind};

/// What went wrong, as far as the client needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed: a bad query parameter, an unreadable body.
    BadRequest,
    /// The write needs a valid bearer token.
    Unauthorized,
    /// No such route, story or article.
    NotFound,
    /// The route exists, but not for this method.
    MethodNotAllowed,
    /// The body is larger than the server's limit.
    PayloadTooLarge,
    /// The body's `Content-Type` is not one `POST /articles` reads.
    UnsupportedMediaType,
    /// Too many writes are waiting for the archive; retry later.
    TooManyRequests,
    /// The store refused the request as invalid.
    Invalid,
    /// The store is busy (locked by another writer); retry later.
    Busy,
    /// The store cannot be opened or read.
    Unavailable,
    /// The store failed.
    Database,
    /// The server failed (a task panicked).
    Internal,
}

impl ErrorKind {
    /// The error table: kind → (HTTP status, wire name).
    fn entry(self) -> (StatusCode, &'static str) {
        match self {
            ErrorKind::BadRequest => (StatusCode::BAD_REQUEST, "bad_request"),
            ErrorKind::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ErrorKind::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ErrorKind::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ErrorKind::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ErrorKind::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ErrorKind::Invalid => (StatusCode::BAD_REQUEST, "invalid"),
            ErrorKind::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ErrorKind::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ErrorKind::Database => (StatusCode::INTERNAL_SERVER_ERROR, "database"),
            ErrorKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// The HTTP status of this kind.
    pub fn status(self) -> StatusCode {
        self.entry().0
    }

    /// The kind's name on the wire (`error.kind`).
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// Every kind, for documentation and tests.
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::BadRequest,
        ErrorKind::Unauthorized,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::PayloadTooLarge,
        ErrorKind::UnsupportedMediaType,
        ErrorKind::TooManyRequests,
        ErrorKind::Invalid,
        ErrorKind::Busy,
        ErrorKind::Unavailable,
        ErrorKind::Database,
        ErrorKind::Internal,
    ];
}

impl From<StoreErrorKind> for ErrorKind {
    fn from(kind: StoreErrorKind) -> ErrorKind {
        match kind {
            StoreErrorKind::Invalid => ErrorKind::Invalid,
            StoreErrorKind::Busy => ErrorKind::Busy,
            StoreErrorKind::Unavailable => ErrorKind::Unavailable,
            StoreErrorKind::Database => ErrorKind::Database,
        }
    }
}

/// An error on its way to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Its kind (decides the status).
    pub kind: ErrorKind,
    /// What to tell the client.
    pub message: String,
}

impl ApiError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError { kind, message: message.into() }
    }

    /// A 400 with `message`.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::BadRequest, message)
    }

    /// A 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorKind::NotFound, message)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        let kind = ErrorKind::from(err.kind());
        if kind.status().is_server_error() {
            tracing::error!("store: {err}");
        }
        let message = match kind {
            ErrorKind::Database => "the archive failed; see the server log".to_string(),
            _ => err.to_string(),
        };
        ApiError { kind, message }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "kind": self.kind.name(), "message": self.message }
        });
        let mut resp = (self.kind.status(), Json(body)).into_response();
        let headers = resp.headers_mut();
        match self.kind {
            ErrorKind::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ErrorKind::Busy | ErrorKind::TooManyRequests => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_maps_every_kind_to_a_distinct_name_and_an_error_status() {
        let mut names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
        for k in ErrorKind::ALL {
            assert!(k.status().is_client_error() || k.status().is_server_error(), "{k:?}");
        }
    }

    #[test]
    fn store_kinds_map_through_the_table() {
        let cases = [
            (StoreError::Invalid("x".into()), 400),
            (StoreError::Busy("x".into()), 503),
            (StoreError::Unavailable("x".into()), 503),
            (StoreError::Database("secret detail".into()), 500),
        ];
        for (err, status) in cases {
            let api = ApiError::from(err);
            assert_eq!(api.kind.status().as_u16(), status);
            assert!(!api.message.contains("secret"));
        }
    }
}
