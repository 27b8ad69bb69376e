//! The one place where a service error becomes what a server function answers: the HTTP status
//! and the message a person reads. Internal causes are logged here and never sent.
use super::error::{AppError, FieldError};
use super::services::ServiceError;

use axum::http::{header, request::Parts, StatusCode};

/// The HTTP status an error answers with: a refusal's own, or 500 for a fault of ours.
pub fn status(err: &ServiceError) -> StatusCode {
    status_of(err).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn status_of(err: &ServiceError) -> Option<StatusCode> {
    Some(match err {
        ServiceError::Unauthenticated => StatusCode::UNAUTHORIZED,
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::Store(_) | ServiceError::Internal(_) => return None,
    })
}

/// Sets the status of the server function's answer; a browser form posted without JavaScript
/// keeps the redirect back to its page that it needs.
fn set_status(status: StatusCode) {
    let plain_form = leptos::prelude::use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if !plain_form {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(status);
        }
    }
}

/// Arguments a server function could not read (a missing field, an action it does not know).
pub(super) fn unreadable_arguments(detail: String) -> AppError {
    set_status(StatusCode::BAD_REQUEST);
    AppError::Invalid {
        message: format!("This request can't be read: {detail}"),
        fields: Vec::new(),
    }
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        if let Some(status) = status_of(&err) {
            set_status(status);
        }
        match err {
            ServiceError::Unauthenticated => AppError::Unauthenticated,
            ServiceError::Forbidden(m) => AppError::Forbidden(m),
            ServiceError::Invalid(fields) => AppError::Invalid {
                message: fields
                    .first()
                    .map_or_else(|| "Check the form.".to_string(), |(_, m)| m.clone()),
                fields: fields
                    .into_iter()
                    .map(|(field, message)| FieldError { field, message })
                    .collect(),
            },
            ServiceError::Conflict(m) => AppError::Conflict(m),
            ServiceError::NotFound(m) => AppError::NotFound(m),
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "store error");
                AppError::Internal
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                AppError::Internal
            }
        }
    }
}
