//! The development Mailbox.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::mailbox::model::OutboxMail;

/// The logged-in user's mail; before anyone logs in, the link of the sign-up this browser started.
#[server(endpoint = "mailbox")]
pub async fn mailbox() -> Result<Vec<OutboxMail>, AppError> {
    use crate::identity::context;
    let services = context::services()?;
    if let Some(actor) = context::optional_actor().await? {
        return Ok(crate::mailbox::service::mailbox(&services, &actor).await?);
    }
    match context::sign_up_browser_token() {
        Some(browser) => Ok(crate::mailbox::service::sign_up_mail(&services, &browser).await?),
        None => Err(crate::core::services::ServiceError::Unauthenticated.into()),
    }
}
