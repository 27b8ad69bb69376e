//! Hourly limits on invitations, access requests and resends per account (issue 15): nobody can
//! use Steward to flood an inbox.
use crate::common::sign_up;

use app::core::domain::DefaultRole;
use app::core::services::{ServiceError, Services, Settings};
use app::grants::service::{self as grants, OwnerAction};
use app::managed_accounts::service as managed;

async fn services_with_limit(limit: i64) -> Services {
    Services::new(
        crate::common::fresh_db().await,
        Settings {
            dev_mode: true,
            invitations_per_hour: limit,
            ..Settings::default()
        },
    )
}

async fn outbox(s: &Services) -> i64 {
    s.db.query("RETURN count(SELECT * FROM outbox)")
        .await
        .expect("count")
        .take::<Option<i64>>(0)
        .expect("n")
        .unwrap_or(0)
}

fn over_the_limit(r: &Result<impl std::fmt::Debug, ServiceError>, field: &str) -> bool {
    matches!(r, Err(ServiceError::TooMany(f, m)) if f == field && m.contains("this hour"))
}

#[tokio::test]
async fn an_account_sends_at_most_its_hourly_invitations_requests_and_resends() {
    let s = services_with_limit(3).await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let builder = app::core::accounts::default_role_key(&owner.account_id, DefaultRole::Builder);
    let first = grants::invite(&s, &owner, "m1@agency.com", &builder, "")
        .await
        .expect("first");
    grants::invite(&s, &owner, "m2@agency.com", &builder, "")
        .await
        .expect("second");
    grants::owner_action(&s, &owner, &first, OwnerAction::Resend)
        .await
        .expect("a resend counts as the third");
    let mails = outbox(&s).await;
    let r = grants::invite(&s, &owner, "m3@agency.com", &builder, "").await;
    assert!(over_the_limit(&r, "email"), "{r:?}");
    let r = grants::owner_action(&s, &owner, &first, OwnerAction::Resend).await;
    assert!(over_the_limit(&r, "email"), "{r:?}");
    // Refused: nothing written, nothing sent.
    assert_eq!(outbox(&s).await, mails);
    assert_eq!(grants::list(&s, &owner).await.expect("list").rows.len(), 2);

    // Another account has its own hour; an agency's access requests count against the agency.
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    for i in 0..3 {
        sign_up(&s, &format!("owner{i}@clients.com"), "A client").await;
        managed::request_access(&s, &agency, &format!("owner{i}@clients.com"), "builder")
            .await
            .expect("within the hour's limit");
    }
    sign_up(&s, "owner9@clients.com", "A client").await;
    let r = managed::request_access(&s, &agency, "owner9@clients.com", "builder").await;
    assert!(over_the_limit(&r, "client_email"), "{r:?}");

    // The next hour starts afresh (the counts of this hour made to look an hour old).
    s.db.query("UPDATE send_quota SET hour -= 1")
        .await
        .expect("age")
        .check()
        .expect("aged");
    app::core::quota::sweep(&s.db).await.expect("sweep");
    grants::invite(&s, &owner, "m3@agency.com", &builder, "")
        .await
        .expect("a new hour");
}
