//! The development Mailbox: the outbox as the browser shows it.
use crate::core::outbox;
use crate::core::services::{Refusal, RefusalKind, ServiceError, Services};
use crate::mailbox::model::OutboxMail;

/// Outside development mode the Mailbox does not exist: real mail is sent.
#[derive(Debug, thiserror::Error)]
#[error("The Mailbox exists only in development mode.")]
pub struct DevelopmentOnly;

impl Refusal for DevelopmentOnly {
    fn kind(&self) -> RefusalKind {
        RefusalKind::NotFound
    }
}

/// The development Mailbox: every email in the outbox, newest first. Only in development mode,
/// where no real mail is sent and the links in emails are needed to try the flows.
#[tracing::instrument(skip_all)]
pub async fn mailbox(services: &Services) -> Result<Vec<OutboxMail>, ServiceError> {
    if !services.settings.dev_mode {
        return Err(DevelopmentOnly.into());
    }
    Ok(outbox::recent(&services.db, 200)
        .await?
        .into_iter()
        .map(|m| OutboxMail {
            id: m.id,
            to: m.to,
            subject: m.subject,
            body: m.body,
            link: m.link,
            status: m.status,
            created_at: m.created_at,
        })
        .collect())
}
