//! The development Mailbox.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::mailbox::model::OutboxMail;

#[server(endpoint = "mailbox")]
pub async fn mailbox() -> Result<Vec<OutboxMail>, AppError> {
    let services = crate::identity::context::services()?;
    Ok(crate::mailbox::service::mailbox(&services).await?)
}
