//! Sign up, log in, log out, and finding the actor behind a session token.
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use super::store;
use super::throttle;
use crate::core::accounts;
use crate::core::db::{self, AuditEntry, Mail, StoreError, Tx};
use crate::core::domain::{AccountName, Email, Password, PermissionSet, PersonName};
use crate::core::services::{Actor, FieldErrors, ServiceError, Services};
use crate::core::session_cache::Stamp;
use crate::identity::model::{PendingLogIn, TwoFactorStatus};
use crate::identity::two_factor::{Enrollment, Proof, RECOVERY_CODES};

/// What is stored of a token (a session's, a link's): its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session token as the cookie carries it. Never logged, never stored: only its hash is.
pub struct SessionToken(String);

impl SessionToken {
    fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// A fresh random token (also used for set-password links).
    pub fn new_random() -> Self {
        Self::generate()
    }

    pub fn from_cookie(value: &str) -> Self {
        Self(value.to_string())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        token_hash(&self.0)
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<hidden>)")
    }
}

pub struct SignUp {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub account_name: String,
}

/// Runs password hashing off the async threads, at most one hash per core at a time: each one
/// holds argon2's 19 MiB, so a burst of log-ins queues here instead of growing memory.
async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _slot = slots
        .acquire()
        .await
        .map_err(|e| ServiceError::Internal(format!("hashing slots: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(format!("hashing task: {e}")))
}

/// Hashes a password with argon2id.
#[tracing::instrument(skip_all)]
pub async fn hash_password(password: &Password) -> Result<String, ServiceError> {
    let raw = password.expose().to_string();
    hashing(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(raw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("hashing: {e}")))
    })
    .await?
}

/// Is `password` the one the user with this email logs in with now?
pub async fn is_current_password(
    services: &Services,
    email: &str,
    password: &Password,
) -> Result<bool, ServiceError> {
    Ok(match accounts::find_login(&services.db, email).await? {
        Some(login) => verify_password(password.expose(), login.password_hash).await,
        None => false,
    })
}

async fn verify_password(raw: &str, hash: String) -> bool {
    let raw = raw.to_string();
    hashing(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(raw.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified when the email is unknown so that a wrong email
/// takes as long as a wrong password.
fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(SessionToken::generate().expose().as_bytes(), &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}

/// Why the identity use cases say no.
#[derive(Debug, thiserror::Error)]
pub enum IdentityRefusal {
    #[error("This sign-up link is no longer valid: it was used, or it expired. Sign up again.")]
    SignUpLinkGone,
}

impl crate::core::services::Refusal for IdentityRefusal {
    fn kind(&self) -> crate::core::services::RefusalKind {
        match self {
            Self::SignUpLinkGone => crate::core::services::RefusalKind::NotFound,
        }
    }
}

/// How long a sign-up's link works.
pub const SIGN_UP_LINK_TTL_SECS: i64 = 24 * 3600;
/// At most one sign-up email a minute to an address, whoever asks.
const SIGN_UP_EMAIL_EVERY_SECS: i64 = 60;

/// What the browser that signed up keeps: a token that lets the development Mailbox show it its
/// link (only its hash is stored). Outside development mode nothing reads it.
#[derive(Debug)]
pub struct SignUpSent {
    pub browser: SessionToken,
}

/// "Sign up": emails a link that creates the account when opened (`confirm_sign_up`), so that
/// nobody signs up with an email that isn't theirs. With an email that already has a log-in,
/// the answer is the same and its owner is emailed instead ("someone tried to sign up with your
/// email"): a stranger learns nothing (issue 15). At most one email a minute to an address.
#[tracing::instrument(skip_all)]
pub async fn sign_up(services: &Services, input: SignUp, next: &str) -> Result<SignUpSent, ServiceError> {
    let mut errors = FieldErrors::default();
    let first_name = errors.check("first_name", PersonName::parse(&input.first_name, "first name"));
    let last_name = errors.check("last_name", PersonName::parse(&input.last_name, "last name"));
    let email = errors.check("email", Email::parse(&input.email));
    let password = errors.check(
        "password",
        Password::parse_new(&input.password, email.as_ref().map_or("", Email::as_str)),
    );
    let account_name = errors.check("account_name", AccountName::parse(&input.account_name));
    errors.finish()?;
    let (Some(first_name), Some(last_name), Some(email), Some(password), Some(account_name)) =
        (first_name, last_name, email, password, account_name)
    else {
        return Err(ServiceError::Internal("validated fields missing".into()));
    };

    // Hashed either way, so that a taken email takes as long as a free one.
    let password_hash = hash_password(&password).await?;
    let browser = SessionToken::generate();
    if store::signed_up_within(&services.db, email.as_str(), SIGN_UP_EMAIL_EVERY_SECS).await? {
        return Ok(SignUpSent { browser });
    }
    let owner = accounts::find_login(&services.db, email.as_str()).await?;
    let next = super::safe_next(next);
    let token = SessionToken::generate();
    let token_hash = token.hash();
    let browser_hash = browser.hash();
    let mut tx = Tx::new();
    let account_name = account_name.into_string();
    match &owner {
        None => {
            store::create_sign_up(
                &mut tx,
                store::NewSignUp {
                    email: email.as_str(),
                    token_hash: Some(&token_hash),
                    browser_hash: Some(&browser_hash),
                    pending: Some(store::SignUpDetails {
                        first_name: first_name.as_str(),
                        last_name: last_name.as_str(),
                        account_name: &account_name,
                        password_hash: &password_hash,
                    }),
                    next: &next,
                    ttl_secs: SIGN_UP_LINK_TTL_SECS,
                },
            );
            tx.mail(Mail {
                to: email.to_string(),
                subject: SIGN_UP_SUBJECT.into(),
                body: format!(
                    "Hello {},\n\nopen the link to create your Steward account {}. It works once, for \
                     24 hours.\n\nIf you didn't sign up, ignore this email: nothing is created.\n",
                    first_name.as_str(),
                    account_name
                ),
                link: Some(services.link(&format!("/signup/confirm/{}", token.expose()))),
            });
        }
        Some(user) => {
            store::create_sign_up(
                &mut tx,
                store::NewSignUp {
                    email: email.as_str(),
                    token_hash: None,
                    browser_hash: None,
                    pending: None,
                    next: &next,
                    ttl_secs: SIGN_UP_LINK_TTL_SECS,
                },
            );
            tx.mail(Mail {
                to: email.to_string(),
                subject: "Someone tried to sign up with your email".into(),
                body: format!(
                    "Hello {},\n\nsomeone (maybe you) tried to sign up for Steward with this email, \
                     which already has a log-in. Nothing was created.\nIf it was you, log in at the \
                     link below, or choose a new password there with \"Forgot your password?\".\n",
                    user.first_name
                ),
                link: Some(services.link("/login")),
            });
        }
    }
    services.commit(tx).await?;
    Ok(SignUpSent { browser })
}

/// The email of the sign-up a browser started (`SignUpSent::browser`) while it waits for its link.
pub async fn waiting_sign_up_email(
    services: &Services,
    browser: &SessionToken,
) -> Result<Option<String>, ServiceError> {
    Ok(store::sign_up_email_of_browser(&services.db, &browser.hash()).await?)
}

/// The subject of the email with a sign-up's link.
pub const SIGN_UP_SUBJECT: &str = "Finish signing up for Steward";

/// The sign-up a link stands for: whom and what it creates.
#[tracing::instrument(skip_all)]
pub async fn sign_up_link(services: &Services, token: &str) -> Result<(String, String), ServiceError> {
    let pending = store::pending_sign_up(&services.db, &token_hash(token))
        .await?
        .ok_or(IdentityRefusal::SignUpLinkGone)?;
    Ok((pending.email, pending.account_name))
}

/// Opens a sign-up's link: creates the user and their home account (free trial), the user being
/// its primary admin with the Admin role, and logs them in. Returns the session and where to go.
/// The link works once.
#[tracing::instrument(skip_all)]
pub async fn confirm_sign_up(
    services: &Services,
    token: &str,
) -> Result<(SessionToken, String), ServiceError> {
    let hash = token_hash(token);
    let pending = store::pending_sign_up(&services.db, &hash)
        .await?
        .ok_or(IdentityRefusal::SignUpLinkGone)?;
    let account_key = db::new_key();
    let user_key = db::new_key();
    let mut tx = Tx::new();
    store::use_sign_up(&mut tx, &hash);
    accounts::create_account_with_admin(
        &mut tx,
        accounts::NewAccount {
            account_key: account_key.clone(),
            name: pending.account_name.clone(),
            user_key: user_key.clone(),
            email: pending.email.clone(),
            first_name: pending.first_name.clone(),
            last_name: pending.last_name.clone(),
            password_hash: pending.password_hash,
            trial_secs: services.settings.trial_secs,
        },
    );
    tx.audit(AuditEntry {
        account: db::rid("account", &account_key),
        actor_user: Some(db::rid("user", &user_key)),
        actor_name: format!("{} {} <{}>", pending.first_name, pending.last_name, pending.email),
        via_account: None,
        action: "account.created".into(),
        detail: format!("Signed up and created the account {}", pending.account_name),
    });
    tx.mail(Mail {
        to: pending.email.clone(),
        subject: "Welcome to Steward".into(),
        body: format!(
            "Hello {},\n\nyour account {} is ready. Log in at the link below.\n",
            pending.first_name, pending.account_name
        ),
        link: Some(services.link("/login")),
    });
    match services.commit(tx).await {
        Ok(()) => {}
        Err(e) if store::is_sign_up_gone(&e) => return Err(IdentityRefusal::SignUpLinkGone.into()),
        Err(e) => {
            return Err(ServiceError::unique(
                e,
                "user_email",
                "token",
                "This email has a Steward log-in already. Log in, or choose a new password with \"Forgot your password?\".",
            ))
        }
    }
    let session = start_session(services, &user_key, &account_key, None).await?;
    Ok((session, pending.next))
}

/// A new session in the user's home account, with its audit entry (a log in) in one transaction.
async fn start_session(
    services: &Services,
    user_key: &str,
    account_key: &str,
    audit: Option<AuditEntry>,
) -> Result<SessionToken, ServiceError> {
    let token = SessionToken::generate();
    let mut tx = Tx::new();
    store::create(
        &mut tx,
        &token.hash(),
        user_key,
        account_key,
        services.settings.session_absolute_secs,
    );
    if let Some(entry) = audit {
        tx.audit(entry);
    }
    services.commit(tx).await?;
    Ok(token)
}

/// The one message for a wrong email or a wrong password: it must not tell which.
pub const WRONG_CREDENTIALS: &str = "Wrong email or password.";

/// What a correct email and password lead to.
#[derive(Debug)]
pub enum LogIn {
    /// Logged in.
    Session(SessionToken),
    /// Two-factor comes next: a code, or setting it up first (`set_up`) when the home account
    /// requires it. The token goes in a short-lived cookie; only its hash is stored.
    SecondStep { challenge: SessionToken, set_up: bool },
}

impl LogIn {
    /// The session, when no second step is asked for.
    pub fn session(self) -> Option<SessionToken> {
        match self {
            Self::Session(token) => Some(token),
            Self::SecondStep { .. } => None,
        }
    }
}

/// How long a log-in waits for its second step, and how many wrong codes end it.
pub const CHALLENGE_TTL_SECS: i64 = 300;
const CHALLENGE_TRIES: i64 = 5;

/// Checks the credentials and opens a new session in the user's home account, or asks for the
/// second step when two-factor is on (or required by the home account and not set up yet).
#[tracing::instrument(skip_all)]
pub async fn log_in(services: &Services, email: &str, password: &str) -> Result<LogIn, ServiceError> {
    let now = chrono::Utc::now().timestamp_millis();
    let lock = throttle::lock(&services.db, email, now).await?;
    if let Some(wait) = lock.wait_secs {
        return Err(ServiceError::TooMany(
            "password".into(),
            format!(
                "Too many failed log-ins with this email. Try again in {}.",
                throttle::wait_in_words(wait)
            ),
        ));
    }
    // The same answer and the same work (a hash) whether or not the email has an account.
    let wrong = || async {
        throttle::failed(&services.db, email, now).await?;
        Err::<LogIn, _>(ServiceError::Invalid(vec![(
            "password".into(),
            WRONG_CREDENTIALS.into(),
        )]))
    };
    let Ok(parsed) = Email::parse(email) else {
        verify_password(password, hashing(dummy_hash).await.unwrap_or_default()).await;
        return wrong().await;
    };
    let Some(user) = accounts::find_login(&services.db, parsed.as_str()).await? else {
        verify_password(password, hashing(dummy_hash).await.unwrap_or_default()).await;
        return wrong().await;
    };
    if !verify_password(password, user.password_hash).await {
        return wrong().await;
    }
    if lock.has_failures {
        throttle::succeeded(&services.db, email).await?;
    }
    let (two_factor, required) = store::two_factor(&services.db, &user.id).await?;
    if two_factor.enabled || required {
        let challenge = SessionToken::generate();
        let mut tx = Tx::new();
        store::create_challenge(
            &mut tx,
            &challenge.hash(),
            &user.id,
            !two_factor.enabled,
            CHALLENGE_TTL_SECS,
        );
        services.commit(tx).await?;
        return Ok(LogIn::SecondStep {
            challenge,
            set_up: !two_factor.enabled,
        });
    }
    let Some(account_key) = accounts::home_account(&services.db, &user.id).await? else {
        return wrong().await;
    };
    let entry = logged_in_entry(
        &account_key,
        &user.id,
        &user.first_name,
        &user.last_name,
        parsed.as_str(),
        "Logged in",
    );
    Ok(LogIn::Session(
        start_session(services, &user.id, &account_key, Some(entry)).await?,
    ))
}

fn logged_in_entry(
    account_key: &str,
    user_key: &str,
    first: &str,
    last: &str,
    email: &str,
    detail: &str,
) -> AuditEntry {
    AuditEntry {
        account: db::rid("account", account_key),
        actor_user: Some(db::rid("user", user_key)),
        actor_name: format!("{first} {last} <{email}>"),
        via_account: None,
        action: "user.logged_in".into(),
        detail: detail.into(),
    }
}

/// What the second step of a log-in shows; `None` when the log-in has expired or was used.
#[tracing::instrument(skip_all)]
pub async fn challenge(
    services: &Services,
    challenge: &SessionToken,
) -> Result<Option<PendingLogIn>, ServiceError> {
    let Some(ch) = store::find_challenge(&services.db, &challenge.hash()).await? else {
        return Ok(None);
    };
    let set_up = if ch.set_up {
        let user_key = db::key(&ch.user);
        let Some(user) = accounts::user_brief(&services.db, &user_key).await? else {
            return Ok(None);
        };
        let (record, _) = store::two_factor(&services.db, &user_key).await?;
        Some(Enrollment::derive(services, &user_key, &user.email, record.generation)?.set_up_info()?)
    } else {
        None
    };
    Ok(Some(PendingLogIn { set_up }))
}

/// The one message for a log-in whose second step has expired, was used, or failed too often.
pub const LOG_IN_AGAIN: &str = "This log-in has expired. Log in again.";

/// The second step of a log-in: a code of the authenticator app or a recovery code (or, when
/// setting two-factor up, a first code of the app, which turns it on). Opens the session.
#[tracing::instrument(skip_all)]
pub async fn complete_log_in(
    services: &Services,
    challenge: &SessionToken,
    code: &str,
) -> Result<SessionToken, ServiceError> {
    let hash = challenge.hash();
    let again = || ServiceError::field("code", LOG_IN_AGAIN);
    let Some(ch) = store::find_challenge(&services.db, &hash).await? else {
        return Err(again());
    };
    let user_key = db::key(&ch.user);
    // Wrong codes lock the user (not the challenge only), so new log-ins don't buy new tries.
    let throttle_key = format!("two-factor:{user_key}");
    let now_ms = chrono::Utc::now().timestamp_millis();
    let lock = throttle::lock(&services.db, &throttle_key, now_ms).await?;
    if let Some(wait) = lock.wait_secs {
        return Err(ServiceError::TooMany(
            "code".into(),
            format!(
                "Too many wrong codes. Try again in {}.",
                throttle::wait_in_words(wait)
            ),
        ));
    }
    let Some(user) = accounts::user_brief(&services.db, &user_key).await? else {
        return Err(again());
    };
    let (record, _) = store::two_factor(&services.db, &user_key).await?;
    // Turned off (or on, for a set-up) since the password was checked: start again.
    if record.enabled == ch.set_up {
        return Err(again());
    }
    let enrollment = Enrollment::derive(services, &user_key, &user.email, record.generation)?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let proof = if ch.set_up {
        enrollment
            .check_code_only(code, now)
            .map(|step| Proof::Code { step })
    } else {
        enrollment.check(code, now, record.last_step, &record.used_recovery)
    };
    let Some(proof) = proof else {
        throttle::failed(&services.db, &throttle_key, now_ms).await?;
        if !store::challenge_failed(&services.db, &hash, CHALLENGE_TRIES).await? {
            return Err(ServiceError::field("code", "Too many wrong codes. Log in again."));
        }
        return Err(ServiceError::field("code", WRONG_CODE));
    };
    if lock.has_failures {
        throttle::succeeded(&services.db, &throttle_key).await?;
    }
    let Some(account_key) = accounts::home_account(&services.db, &user_key).await? else {
        return Err(again());
    };
    let mut tx = Tx::new();
    store::end_challenge(&mut tx, &hash);
    let detail = if ch.set_up {
        // A set-up is confirmed by a code of the app only (`check_code_only`).
        let Proof::Code { step } = proof else {
            return Err(again());
        };
        store::enable_two_factor(&mut tx, &user_key, record.generation, step);
        tx.mail(two_factor_mail(services, &user.email, &user.first_name, true));
        tx.audit(two_factor_on_entry(&account_key, &user_key, &user));
        "Turned two-factor authentication on and logged in"
    } else {
        store::use_two_factor_code(&mut tx, &user_key, proof);
        match proof {
            Proof::Code { .. } => "Logged in with two-factor authentication",
            Proof::Recovery { .. } => "Logged in with a two-factor recovery code",
        }
    };
    tx.audit(logged_in_entry(
        &account_key,
        &user_key,
        &user.first_name,
        &user.last_name,
        &user.email,
        detail,
    ));
    let token = SessionToken::generate();
    store::create(
        &mut tx,
        &token.hash(),
        &user_key,
        &account_key,
        services.settings.session_absolute_secs,
    );
    match services.commit(tx).await {
        Ok(()) => Ok(token),
        Err(StoreError::Db(e))
            if e.to_string().contains("log-in challenge used") || e.to_string().contains("two-factor") =>
        {
            Err(again())
        }
        Err(e) => Err(e.into()),
    }
}

pub const WRONG_CODE: &str =
    "Wrong code. Enter the 6-digit code your authenticator app shows now, or a recovery code.";

fn two_factor_mail(services: &Services, email: &str, first_name: &str, on: bool) -> Mail {
    let (subject, what) = if on {
        (
            "Two-factor authentication is on",
            "turned on: log-ins now also ask for a code of your authenticator app",
        )
    } else {
        (
            "Two-factor authentication is off",
            "turned off: log-ins now ask for your password only",
        )
    };
    Mail {
        to: email.to_string(),
        subject: format!("{subject} for your Steward log-in"),
        body: format!(
            "Hello {first_name},\n\ntwo-factor authentication of your Steward log-in was {what}.\n\n\
             If this wasn't you, change your password and tell your account's admin."
        ),
        link: Some(services.link("/two-factor")),
    }
}

/// A set-up finished inside a log-in: there is no actor yet, so the entry is made here.
fn two_factor_on_entry(account_key: &str, user_key: &str, user: &accounts::UserBrief) -> AuditEntry {
    AuditEntry {
        account: db::rid("account", account_key),
        actor_user: Some(db::rid("user", user_key)),
        actor_name: format!("{} {} <{}>", user.first_name, user.last_name, user.email),
        via_account: None,
        action: "user.two_factor_on".into(),
        detail: "Turned two-factor authentication on".into(),
    }
}

/// Whether two-factor is on for the user.
pub async fn two_factor_enabled(services: &Services, user_key: &str) -> Result<bool, ServiceError> {
    Ok(store::two_factor_enabled(&services.db, user_key).await?)
}

/// The acting user's two-factor: on or off, required or not, and what turning it on needs.
/// About the user's own log-in, so only from their home account.
#[tracing::instrument(skip_all, fields(user = %actor.user_id))]
pub async fn two_factor_status(services: &Services, actor: &Actor) -> Result<TwoFactorStatus, ServiceError> {
    actor.require_home_account()?;
    let (record, required) = store::two_factor(&services.db, &actor.user_id).await?;
    let set_up = if record.enabled {
        None
    } else {
        Some(Enrollment::derive(services, &actor.user_id, &actor.email, record.generation)?.set_up_info()?)
    };
    Ok(TwoFactorStatus {
        enabled: record.enabled,
        required,
        recovery_codes_left: if record.enabled {
            RECOVERY_CODES.saturating_sub(record.used_recovery.len())
        } else {
            0
        },
        set_up,
    })
}

/// Turns two-factor on for the acting user, confirmed by a first code of their app.
#[tracing::instrument(skip_all, fields(user = %actor.user_id))]
pub async fn turn_on_two_factor(services: &Services, actor: &Actor, code: &str) -> Result<(), ServiceError> {
    actor.require_home_account()?;
    let (record, _) = store::two_factor(&services.db, &actor.user_id).await?;
    if record.enabled {
        return Err(ServiceError::Conflict(
            "Two-factor authentication is already on.".into(),
        ));
    }
    let enrollment = Enrollment::derive(services, &actor.user_id, &actor.email, record.generation)?;
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let Some(step) = enrollment.check_code_only(code, now) else {
        return Err(ServiceError::field(
            "code",
            "Wrong code. Enter the 6-digit code your authenticator app shows now.",
        ));
    };
    let mut tx = Tx::new();
    store::enable_two_factor(&mut tx, &actor.user_id, record.generation, step);
    tx.audit(actor.audit("user.two_factor_on", "Turned two-factor authentication on"));
    tx.mail(two_factor_mail(services, &actor.email, &actor.first_name, true));
    commit_two_factor(services, tx).await
}

/// Turns two-factor off for the acting user, confirmed by their password; refused while their
/// home account requires it.
#[tracing::instrument(skip_all, fields(user = %actor.user_id))]
pub async fn turn_off_two_factor(
    services: &Services,
    actor: &Actor,
    password: &str,
) -> Result<(), ServiceError> {
    actor.require_home_account()?;
    let (record, required) = store::two_factor(&services.db, &actor.user_id).await?;
    if !record.enabled {
        return Err(ServiceError::Conflict(
            "Two-factor authentication is already off.".into(),
        ));
    }
    if required {
        return Err(ServiceError::Conflict(
            format!(
                "{} requires two-factor authentication for everyone who logs in to it.",
                actor.account_name
            )
            .into(),
        ));
    }
    let ok = match accounts::find_login(&services.db, &actor.email).await? {
        Some(login) => verify_password(password, login.password_hash).await,
        None => false,
    };
    if !ok {
        return Err(ServiceError::field("password", "Wrong password."));
    }
    let mut tx = Tx::new();
    store::disable_two_factor(&mut tx, &actor.user_id);
    tx.audit(actor.audit("user.two_factor_off", "Turned two-factor authentication off"));
    tx.mail(two_factor_mail(services, &actor.email, &actor.first_name, false));
    commit_two_factor(services, tx).await
}

async fn commit_two_factor(services: &Services, tx: Tx) -> Result<(), ServiceError> {
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(StoreError::Db(e)) if e.to_string().contains("two-factor changed") => {
            Err(ServiceError::Conflict(
                "Two-factor authentication was changed meanwhile. Reload the page.".into(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[tracing::instrument(skip_all)]
pub async fn log_out(services: &Services, token: &SessionToken) -> Result<(), ServiceError> {
    store::delete_by_hash(&services.db, &token.hash()).await?;
    Ok(())
}

/// Deletes the sessions that have ended, so that the tables, indexes and the Users list's count
/// of open sessions hold live ones only; run every minute by the server. Returns how many.
#[tracing::instrument(name = "sweep_sessions", skip_all)]
pub async fn sweep_sessions(services: &Services) -> Result<usize, ServiceError> {
    const BATCH: i64 = 500;
    let mut deleted = 0;
    // Bounded, so one sweep never runs long; what is left waits for the next minute.
    for _ in 0..20 {
        let n = store::delete_ended(&services.db, services.settings.session_idle_secs, BATCH).await?;
        deleted += n;
        if n < BATCH as usize {
            break;
        }
    }
    store::delete_expired(&services.db, "login_challenge", BATCH).await?;
    store::delete_expired(&services.db, "sign_up", BATCH).await?;
    throttle::forget_old(&services.db, chrono::Utc::now().timestamp_millis(), BATCH).await?;
    Ok(deleted)
}

/// The actor behind a session token, or `None` when the session is gone or expired.
///
/// A session logged in to a managed account whose grant is no longer active goes back home here,
/// at its next request, with a message.
#[tracing::instrument(skip_all)]
pub async fn actor_for_token(
    services: &Services,
    token: &SessionToken,
) -> Result<Option<Actor>, ServiceError> {
    Ok(session_for_token(services, token).await?.map(|(actor, _)| actor))
}

/// The actor and the message the session holds for them, if any.
///
/// One read of the session record per request; the rest comes from the session cache while the
/// record's stamp is unchanged, and is resolved again otherwise.
#[tracing::instrument(name = "session", skip_all)]
pub async fn session_for_token(
    services: &Services,
    token: &SessionToken,
) -> Result<Option<(Actor, Option<String>)>, ServiceError> {
    let hash = token.hash();
    let idle = services.settings.session_idle_secs;
    let Some(mut head) = store::find_live(&services.db, &hash, idle).await? else {
        return Ok(None);
    };
    // Writing on every request would be wasteful; a minute is precise enough for idle expiry.
    if head.seen_secs_ago >= 60 {
        match store::touch(&services.db, &head.id, &head.user_id).await {
            // Another request of this session touched it at the same moment.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let now = chrono::Utc::now().timestamp();
    if let Some(actor) = services.sessions.get(&hash, &stamp(&head), now) {
        return Ok(Some((actor, head.notice)));
    }
    let mut resolved = store::resolve(&services.db, &head.id).await?;
    if let Some(r) = resolved.as_ref().filter(|r| !r.grant_ok) {
        let Some(home) = r.home_account_id.clone() else {
            return Ok(None);
        };
        let notice = format!("Your access to {} has ended.", r.account_name);
        match store::return_home(
            &services.db,
            &head.id,
            r.via_grant.as_deref(),
            &home,
            r.via_grant.is_some().then_some(notice.as_str()),
        )
        .await
        {
            // Another request of this session (the page and its data load together) sent it
            // home at the same moment; the session is read again below either way.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let Some(again) = store::find_live(&services.db, &hash, idle).await? else {
            return Ok(None);
        };
        head = again;
        resolved = store::resolve(&services.db, &head.id).await?;
    }
    let Some(row) = resolved.filter(|r| r.grant_ok) else {
        return Ok(None);
    };
    let Some(role_name) = row.role_name else {
        // The user no longer belongs to the account this session acts in.
        return Ok(None);
    };
    let managing = row
        .via_grant
        .clone()
        .map(|grant_id| crate::core::actor::Managing {
            grant_id: grant_id.into(),
            agency_name: row.home_account_name.clone().unwrap_or_default(),
        });
    let actor = Actor {
        session_id: head.id.clone(),
        is_primary_admin: row.primary_admin.as_deref() == Some(head.user_id.as_str()),
        user_id: head.user_id.clone().into(),
        email: row.email,
        first_name: row.first_name,
        last_name: row.last_name,
        account_id: row.acting_account.clone().into(),
        account_name: row.account_name,
        home_account_id: row.home_account_id.unwrap_or_default().into(),
        role_name,
        permissions: PermissionSet::from_keys(row.permissions.unwrap_or_default()),
        managing,
        dates: crate::core::domain::locale::DateStyle::new(
            row.date_format.as_deref().unwrap_or_default(),
            row.time_zone.as_deref().unwrap_or_default(),
        ),
        currency: crate::core::domain::locale::Currency::of_stored(row.currency.as_deref()),
        api_key: None,
    };
    // Cached at the stamp the data was read at, which may be older than `head`'s: then the
    // next request misses and resolves again, never the other way round.
    let resolved_at = Stamp {
        session_id: head.id.clone(),
        auth_version: row.auth_version,
        account_id: row.acting_account,
        via_grant: row.via_grant,
    };
    services
        .sessions
        .put(hash, resolved_at, actor.clone(), row.grant_until);
    Ok(Some((actor, head.notice)))
}

fn stamp(head: &store::SessionHead) -> Stamp {
    Stamp {
        session_id: head.id.clone(),
        auth_version: head.auth_version,
        account_id: head.account_id.clone(),
        via_grant: head.via_grant.clone(),
    }
}

/// Moves the session to a new token (the old one stops working) for the same user acting in `account_key`,
/// through `grant_key` when managing, in one transaction with whatever `tx` already holds (its
/// audit entry, its email). A new token at every change of privilege.
#[tracing::instrument(skip_all)]
pub async fn switch_session(
    services: &Services,
    old: &SessionToken,
    user_key: &str,
    account_key: &str,
    grant_key: Option<&str>,
    mut tx: Tx,
) -> Result<SessionToken, ServiceError> {
    let token = SessionToken::generate();
    store::replace(
        &mut tx,
        &old.hash(),
        &token.hash(),
        user_key,
        account_key,
        grant_key,
    );
    match services.commit(tx).await {
        Ok(()) => Ok(token),
        // Ended between the check and the switch (a force logout): no new session survives it.
        Err(StoreError::Db(e)) if e.to_string().contains("session ended") => {
            Err(ServiceError::Unauthenticated)
        }
        Err(e) => Err(e.into()),
    }
}

/// How long a "Forgot your password?" link works.
pub const RESET_LINK_TTL_SECS: i64 = 3600;

/// Adds to `tx` a link for the user to set their password (the hash of its token); an earlier
/// link stops working. `grant`: a new client account's agency grant and the nonce the token is
/// derived from, so the agency's list can show the link until it is used.
pub fn add_password_link(
    tx: &mut Tx,
    user_key: &str,
    token_hash: &str,
    ttl_secs: i64,
    grant: Option<(&str, &str)>,
) {
    store::create_password_token(tx, user_key, token_hash, ttl_secs, grant);
}

/// "Forgot your password?": emails the user with this email a single-use link to choose a new
/// password. The answer is the same whether or not anyone uses the email (only a malformed
/// address is refused), and a user gets at most one such email a minute.
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(services: &Services, email: &str) -> Result<(), ServiceError> {
    let email = Email::parse(email).map_err(|e| ServiceError::field("email", e.0))?;
    let Some(user) = accounts::find_login(&services.db, email.as_str()).await? else {
        return Ok(());
    };
    if store::password_link_sent_within(&services.db, &user.id, 60).await? {
        return Ok(());
    }
    let token = SessionToken::new_random();
    let mut tx = Tx::new();
    add_password_link(&mut tx, &user.id, &token.hash(), RESET_LINK_TTL_SECS, None);
    tx.mail(Mail {
        to: email.as_str().to_string(),
        subject: "Choose a new Steward password".into(),
        body: format!(
            "Hello {},\n\nSomeone (we hope you) asked to reset the password of your Steward log-in.\n\
             Open the link to choose a new one. It works once, for one hour, and logs you out\n\
             everywhere you are logged in.\n\nIf you didn't ask, ignore this email: your password \
             stays as it is.",
            user.first_name
        ),
        link: Some(services.link(&format!("/set-password/{}", token.expose()))),
    });
    services.commit(tx).await?;
    Ok(())
}

/// Sets the password from a link (a new client account's, or "Forgot your password?"): the
/// link then stops working and every session of the user ends. `false` when the link is
/// unknown, used or expired.
#[tracing::instrument(skip_all)]
pub async fn set_password_from_link(
    services: &Services,
    token: &str,
    password: &str,
) -> Result<bool, ServiceError> {
    let password = Password::parse_new(password, "").map_err(|e| ServiceError::field("password", e.0))?;
    let hash = hash_password(&password).await?;
    Ok(store::use_password_token(&services.db, &token_hash(token), &hash).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_are_hashed_with_argon2id_at_owasps_parameters_or_stronger() {
        let password = Password::parse_new("correct horse battery", "ann@acme.com").expect("password");
        let hash = hash_password(&password).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", hash.clone()).await);
        assert!(!verify_password("correct horse batterY", hash).await);
    }
}
