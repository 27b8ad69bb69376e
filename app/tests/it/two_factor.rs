//! Two-factor authentication (issue 15): turning it on and off, the log-in's second step,
//! single-use codes, recovery codes, limits on wrong codes, and an account that requires it —
//! of its team and of account managers logging in through a grant.
use crate::common::{account_settings, granted, services, sign_up, subjects};

use app::core::domain::DefaultRole;
use app::core::services::{Actor, ServiceError, Services};
use app::identity::service::{self as identity, LogIn, SessionToken};
use app::settings::model::AccountSettings;

const PASSWORD: &str = "correct horse battery";

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// The code an authenticator app holding `secret` (base32, as the set-up page shows it) shows
/// at `time`.
fn code_at(secret: &str, time: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("base32 secret");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(time)
        .to_string()
}

fn field_error(r: &Result<impl std::fmt::Debug, ServiceError>, field: &str, text: &str) -> bool {
    matches!(r, Err(ServiceError::Invalid(f)) if f.iter().any(|(k, m)| k == field && m.contains(text)))
}

/// Turns two-factor on for `actor`; returns its secret and recovery codes.
async fn turn_on(s: &Services, actor: &Actor) -> (String, Vec<String>) {
    let info = identity::two_factor_status(s, actor)
        .await
        .expect("status")
        .set_up
        .expect("set-up while off");
    identity::turn_on_two_factor(s, actor, &code_at(&info.secret, now()))
        .await
        .expect("turn on");
    (info.secret, info.recovery_codes)
}

async fn second_step(s: &Services, email: &str) -> (SessionToken, bool) {
    match identity::log_in(s, email, PASSWORD).await.expect("password") {
        LogIn::SecondStep { challenge, set_up } => (challenge, set_up),
        LogIn::Session(_) => panic!("{email} logged in without a second step"),
    }
}

#[tokio::test]
async fn on_with_a_first_code_then_every_log_in_asks_for_a_code_that_works_once() {
    let s = services().await;
    let (_, ann) = sign_up(&s, "ann@acme.com", "Acme").await;
    let status = identity::two_factor_status(&s, &ann).await.expect("status");
    assert!(!status.enabled && !status.required);
    let info = status.set_up.expect("set-up");
    assert!(info.qr_svg.starts_with("<svg") && info.otpauth_url.contains(&info.secret));

    // A wrong code changes nothing.
    let wrong = identity::turn_on_two_factor(&s, &ann, "000000").await;
    assert!(field_error(&wrong, "code", "Wrong code"), "{wrong:?}");
    assert!(!identity::two_factor_enabled(&s, &ann.user_id)
        .await
        .expect("read"));
    // A recovery code can't confirm a set-up: only the app's code proves the app has the secret.
    let recovery = identity::turn_on_two_factor(&s, &ann, &info.recovery_codes[0]).await;
    assert!(field_error(&recovery, "code", "Wrong code"), "{recovery:?}");

    let t = now();
    identity::turn_on_two_factor(&s, &ann, &code_at(&info.secret, t))
        .await
        .expect("on");
    assert!(identity::two_factor_enabled(&s, &ann.user_id)
        .await
        .expect("read"));
    assert!(subjects(&s, "ann@acme.com")
        .await
        .contains(&"Two-factor authentication is on for your Steward log-in".to_string()));
    let again = identity::turn_on_two_factor(&s, &ann, &code_at(&info.secret, t)).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");

    // The password alone no longer logs in.
    let (challenge, set_up) = second_step(&s, "ann@acme.com").await;
    assert!(!set_up);
    let pending = identity::challenge(&s, &challenge)
        .await
        .expect("read")
        .expect("pending");
    assert!(pending.set_up.is_none(), "no secret shown once it is on");
    let wrong = identity::complete_log_in(&s, &challenge, "123456").await;
    assert!(field_error(&wrong, "code", "Wrong code"), "{wrong:?}");
    // The code that turned it on was used: it does not count again.
    let replay = identity::complete_log_in(&s, &challenge, &code_at(&info.secret, t)).await;
    assert!(field_error(&replay, "code", "Wrong code"), "{replay:?}");
    // The app's next code does (one step of clock drift is allowed).
    let next = code_at(&info.secret, t + 30);
    let token = identity::complete_log_in(&s, &challenge, &next)
        .await
        .expect("second step");
    let actor = identity::actor_for_token(&s, &token)
        .await
        .expect("read")
        .expect("logged in");
    assert_eq!(actor.email, "ann@acme.com");
    // The challenge opened one session and is gone; the same code in a new log-in is refused.
    let used = identity::complete_log_in(&s, &challenge, &next).await;
    assert!(field_error(&used, "code", identity::LOG_IN_AGAIN), "{used:?}");
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    let replay = identity::complete_log_in(&s, &challenge, &next).await;
    assert!(field_error(&replay, "code", "Wrong code"), "{replay:?}");
}

#[tokio::test]
async fn a_recovery_code_logs_in_once() {
    let s = services().await;
    let (_, ann) = sign_up(&s, "ann@acme.com", "Acme").await;
    let (_, codes) = turn_on(&s, &ann).await;
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    // Typed in capitals, with spaces for dashes: still the code.
    let typed = codes[2].to_uppercase().replace('-', " ");
    identity::complete_log_in(&s, &challenge, &typed)
        .await
        .expect("recovery code");
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    let twice = identity::complete_log_in(&s, &challenge, &codes[2]).await;
    assert!(field_error(&twice, "code", "Wrong code"), "{twice:?}");
    let status = identity::two_factor_status(&s, &ann).await.expect("status");
    assert_eq!(status.recovery_codes_left, codes.len() - 1);
}

#[tokio::test]
async fn wrong_codes_end_the_log_in_and_then_lock_the_user() {
    let s = services().await;
    let (_, ann) = sign_up(&s, "ann@acme.com", "Acme").await;
    let (secret, _) = turn_on(&s, &ann).await;
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    for _ in 0..4 {
        let r = identity::complete_log_in(&s, &challenge, "000000").await;
        assert!(field_error(&r, "code", "Wrong code"), "{r:?}");
    }
    let fifth = identity::complete_log_in(&s, &challenge, "000000").await;
    assert!(field_error(&fifth, "code", "Log in again"), "{fifth:?}");
    // The log-in is over, even for the right code.
    let right = identity::complete_log_in(&s, &challenge, &code_at(&secret, now() + 30)).await;
    assert!(field_error(&right, "code", identity::LOG_IN_AGAIN), "{right:?}");
    // A new log-in does not buy new tries: the user is locked for a while.
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    let locked = identity::complete_log_in(&s, &challenge, &code_at(&secret, now() + 30)).await;
    assert!(
        matches!(&locked, Err(ServiceError::TooMany(f, m)) if f == "code" && m.contains("Try again in")),
        "{locked:?}"
    );
}

#[tokio::test]
async fn an_expired_log_in_asks_to_log_in_again() {
    let s = services().await;
    let (_, ann) = sign_up(&s, "ann@acme.com", "Acme").await;
    let (secret, _) = turn_on(&s, &ann).await;
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    s.db.query("UPDATE login_challenge SET expires_at = time::now() - 1s")
        .await
        .expect("age it");
    assert!(identity::challenge(&s, &challenge).await.expect("read").is_none());
    let late = identity::complete_log_in(&s, &challenge, &code_at(&secret, now() + 30)).await;
    assert!(field_error(&late, "code", identity::LOG_IN_AGAIN), "{late:?}");
    // The minute's sweep removes it.
    identity::sweep_sessions(&s).await.expect("sweep");
    let left: Vec<serde_json::Value> =
        s.db.query("SELECT * FROM login_challenge")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert!(left.is_empty());
}

#[tokio::test]
async fn turning_off_needs_the_password_and_a_new_set_up_gets_a_new_secret() {
    let s = services().await;
    let (_, ann) = sign_up(&s, "ann@acme.com", "Acme").await;
    let (secret, _) = turn_on(&s, &ann).await;
    let wrong = identity::turn_off_two_factor(&s, &ann, "not my password").await;
    assert!(field_error(&wrong, "password", "Wrong password"), "{wrong:?}");
    assert!(identity::two_factor_enabled(&s, &ann.user_id)
        .await
        .expect("read"));
    // A log-in waiting for its code when two-factor goes off must start again.
    let (challenge, _) = second_step(&s, "ann@acme.com").await;
    identity::turn_off_two_factor(&s, &ann, PASSWORD)
        .await
        .expect("off");
    let stale = identity::complete_log_in(&s, &challenge, &code_at(&secret, now() + 30)).await;
    assert!(field_error(&stale, "code", identity::LOG_IN_AGAIN), "{stale:?}");
    assert!(identity::log_in(&s, "ann@acme.com", PASSWORD)
        .await
        .expect("in")
        .session()
        .is_some());
    let fresh = identity::two_factor_status(&s, &ann)
        .await
        .expect("status")
        .set_up
        .expect("set-up");
    assert_ne!(fresh.secret, secret);
}

fn requiring(on: bool) -> AccountSettings {
    AccountSettings {
        require_two_factor: on,
        ..account_settings(true, false, "never")
    }
}

#[tokio::test]
async fn an_account_that_requires_it_has_its_users_set_it_up_at_log_in() {
    let s = services().await;
    let (_, olga) = sign_up(&s, "olga@acme.com", "Acme").await;
    app::settings::service::save(&s, &olga, &requiring(true))
        .await
        .expect("require");
    assert!(
        app::settings::service::get(&s, &olga)
            .await
            .expect("read")
            .require_two_factor
    );

    let (challenge, set_up) = second_step(&s, "olga@acme.com").await;
    assert!(set_up, "asked to set it up first");
    let info = identity::challenge(&s, &challenge)
        .await
        .expect("read")
        .expect("pending")
        .set_up
        .expect("the set-up to show");
    // A recovery code can't stand in for the set-up.
    let r = identity::complete_log_in(&s, &challenge, &info.recovery_codes[0]).await;
    assert!(field_error(&r, "code", "Wrong code"), "{r:?}");
    let token = identity::complete_log_in(&s, &challenge, &code_at(&info.secret, now()))
        .await
        .expect("set up and in");
    let olga = identity::actor_for_token(&s, &token)
        .await
        .expect("read")
        .expect("in");
    let status = identity::two_factor_status(&s, &olga).await.expect("status");
    assert!(status.enabled && status.required);
    // Required: it stays on.
    let off = identity::turn_off_two_factor(&s, &olga, PASSWORD).await;
    assert!(
        matches!(&off, Err(ServiceError::Conflict(m)) if m.contains("requires")),
        "{off:?}"
    );
    // The next log-in asks for a code, and the set-up's recovery codes work.
    let (challenge, set_up) = second_step(&s, "olga@acme.com").await;
    assert!(!set_up);
    identity::complete_log_in(&s, &challenge, &info.recovery_codes[1])
        .await
        .expect("recovery");
}

#[tokio::test]
async fn a_manager_logs_in_to_an_account_that_requires_it_only_with_it_on() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant) = granted(&s, DefaultRole::Manager).await;
    app::settings::service::save(&s, &owner, &requiring(true))
        .await
        .expect("require");
    let refused = app::managed_accounts::service::log_in_to(&s, &agency, &agency_token, &grant).await;
    assert!(
        matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("requires two-factor")),
        "{refused:?}"
    );
    // Still at home, same session.
    let home = identity::actor_for_token(&s, &agency_token)
        .await
        .expect("read")
        .expect("in");
    assert!(home.managing.is_none());
    // An account manager can't change the setting from inside either.
    turn_on(&s, &agency).await;
    let inside_token = app::managed_accounts::service::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("in with two-factor on");
    let inside = identity::actor_for_token(&s, &inside_token)
        .await
        .expect("read")
        .expect("in");
    assert!(inside.managing.is_some());
    let change = app::settings::service::save(&s, &inside, &requiring(false)).await;
    assert!(matches!(change, Err(ServiceError::Forbidden(_))), "{change:?}");
    // Two-factor is about one's own log-in: set at home, not from inside a managed account.
    let status = identity::two_factor_status(&s, &inside).await;
    assert!(status.is_err(), "{status:?}");
}
