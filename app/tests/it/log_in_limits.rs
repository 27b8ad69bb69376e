//! Log-in limits per email (issue 15): after five failures in a row an email is locked for a
//! growing time, known or not, and a lock holds even for the right password.
use crate::common::{services, sign_up};

use app::core::services::ServiceError;
use app::identity::service as identity;
use app::identity::throttle::FREE;

fn locked(r: &Result<identity::LogIn, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::TooMany(field, m)) if field == "password" && m.contains("Try again in"))
}

#[tokio::test]
async fn five_failures_lock_an_email_known_or_not_and_a_success_frees_it() {
    let s = services().await;
    sign_up(&s, "ann@acme.com", "Acme").await;
    for email in ["ann@acme.com", "nobody@acme.com"] {
        for _ in 0..FREE {
            let r = identity::log_in(&s, email, "not the password").await;
            assert!(
                matches!(r, Err(ServiceError::Invalid(ref f)) if f[0].1 == identity::WRONG_CREDENTIALS),
                "{email}: {r:?}"
            );
        }
        // Locked now: the same answer for an email with an account and one without.
        let r = identity::log_in(&s, email, "not the password").await;
        assert!(locked(&r), "{email}: {r:?}");
    }
    // The right password waits too.
    assert!(locked(
        &identity::log_in(&s, "ANN@acme.com", "correct horse battery").await
    ));
    // Other emails are not held back.
    sign_up(&s, "bob@acme.com", "Bob Co").await;
    identity::log_in(&s, "bob@acme.com", "correct horse battery")
        .await
        .expect("another email logs in")
        .session()
        .expect("no two-factor step");
    // After the lock (1 second for the fifth failure), the right password works and frees the
    // email: its next failure is free again.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    identity::log_in(&s, "ann@acme.com", "correct horse battery")
        .await
        .expect("after the lock")
        .session()
        .expect("no two-factor step");
    let r = identity::log_in(&s, "ann@acme.com", "not the password").await;
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
}

/// The count is kept in the database, not in one server's memory: a lock made through one
/// server holds on another on the same database. It keeps no email, and a day without a failure
/// forgets it.
#[tokio::test]
async fn a_lock_holds_on_every_server_and_keeps_no_email() {
    let s = services().await;
    let other = crate::common::another_server(&s).await;
    for _ in 0..FREE {
        let r = identity::log_in(&s, "ann@acme.com", "not the password").await;
        assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
    }
    let r = identity::log_in(&other, "Ann@Acme.com", "not the password").await;
    assert!(locked(&r), "{r:?}");
    let stored: Vec<String> =
        s.db.query("SELECT VALUE <string> id FROM login_failure")
            .await
            .expect("read")
            .take(0)
            .expect("ids");
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains("ann"), "{stored:?}");

    s.db.query("UPDATE login_failure SET last_ms -= 2 * 24 * 3600 * 1000")
        .await
        .expect("a day later");
    identity::sweep_sessions(&s).await.expect("sweep");
    let left: Option<i64> =
        s.db.query("RETURN count(SELECT * FROM login_failure)")
            .await
            .expect("count")
            .take(0)
            .expect("n");
    assert_eq!(left, Some(0));
    let r = identity::log_in(&other, "ann@acme.com", "not the password").await;
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "free again: {r:?}");
}
