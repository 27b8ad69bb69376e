//! The Dashboard (issue 14): what waits for each user, and only what concerns them.
use crate::common::{granted, services, sign_up};
use app::core::domain::DefaultRole;
use app::dashboard::service::dashboard;
use app::grants::service as grants;

#[tokio::test]
async fn each_user_sees_what_waits_for_them_and_nothing_else() {
    let s = services().await;
    // Pat's agency manages Olga's account (an Active grant through a request).
    let (agency_token, agency, _, owner, grant) = granted(&s, DefaultRole::Builder).await;
    // Another agency asks Olga; another owner invites Pat.
    let (_, other) = sign_up(&s, "max@other.com", "Other Agency").await;
    app::managed_accounts::service::request_access(&s, &other, "olga@client.com", "manager")
        .await
        .expect("request");
    let (_, third) = sign_up(&s, "tess@third.com", "Third Co").await;
    grants::invite(
        &s,
        &third,
        "pat@agency.com",
        &app::core::accounts::default_role_key(&third.account_id, DefaultRole::Designer),
        "",
    )
    .await
    .expect("invite");

    // Pat's agency asks Max's for access too (pending in Pat's list).
    app::managed_accounts::service::request_access(&s, &agency, "max@other.com", "builder")
        .await
        .expect("pat's request");

    // Pat's agency: its list at a glance, the invitation waiting for Pat, its own log.
    let pat = dashboard(&s, &agency).await.expect("pat");
    let managed = pat.managed.expect("an admin of the agency sees its list");
    assert_eq!(
        (managed.total, managed.pending),
        (2, 1),
        "the Active grant and Pat's own pending request"
    );
    assert_eq!(pat.invitations.len(), 1);
    assert_eq!(pat.invitations[0].client_account, "Third Co");
    assert!(pat.requests.is_empty(), "nobody asked to manage Pat's agency");
    assert!(pat.latest.is_some_and(|l| !l.is_empty()));

    // Olga: the other agency's request, her log; no invitation.
    let olga = dashboard(&s, &owner).await.expect("olga");
    assert_eq!(olga.requests.len(), 1);
    assert_eq!(
        (
            olga.requests[0].agency.as_str(),
            olga.requests[0].role_name.as_str()
        ),
        ("Other Agency", "Manager")
    );
    assert!(olga.invitations.is_empty());
    let latest = olga.latest.expect("an admin reads the log");
    assert!(latest.len() <= 5 && !latest.is_empty());

    // Pat acting in Olga's account as a Builder: none of Olga's requests, no log, no list.
    let inside = app::managed_accounts::service::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("log in");
    let inside = crate::common::actor(&s, &inside).await;
    let there = dashboard(&s, &inside).await.expect("inside");
    assert!(there.managed.is_none());
    assert!(there.requests.is_empty(), "the owner's requests are the owner's");
    assert!(there.latest.is_none(), "a Builder does not read the log");
    assert!(
        there.invitations.is_empty(),
        "not while acting in a client account"
    );
}
