//! What every use case gets (`Services`, `Settings`) and the error it answers with. Use cases live
//! in their feature folders; none of them knows about HTTP or Leptos.

use std::sync::Arc;

pub use super::actor::Actor;

use crate::core::db::{Db, StoreError, Tx};

/// Settings the use cases need; the server fills them from its configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Public base URL, for links in emails (no trailing slash).
    pub base_url: String,
    /// Development mode: the Mailbox page shows the outbox.
    pub dev_mode: bool,
    /// A session unused this long ends.
    pub session_idle_secs: i64,
    /// A session ends this long after log in, used or not.
    pub session_absolute_secs: i64,
    /// An invitation link works this long.
    pub invitation_ttl_secs: i64,
    /// How long a new account's free trial lasts.
    pub trial_secs: i64,
    /// Server secret that invitation links are derived from (never stored in the database).
    pub link_secret: Vec<u8>,
    /// Invitations, access requests and resends an account may send per hour (`core::quota`).
    pub invitations_per_hour: i64,
    /// Webhook endpoints may be on loopback or private addresses, and plain `http` (tests,
    /// a development machine). Off: such endpoints are refused when added and when sent to.
    pub webhooks_allow_private: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:3000".into(),
            dev_mode: false,
            session_idle_secs: 2 * 24 * 3600,
            session_absolute_secs: 30 * 24 * 3600,
            invitation_ttl_secs: 7 * 24 * 3600,
            trial_secs: crate::managed_accounts::plans::TRIAL_DAYS * 24 * 3600,
            link_secret: random_secret(),
            invitations_per_hour: 100,
            webhooks_allow_private: false,
        }
    }
}

/// 32 random bytes, for a server that keeps no secret across restarts (tests, `mem://`).
/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

pub fn random_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// HMAC-SHA256 of `purpose`, `key` and `nonce` under `secret`, as hex (see
/// [`Services::derived_token`]).
pub fn derive_token(secret: &[u8], purpose: &str, key: &str, nonce: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(key.as_bytes());
    mac.update(b"\0");
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// What every use case gets: the database, the settings, a way to wake the email sender, and
/// the sessions this server has resolved.
#[derive(Clone)]
pub struct Services {
    /// Shared, not cloned: cloning a SurrealDB handle opens a new database session (and closes
    /// it when dropped), which every request paid for when `Services` was cloned into it.
    pub db: Arc<Db>,
    pub settings: Arc<Settings>,
    pub outbox_wakeup: Arc<tokio::sync::Notify>,
    /// Wakes the audit sealer, which chains new entries (`audit::chain`).
    pub audit_wakeup: Arc<tokio::sync::Notify>,
    /// Wakes the webhook sender (`webhooks::delivery`).
    pub webhook_wakeup: Arc<tokio::sync::Notify>,
    pub sessions: Arc<super::session_cache::SessionCache>,
    /// The changes the live channels pass on (`live::feed`).
    pub live: crate::live::feed::LiveHub,
    /// This server among those sharing the database, for the jobs one of them runs for all
    /// (`core::lease`). Random at each start.
    pub server_id: Arc<str>,
    /// Carries out billing changes (`billing::provider`): by default, records them only.
    pub payments: Arc<dyn crate::billing::provider::PaymentProvider>,
}

impl Services {
    pub fn new(db: Db, settings: Settings) -> Self {
        Self {
            db: Arc::new(db),
            settings: Arc::new(settings),
            outbox_wakeup: Arc::new(tokio::sync::Notify::new()),
            audit_wakeup: Arc::new(tokio::sync::Notify::new()),
            webhook_wakeup: Arc::new(tokio::sync::Notify::new()),
            sessions: Arc::default(),
            live: crate::live::feed::LiveHub::default(),
            server_id: crate::core::db::new_key().into(),
            payments: Arc::new(crate::billing::provider::RecordOnly),
        }
    }

    /// Commits `tx` and, when it queued an email, wakes the sender so the email leaves now
    /// rather than at its next poll; when it wrote audit entries, wakes the sealer.
    pub async fn commit(&self, tx: Tx) -> Result<(), StoreError> {
        let (has_mail, has_audit, has_event) = (tx.has_mail(), tx.has_audit(), tx.has_event());
        tx.commit(&self.db).await?;
        if has_event {
            self.webhook_wakeup.notify_one();
        }
        if has_mail {
            self.outbox_wakeup.notify_one();
        }
        if has_audit {
            self.audit_wakeup.notify_one();
        }
        Ok(())
    }

    /// A link token derived from the server secret, so that a list can show the link again while
    /// only the token's hash is stored: `purpose` keeps tokens of different links apart, `key`
    /// names the record and `nonce` the issue of the link (a new nonce kills the old link).
    pub fn derived_token(&self, purpose: &str, key: &str, nonce: &str) -> String {
        derive_token(&self.settings.link_secret, purpose, key, nonce)
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.settings.base_url.trim_end_matches('/'), path)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not logged in")]
    Unauthenticated,
    #[error("forbidden: {0}")]
    Forbidden(Reason),
    #[error("invalid input")]
    Invalid(Vec<(String, String)>),
    #[error("conflict: {0}")]
    Conflict(Reason),
    #[error("not found: {0}")]
    NotFound(Reason),
    /// Too many attempts of something guarded (log-ins of one email): the message says when to
    /// try again, beside `field`.
    #[error("too many attempts: {1}")]
    TooMany(String, String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

/// Why a use case said no: the message a person reads, and the code a program acts on (the
/// refusal's own name in snake case, `grant_is_pending`, `invitation_expired`, ...; none for a
/// "no" written in place, where the API gives its kind's code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: Option<String>,
    pub message: String,
}

impl std::ops::Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for Reason {
    fn from(message: String) -> Self {
        Self { code: None, message }
    }
}

impl From<&str> for Reason {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

impl From<Reason> for String {
    fn from(reason: Reason) -> Self {
        reason.message
    }
}

impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.message == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.message == *other
    }
}

/// `InvitationExpired` → `invitation_expired`: the name of a refusal's variant (or type), as
/// its `Debug` writes it, in snake case.
pub fn snake_code(debug: &str) -> String {
    let name: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut code = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

/// Which kind of "no" a refusal is; the server-function layer turns it into a status
/// (`core::api_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The actor may not do this.
    Forbidden,
    /// The thing's current state does not allow it.
    Conflict,
    /// The thing is gone, or not the actor's to see.
    NotFound,
}

/// A use case's "no" in the domain's words. Each feature lists its refusals in one enum whose
/// `Display` is the message a person reads (`GrantRefusal::InvitationExpired`, ...); `?` turns
/// it into a `ServiceError` of its kind.
pub trait Refusal: std::fmt::Display + std::fmt::Debug {
    fn kind(&self) -> RefusalKind;

    /// The stable code of this refusal: its variant's name in snake case.
    fn code(&self) -> String {
        snake_code(&format!("{self:?}"))
    }
}

impl<R: Refusal> From<R> for ServiceError {
    fn from(refusal: R) -> Self {
        let message = Reason {
            code: Some(refusal.code()),
            message: refusal.to_string(),
        };
        match refusal.kind() {
            RefusalKind::Forbidden => Self::Forbidden(message),
            RefusalKind::Conflict => Self::Conflict(message),
            RefusalKind::NotFound => Self::NotFound(message),
        }
    }
}

impl ServiceError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![(field.to_string(), message.into())])
    }

    /// The message of a refusal (forbidden, conflict, not found), for a caller that reports it
    /// and goes on; any other error is given back.
    pub fn into_refusal_message(self) -> Result<String, Self> {
        match self {
            Self::Forbidden(m) | Self::Conflict(m) | Self::NotFound(m) => Ok(m.message),
            other => Err(other),
        }
    }

    /// A write the UNIQUE index `index` refused becomes a field error on `field`, saying why;
    /// any other store error stays what it was.
    pub fn unique(err: StoreError, index: &str, field: &str, message: &str) -> Self {
        match err {
            StoreError::Duplicate(refused) if refused == index => Self::field(field, message),
            other => other.into(),
        }
    }
}

/// Collects the field errors of a form so that all of them are shown at once.
#[derive(Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn check<T>(&mut self, field: &str, result: Result<T, crate::core::domain::Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push((field.to_string(), e.0));
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(self.0))
        }
    }
}
