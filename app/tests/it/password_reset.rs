//! "Forgot your password?" (issue 15): a single-use, expiring link by email, the same answer for
//! an email nobody uses, and a new password that ends every session.
use crate::common::{last_link, services, sign_up};

use app::core::services::ServiceError;
use app::identity::service as identity;

async fn outbox_to(s: &app::core::services::Services, to: &str) -> i64 {
    s.db.query("RETURN count(SELECT * FROM outbox WHERE to = $to)")
        .bind(("to", to.to_string()))
        .await
        .expect("count")
        .take::<Option<i64>>(0)
        .expect("n")
        .unwrap_or(0)
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let s = services().await;
    let (first, _) = sign_up(&s, "ann@acme.com", "Acme").await;
    let second = identity::log_in(&s, "ann@acme.com", "correct horse battery")
        .await
        .expect("second session")
        .session()
        .expect("no two-factor step");

    identity::request_password_reset(&s, " Ann@Acme.com ")
        .await
        .expect("asked");
    assert_eq!(
        outbox_to(&s, "ann@acme.com").await,
        3,
        "the sign-up link, the welcome email and the reset link"
    );
    let token = last_link(&s, "ann@acme.com", "/set-password/").await;
    assert!(token.len() >= 32, "at least 128 bits: {token}");
    // Only the token's hash is stored.
    let stored: Vec<String> =
        s.db.query("SELECT VALUE token_hash FROM password_token")
            .await
            .expect("read")
            .take(0)
            .expect("hashes");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    // A short password is refused and changes nothing, the link included.
    assert!(matches!(
        identity::set_password_from_link(&s, &token, "short").await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(
        identity::set_password_from_link(&s, &token, "a new good password")
            .await
            .expect("set")
    );
    // Every session ended, the old password no longer works, the new one does.
    for token in [&first, &second] {
        assert!(identity::actor_for_token(&s, token)
            .await
            .expect("lookup")
            .is_none());
    }
    assert!(identity::log_in(&s, "ann@acme.com", "correct horse battery")
        .await
        .is_err());
    identity::log_in(&s, "ann@acme.com", "a new good password")
        .await
        .expect("the new password")
        .session()
        .expect("no two-factor step");
    // The link works once.
    assert!(
        !identity::set_password_from_link(&s, &token, "yet another password")
            .await
            .expect("answered")
    );
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_answer_and_no_email() {
    let s = services().await;
    sign_up(&s, "ann@acme.com", "Acme").await;
    identity::request_password_reset(&s, "nobody@acme.com")
        .await
        .expect("the same answer");
    assert_eq!(outbox_to(&s, "nobody@acme.com").await, 0);
    // A malformed address is the one thing refused.
    assert!(matches!(
        identity::request_password_reset(&s, "not an email").await,
        Err(ServiceError::Invalid(ref f)) if f[0].0 == "email"
    ));
}

#[tokio::test]
async fn a_second_request_within_a_minute_sends_nothing_and_a_new_link_kills_the_old() {
    let s = services().await;
    sign_up(&s, "ann@acme.com", "Acme").await;
    identity::request_password_reset(&s, "ann@acme.com")
        .await
        .expect("asked");
    let old = last_link(&s, "ann@acme.com", "/set-password/").await;
    identity::request_password_reset(&s, "ann@acme.com")
        .await
        .expect("asked again");
    assert_eq!(
        outbox_to(&s, "ann@acme.com").await,
        3,
        "no second link within a minute"
    );
    // A minute later (the first link made to look older), a new link replaces the old one.
    s.db.query("UPDATE password_token SET created_at = time::now() - 2m")
        .await
        .expect("age")
        .check()
        .expect("aged");
    identity::request_password_reset(&s, "ann@acme.com")
        .await
        .expect("asked later");
    let new = last_link(&s, "ann@acme.com", "/set-password/").await;
    assert_ne!(new, old);
    assert!(!identity::set_password_from_link(&s, &old, "a new good password")
        .await
        .expect("answered"));
    assert!(identity::set_password_from_link(&s, &new, "a new good password")
        .await
        .expect("answered"));
}

#[tokio::test]
async fn an_expired_link_changes_nothing() {
    let s = services().await;
    sign_up(&s, "ann@acme.com", "Acme").await;
    identity::request_password_reset(&s, "ann@acme.com")
        .await
        .expect("asked");
    let token = last_link(&s, "ann@acme.com", "/set-password/").await;
    s.db.query("UPDATE password_token SET expires_at = time::now() - 1s")
        .await
        .expect("expire")
        .check()
        .expect("expired");
    assert!(
        !identity::set_password_from_link(&s, &token, "a new good password")
            .await
            .expect("answered")
    );
    identity::log_in(&s, "ann@acme.com", "correct horse battery")
        .await
        .expect("the old password still works")
        .session()
        .expect("no two-factor step");
}
