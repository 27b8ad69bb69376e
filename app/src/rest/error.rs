//! The API's errors: `{"error": {"code": "...", "message": "...", "fields": [...]}}` with the
//! status the code documents. Internal causes are logged, never sent.
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::{IntoResponses, ToSchema};

use crate::core::db::StoreError;
use crate::core::services::ServiceError;

/// An error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ApiError,
}

/// The errors any call may answer, for the document.
#[derive(IntoResponses)]
pub enum CommonErrors {
    #[response(status = 400, description = "The query, path or body can't be read")]
    BadRequest(ErrorBody),
    #[response(
        status = 401,
        description = "No API key, or one that is unknown, revoked or expired"
    )]
    Unauthenticated(ErrorBody),
    #[response(status = 403, description = "The key's role does not allow it")]
    Forbidden(ErrorBody),
    #[response(
        status = 422,
        description = "Input a rule refuses: `fields` says which and why"
    )]
    Invalid(ErrorBody),
    #[response(
        status = 429,
        description = "Too many calls from this key or address",
        headers(("Retry-After" = u64, description = "Seconds to wait"))
    )]
    RateLimited(ErrorBody),
}

/// What a call that acts on a record may answer besides.
#[derive(IntoResponses)]
pub enum ChangeErrors {
    #[response(status = 404, description = "No such record in this account")]
    NotFound(ErrorBody),
    #[response(
        status = 409,
        description = "The record's state does not allow it: the code says which"
    )]
    Conflict(ErrorBody),
    #[response(status = 415, description = "The body is not JSON")]
    UnsupportedMediaType(ErrorBody),
}

/// What went wrong: a stable `code` to act on, a `message` to show a person, and the input
/// fields at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    pub(super) status: StatusCode,
    /// A refusal's own name (`grant_is_pending`, `invitation_expired`, `role_does_not_allow`,
    /// `above_ceiling`, ...) or one of `bad_request`, `unauthenticated`, `invalid_api_key`,
    /// `forbidden`, `not_found`, `no_such_route`, `conflict`, `busy`, `invalid_input`,
    /// `unsupported_media_type`, `payload_too_large`, `rate_limited`, `internal`.
    #[schema(example = "invalid_input")]
    pub code: std::borrow::Cow<'static, str>,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

/// An input field at fault, with what is wrong with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// A refusal of a use case: its own code when it has one (`grant_is_pending`), its kind's
    /// otherwise.
    fn refused(status: StatusCode, kind: &'static str, reason: crate::core::services::Reason) -> Self {
        Self {
            status,
            code: reason.code.map_or(kind.into(), Into::into),
            message: reason.message,
            fields: Vec::new(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut res = (status, Json(ErrorBody { error: self })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let status = crate::core::api_error::status(&err);
        match err {
            ServiceError::Unauthenticated => Self::new(status, "unauthenticated", "Send a valid API key."),
            ServiceError::Forbidden(m) => Self::refused(status, "forbidden", m),
            ServiceError::Invalid(fields) => Self {
                status,
                code: "invalid_input".into(),
                message: fields
                    .first()
                    .map_or_else(|| "Check the input.".to_string(), |(_, m)| m.clone()),
                fields: fields
                    .into_iter()
                    .map(|(field, message)| FieldProblem { field, message })
                    .collect(),
            },
            ServiceError::Conflict(m) => Self::refused(status, "conflict", m),
            ServiceError::NotFound(m) => Self::refused(status, "not_found", m),
            ServiceError::TooMany(_, m) => Self::new(status, "rate_limited", m),
            ServiceError::Store(StoreError::Conflict(e)) => {
                tracing::warn!(error = %e, "write conflict after every retry");
                Self::new(
                    status,
                    "busy",
                    "Many changes are being made at this moment. Try again.",
                )
            }
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "store error in the API");
                Self::new(status, "internal", "Something went wrong on our side. Try again.")
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error in the API");
                Self::new(status, "internal", "Something went wrong on our side. Try again.")
            }
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("The query string can't be read: {}", rejection.body_text()),
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("The address can't be read: {}", rejection.body_text()),
        )
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, code) = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            _ => (StatusCode::BAD_REQUEST, "bad_request"),
        };
        Self::new(
            status,
            code,
            format!("The body can't be read: {}", rejection.body_text()),
        )
    }
}

/// A body over the server's size limit is refused by its limit layer before any handler reads
/// it, in plain text: under `/api/v1` the answer is the API's JSON error, as every other refusal.
pub async fn too_large_as_json(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/v1/");
    let res = next.run(req).await;
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if api && res.status() == StatusCode::PAYLOAD_TOO_LARGE && !json {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "The request body is over the size limit.",
        )
        .into_response();
    }
    res
}
