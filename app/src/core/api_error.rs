//! The one place where a service error becomes what a server function answers: the HTTP status
//! and the message a person reads. Internal causes are logged here and never sent.
use super::db::StoreError;
use super::error::{AppError, FieldError};
use super::services::ServiceError;

use axum::http::{header, request::Parts, StatusCode};

/// The HTTP status an error answers with: a refusal's own, or 500 for a fault of ours.
pub fn status(err: &ServiceError) -> StatusCode {
    status_of(err).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// What a person reads when their change met others until it gave up.
const BUSY: &str = "Many changes are being made here at this moment and yours was not saved. Try again.";

fn status_of(err: &ServiceError) -> Option<StatusCode> {
    Some(match err {
        ServiceError::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
        ServiceError::Unauthenticated => StatusCode::UNAUTHORIZED,
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Store(_) | ServiceError::Internal(_) => return None,
    })
}

/// Whether the request is a browser form posted before the WebAssembly runs (it asks for HTML;
/// the WebAssembly's calls ask for JSON).
pub fn is_plain_form() -> bool {
    leptos::prelude::use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Sets the status of the server function's answer; a browser form posted without JavaScript
/// keeps the redirect back to its page that it needs.
fn set_status(status: StatusCode) {
    if !is_plain_form() {
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
            ServiceError::Forbidden(m) => AppError::Forbidden(m.into()),
            ServiceError::Invalid(fields) => AppError::Invalid {
                message: fields
                    .first()
                    .map_or_else(|| "Check the form.".to_string(), |(_, m)| m.clone()),
                fields: fields
                    .into_iter()
                    .map(|(field, message)| FieldError { field, message })
                    .collect(),
            },
            ServiceError::Conflict(m) => AppError::Conflict(m.into()),
            ServiceError::NotFound(m) => AppError::NotFound(m.into()),
            // Shown beside the form's field, like any other reason to try again.
            ServiceError::TooMany(field, message) => AppError::field(&field, message),
            // Other requests kept writing the same records through every retry: nothing was
            // written, and trying again later works. Worth a warning, not a 500.
            ServiceError::Store(StoreError::Conflict(e)) => {
                tracing::warn!(error = %e, "write conflict after every retry");
                AppError::Conflict(BUSY.into())
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_conflict_that_outlasted_the_retries_is_a_409_saying_to_try_again() {
        let err = || ServiceError::Store(StoreError::Conflict("write conflict".into()));
        assert_eq!(status(&err()), StatusCode::CONFLICT);
        assert!(matches!(AppError::from(err()), AppError::Conflict(m) if m.contains("Try again")));
        assert_eq!(
            status(&ServiceError::Internal("broken".into())),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
