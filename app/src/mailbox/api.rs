//! The development Mailbox.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::mailbox::model::OutboxMail;

#[server(endpoint = "mailbox")]
pub async fn mailbox() -> Result<Vec<OutboxMail>, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::mailbox::service::mailbox(&services, &actor).await?)
}
