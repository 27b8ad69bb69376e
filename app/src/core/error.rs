//! The error every server function returns: a code the UI can branch on and a message a person
//! can read. Internal causes are logged on the server, never sent.
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 401: no session, or it ended.
    #[error("Please log in to continue.")]
    Unauthenticated,
    /// 403: the acting role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// 422: input that breaks a rule; `fields` says which input.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 409: the action conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// 404
    #[error("{0}")]
    NotFound(String),
    /// 429
    #[error("Too many attempts. Wait a minute and try again.")]
    TooManyRequests,
    /// 500: logged on the server.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Invalid {
            message: message.clone(),
            fields: vec![FieldError {
                field: field.into(),
                message,
            }],
        }
    }

    /// The message for one input, if this error is about it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid { fields, .. } => {
                fields.iter().find(|f| f.field == name).map(|f| f.message.clone())
            }
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Only the server reads arguments: a caller sent something no form of ours sends.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                super::api_error::unreadable_arguments(detail)
            }
            other => Self::Transport(other.to_string()),
        }
    }
}
