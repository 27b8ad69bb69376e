//! The development Mailbox.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::OutboxMail;

#[server(endpoint = "mailbox")]
pub async fn mailbox() -> Result<Vec<OutboxMail>, AppError> {
    let services = super::context::services()?;
    Ok(crate::service::mailer::mailbox(&services).await?)
}
