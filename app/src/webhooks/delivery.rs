//! Sends queued webhook deliveries after their change committed, signed the Standard Webhooks
//! way (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`),
//! retrying with backoff; what is not sent yet stays queued across restarts.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use futures::StreamExt as _;
use hmac::{Hmac, Mac};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::address;
use super::store::{self, Due, Outcome};
use crate::core::services::{ServiceError, Services};

/// Waits before each new try after 1, 2, ... failed ones; a delivery is given up after the last.
/// (The Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.)
const RETRY_SECS: [i64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/// How long a sender holds a delivery it is sending: more than the request's timeout, so that
/// another server sends it only if this one died.
const CLAIM_SECS: i64 = 60;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Endpoints called at once by one server.
const IN_FLIGHT: usize = 8;
/// What a delivery whose endpoint is gone is given up with.
const GONE: &str = "The endpoint no longer exists.";
/// How often a server deletes the deliveries kept long enough (`store::prune`).
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// After a change wakes the sender, it waits this long before reading the queue, so that a burst
/// of changes costs one read: a change wakes it whether or not any endpoint heard of it, and a
/// busy server would otherwise read the queue after every change.
const WAKE_COALESCE: Duration = Duration::from_millis(200);

/// The key deliveries to `endpoint` are signed with: derived from the server secret and the
/// endpoint's nonce, so the database never holds it.
pub fn signing_key(services: &Services, endpoint: &str, nonce: &str) -> Vec<u8> {
    hex::decode(services.derived_token("webhook", endpoint, nonce)).unwrap_or_default()
}

/// The key as its receiver is given it: `whsec_` and the key in base64 (Standard Webhooks).
pub fn secret_text(key: &[u8]) -> String {
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key))
}

/// `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under `key`.
pub fn signature(key: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// Resolves endpoint hosts to public addresses only (unless private ones are allowed), at each
/// connection: a host that passed when it was added can't be pointed inside later.
struct PublicOnly {
    allow_private: bool,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || address::is_public(a.ip()))
                .collect();
            if kept.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// Sends webhook deliveries over HTTPS.
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub fn new(allow_private: bool) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Steward-Webhooks/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .dns_resolver(Arc::new(PublicOnly { allow_private }))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            allow_private,
        })
    }

    /// One try: the HTTP status, or why no answer came.
    async fn send(&self, services: &Services, due: &Due) -> Result<u16, String> {
        let (Some(url), Some(nonce)) = (&due.url, &due.secret_nonce) else {
            return Err(GONE.into());
        };
        // Checked again as sent: an address literal is not resolved, so the resolver can't.
        let url = address::check_url(url, self.allow_private).map_err(|e| e.0)?;
        let key = signing_key(services, &due.endpoint, nonce);
        let id = format!("msg_{}", due.id);
        let timestamp = chrono::Utc::now().timestamp();
        let response = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature(&key, &id, timestamp, &due.payload))
            .body(due.payload.clone())
            .send()
            .await
            .map_err(|e| root_cause(&e))?;
        Ok(response.status().as_u16())
    }
}

/// The innermost cause of a failed request ("Connection refused", "... has no public address"),
/// which says more than reqwest's "error sending request".
fn root_cause(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".into();
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string().chars().take(200).collect()
}

/// Sends what is due, then waits for a wake-up or a second. Runs until the process ends.
pub async fn run_sender(services: Services, sender: Sender) {
    let mut pruned = tokio::time::Instant::now();
    loop {
        if let Err(e) = send_due(&services, &sender).await {
            tracing::warn!(error = %e, "webhooks: could not read due deliveries");
        }
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = tokio::time::Instant::now();
            match prune_old(&services).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "webhooks: old deliveries deleted"),
                Err(e) => tracing::warn!(error = %e, "webhooks: could not delete old deliveries"),
            }
        }
        tokio::select! {
            _ = services.webhook_wakeup.notified() => tokio::time::sleep(WAKE_COALESCE).await,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Deletes delivered and given-up deliveries kept for `store::KEPT_DAYS`, a thousand at a time.
pub async fn prune_old(services: &Services) -> Result<usize, ServiceError> {
    Ok(store::prune(&services.db, 1_000).await?)
}

/// One pass over the due deliveries, a few endpoints at a time; returns how many were delivered.
#[tracing::instrument(name = "webhooks", skip_all)]
pub async fn send_due(services: &Services, sender: &Sender) -> Result<usize, ServiceError> {
    let due = store::due(&services.db, 100).await?;
    let delivered = futures::stream::iter(due)
        .map(|d| async move { send_one(services, sender, d).await })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<_>>()
        .await;
    let mut count = 0;
    for outcome in delivered {
        count += usize::from(outcome?);
    }
    Ok(count)
}

async fn send_one(services: &Services, sender: &Sender, due: Due) -> Result<bool, ServiceError> {
    // Several servers may read the same due deliveries: only the one that claims it sends it.
    if !store::claim(&services.db, &due.id, CLAIM_SECS).await? {
        return Ok(false);
    }
    let tries = due.attempts + 1;
    let retry_in = RETRY_SECS.get(due.attempts as usize).copied();
    let result = sender.send(services, &due).await;
    let outcome = match &result {
        Ok(status) if (200..300).contains(status) => {
            let status = *status;
            tracing::info!(delivery = %due.id, status, "webhook delivered");
            Outcome {
                status: Some(status),
                error: None,
                delivered: true,
                retry_in: None,
            }
        }
        Ok(status) => {
            let status = *status;
            tracing::warn!(delivery = %due.id, status, tries, "webhook refused, will retry");
            Outcome {
                status: Some(status),
                error: None,
                delivered: false,
                retry_in,
            }
        }
        Err(error) => {
            tracing::warn!(delivery = %due.id, %error, tries, "webhook not delivered, will retry");
            Outcome {
                status: None,
                error: Some(error.as_str()),
                delivered: false,
                // Nothing to send to any more: given up at once.
                retry_in: retry_in.filter(|_| error != GONE),
            }
        }
    };
    let delivered = outcome.delivered;
    store::record(&services.db, &due.id, outcome).await?;
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_standard_webhooks_one() {
        // The example of the Standard Webhooks specification (svix's test vector).
        let key = base64::engine::general_purpose::STANDARD
            .decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .expect("base64");
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert_eq!(secret_text(&key), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }
}
