//! Delivers the outbox over SMTP, retrying with backoff; lists it for the development Mailbox.
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::services::{ServiceError, Services};
use crate::core::outbox::{self, OutboxRow};

/// Gives an email up after this many failed attempts.
const MAX_ATTEMPTS: i64 = 12;

/// How long a sender holds an email it is sending: longer than the SMTP timeout (20 s), so that
/// another server sends it only if this one died.
const CLAIM_SECS: i64 = 120;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp://host:port` (plain), `smtp://host:port?tls=required`, or `smtps://host`.
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("{e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("sender address {from:?}: {e}"))?;
        Ok(Self { transport, from })
    }

    async fn send(&self, mail: &OutboxRow) -> Result<(), String> {
        let mut body = mail.body.clone();
        if let Some(link) = &mail.link {
            body.push('\n');
            body.push_str(link);
            body.push('\n');
        }
        let message = Message::builder()
            .from(self.from.clone())
            .to(mail
                .to
                .parse::<Mailbox>()
                .map_err(|e| format!("recipient: {e}"))?)
            .subject(mail.subject.clone())
            .body(body)
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("{e}"))
    }
}

/// Backoff after `attempts` failures: 2, 4, 8 ... seconds, at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    2_i64.saturating_pow(attempts.clamp(1, 20) as u32).min(3600)
}

/// Sends what is due, then waits for a wake-up or a few seconds. Runs until the process ends;
/// what is not sent yet stays in the outbox across restarts.
pub async fn run_sender(services: Services, mailer: Mailer) {
    loop {
        if let Err(e) = send_due(&services, &mailer).await {
            tracing::warn!(error = %e, "outbox: could not read due emails");
        }
        tokio::select! {
            _ = services.outbox_wakeup.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}

/// One pass over the due emails; returns how many were sent.
pub async fn send_due(services: &Services, mailer: &Mailer) -> Result<usize, ServiceError> {
    let mut sent = 0;
    for mail in outbox::due(&services.db, 50).await? {
        // Several servers may read the same due emails: only the one that claims it sends it.
        if !outbox::claim(&services.db, &mail.id, CLAIM_SECS).await? {
            continue;
        }
        match mailer.send(&mail).await {
            Ok(()) => {
                outbox::mark_sent(&services.db, &mail.id).await?;
                tracing::info!(to = %mail.to, subject = %mail.subject, "email sent");
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(to = %mail.to, %error, attempts = mail.attempts + 1, "email not sent, will retry");
                outbox::mark_retry(
                    &services.db,
                    &mail.id,
                    &error,
                    backoff_secs(mail.attempts + 1),
                    MAX_ATTEMPTS,
                )
                .await?;
            }
        }
    }
    Ok(sent)
}
