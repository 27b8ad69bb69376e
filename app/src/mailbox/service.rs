//! The development Mailbox: the outbox as the browser shows it.
use crate::core::outbox;
use crate::core::services::{Actor, Refusal, RefusalKind, ServiceError, Services};
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

/// The development Mailbox: the emails sent to the caller's own address, newest first. Only in
/// development mode, where no real mail is sent and the links in emails are needed to try the
/// flows; never anyone else's mail (another tenant's links would open their accounts).
#[tracing::instrument(skip_all, fields(user = %actor.user_id))]
pub async fn mailbox(services: &Services, actor: &Actor) -> Result<Vec<OutboxMail>, ServiceError> {
    if !services.settings.dev_mode {
        return Err(DevelopmentOnly.into());
    }
    Ok(outbox::recent_to(&services.db, &actor.email, 200)
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
