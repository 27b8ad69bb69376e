//! The development Mailbox: the outbox as the browser shows it.
use crate::core::outbox;
use crate::core::services::{Actor, Refusal, RefusalKind, ServiceError, Services};
use crate::identity::service::{self as identity, SessionToken, SIGN_UP_SUBJECT};
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
        .map(shown)
        .collect())
}

/// Before the account exists: the sign-up emails to the address this browser signed up with,
/// while its sign-up waits (the cookie `SignUpSent::browser`). Nothing else sent to that address
/// shows; a browser whose sign-up met a taken email has none to show.
#[tracing::instrument(skip_all)]
pub async fn sign_up_mail(
    services: &Services,
    browser: &SessionToken,
) -> Result<Vec<OutboxMail>, ServiceError> {
    if !services.settings.dev_mode {
        return Err(DevelopmentOnly.into());
    }
    let Some(email) = identity::waiting_sign_up_email(services, browser).await? else {
        return Ok(Vec::new());
    };
    Ok(outbox::recent_to(&services.db, &email, 20)
        .await?
        .into_iter()
        .filter(|m| m.subject == SIGN_UP_SUBJECT)
        .map(shown)
        .collect())
}

fn shown(m: outbox::OutboxRow) -> OutboxMail {
    OutboxMail {
        id: m.id,
        to: m.to,
        subject: m.subject,
        body: m.body,
        link: m.link,
        status: m.status,
        created_at: m.created_at,
    }
}
