//! Managed accounts (agency side): every rule and refusal, against a real SurrealDB.

use crate::common::{account_settings, actor, contact, granted, last_link, services, sign_up, subjects};
use app::core::ids::GrantId;

use app::contacts::service as contacts;
use app::core::accounts;
use app::core::domain::DefaultRole;
use app::core::services::{ServiceError, Services};
use app::grants::model::{LinkOutcome, NextPage};
use app::grants::service as grants;
use app::identity::service::{self as identity, SessionToken};
use app::managed_accounts::service::{self as managed, NewClientAccount};
use app::users::service as users;

/// A blank basic account the client pays for, owned by `email`.
fn blank_client(name: &str, email: &str) -> NewClientAccount {
    NewClientAccount {
        name: name.into(),
        level: "basic".into(),
        cms_plan: "none".into(),
        payer: "client".into(),
        login_email: email.into(),
        data: "blank".into(),
        template: String::new(),
        sandbox: false,
    }
}

/// Issue 15: an agency's request names the client account only once its owner grants access —
/// not in the row, a search, a refusal or the answer's email — and keeps naming it after.
#[tokio::test]
async fn a_request_shows_the_account_behind_an_email_only_once_granted() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Secret Client Co").await;
    let denied_id = managed::request_access(&s, &agency, "olga@client.com", "builder")
        .await
        .expect("request");
    let search = |q: &'static str| {
        let (s, agency) = (s.clone(), agency.clone());
        async move {
            managed::list(&s, &agency, q, "name", false, 0)
                .await
                .expect("list")
                .total
        }
    };
    assert_eq!(
        search("secret").await,
        0,
        "the name is not searchable before the answer"
    );
    assert_eq!(search("olga@client").await, 1, "the typed email is");
    let refused =
        managed::log_in_to(&s, &agency, &identity::SessionToken::from_cookie("x"), &denied_id).await;
    assert!(
        matches!(&refused, Err(ServiceError::Conflict(m)) if m.contains("olga@client.com") && !m.contains("Secret")),
        "{refused:?}"
    );
    let token = last_link(&s, "olga@client.com", "/requests/").await;
    managed::decide_request(&s, &owner, &token, false)
        .await
        .expect("deny");
    let row = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .remove(0);
    assert_eq!(
        (row.name.as_str(), row.owner_email.as_str()),
        ("", "olga@client.com")
    );
    let mails = subjects(&s, "pat@agency.com").await;
    assert!(mails.iter().any(|m| m.contains("was denied")), "{mails:?}");
    assert!(mails.iter().all(|m| !m.contains("Secret")), "{mails:?}");

    managed::unlink(&s, &agency, &denied_id)
        .await
        .expect("remove the denied row");
    let grant_id = managed::request_access(&s, &agency, "olga@client.com", "builder")
        .await
        .expect("ask again");
    let token = last_link(&s, "olga@client.com", "/requests/").await;
    managed::decide_request(&s, &owner, &token, true)
        .await
        .expect("grant");
    assert_eq!(search("secret").await, 1);
    let row = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .remove(0);
    assert_eq!(row.name, "Secret Client Co");
    // Once granted, a revoked grant still shows what the agency managed.
    grants::owner_action(&s, &owner, &grant_id, grants::OwnerAction::Revoke)
        .await
        .expect("revoke");
    let row = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .remove(0);
    assert_eq!(
        (row.name.as_str(), row.access.as_str()),
        ("Secret Client Co", "Revoked")
    );
}

#[tokio::test]
async fn request_access_then_the_owner_grants_it_from_the_email() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let id = managed::request_access(&s, &agency, "OLGA@client.com", "builder")
        .await
        .expect("request");
    let list = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list");
    let row = &list.rows[0];
    assert_eq!(
        (
            row.id.as_str(),
            row.name.as_str(),
            row.access.as_str(),
            row.role_name.as_str()
        ),
        (id.as_str(), "", "Pending", "Builder")
    );
    // Until the owner answers, the agency sees the email it typed, not the account behind it.
    assert_eq!(
        (row.owner_email.as_str(), row.account_status.as_str()),
        ("olga@client.com", "")
    );
    let token = last_link(&s, "olga@client.com", "/requests/").await;
    assert!(row
        .invitation_link
        .as_deref()
        .is_some_and(|l| l.ends_with(&token)));

    let view = managed::view_request(&s, Some(&owner), &token)
        .await
        .expect("view");
    assert_eq!(
        (
            view.agency.as_str(),
            view.requester.as_str(),
            view.outcome.clone()
        ),
        ("Agency Inc", "pat@agency.com", None)
    );
    let stranger = managed::view_request(&s, Some(&agency), &token)
        .await
        .expect("view");
    assert!(matches!(stranger.outcome, Some(LinkOutcome::Blocked(_))));
    assert!(matches!(
        managed::decide_request(&s, &agency, &token, true).await,
        Err(ServiceError::NotFound(_))
    ));

    managed::decide_request(&s, &owner, &token, true)
        .await
        .expect("grant");
    let granted = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .remove(0);
    assert_eq!(
        (
            granted.access.as_str(),
            granted.name.as_str(),
            granted.account_status.as_str()
        ),
        ("Active", "Client Co", "Free trial")
    );
    assert!(subjects(&s, "pat@agency.com")
        .await
        .iter()
        .any(|m| m.contains("was granted")));
    let twice = managed::decide_request(&s, &owner, &token, false)
        .await
        .expect_err("twice");
    assert!(matches!(twice, ServiceError::Conflict(_)));
    // The owner's link now reads as answered, and leads to Account managers.
    let answered = managed::view_request(&s, Some(&owner), &token)
        .await
        .expect("view");
    assert_eq!(
        answered.outcome,
        Some(LinkOutcome::Answered {
            message: "Access was granted.".into(),
            next: NextPage::AccountManagers
        })
    );
    // The owner sees the agency in Account managers.
    let managers = grants::list(&s, &owner).await.expect("list");
    assert_eq!(
        (
            managers.rows[0].status.as_str(),
            managers.rows[0].managing_account.as_deref()
        ),
        ("Active", Some("Agency Inc"))
    );
}

#[tokio::test]
async fn requests_that_make_no_sense_are_refused_and_create_nothing() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let own = managed::request_access(&s, &agency, "pat@agency.com", "admin")
        .await
        .expect_err("own");
    assert!(matches!(own, ServiceError::Invalid(ref f) if f[0].1 == "That is your own account."));
    managed::request_access(&s, &agency, "olga@client.com", "admin")
        .await
        .expect("request");
    let twice = managed::request_access(&s, &agency, "olga@client.com", "manager")
        .await
        .expect_err("twice");
    assert!(matches!(twice, ServiceError::Invalid(ref f) if f[0].1.contains("already")));
    assert_eq!(
        managed::list(&s, &agency, "", "name", false, 0)
            .await
            .expect("list")
            .total,
        1
    );
    let _ = owner;
}

/// Issue 15: asking for an email no account uses, or whose account takes no requests, answers as
/// asking a known one does — a Pending row showing the typed email and the role, the same
/// refusal when asked twice — but mails and tells nobody, and never gives a way in.
#[tokio::test]
async fn a_request_to_an_unknown_or_closed_account_answers_like_a_known_one() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, open) = sign_up(&s, "olga@client.com", "Client Co").await;
    let (_, closed) = sign_up(&s, "carl@closed.com", "Closed Co").await;
    s.db.query("UPDATE account SET allow_manager_requests = false WHERE name = 'Closed Co'")
        .await
        .expect("setting");
    for email in ["olga@client.com", "nobody@nowhere.com", "carl@closed.com"] {
        managed::request_access(&s, &agency, email, "manager")
            .await
            .unwrap_or_else(|e| panic!("{email}: {e:?}"));
        let twice = managed::request_access(&s, &agency, email, "admin")
            .await
            .expect_err("twice");
        assert!(
            matches!(twice, ServiceError::Invalid(ref f) if f[0].1 == "You already manage or asked to manage this account."),
            "{email}: {twice:?}"
        );
    }
    let list = managed::list(&s, &agency, "", "owner_email", false, 0)
        .await
        .expect("list");
    let seen: Vec<_> = list
        .rows
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.owner_email.as_str(),
                r.role_name.as_str(),
                r.access.as_str(),
                r.account_status.as_str(),
                r.invitation_link.is_some(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("", "carl@closed.com", "Manager", "Pending", "", true),
            ("", "nobody@nowhere.com", "Manager", "Pending", "", true),
            ("", "olga@client.com", "Manager", "Pending", "", true),
        ]
    );
    // Only the open account's owner hears of it; the others' owners and lists know nothing.
    assert_eq!(
        subjects(&s, "olga@client.com").await.len(),
        3,
        "the sign-up link, the welcome and the request"
    );
    assert_eq!(
        subjects(&s, "carl@closed.com").await.len(),
        2,
        "the sign-up link and the welcome only"
    );
    assert!(subjects(&s, "nobody@nowhere.com").await.is_empty());
    assert_eq!(grants::list(&s, &open).await.expect("open").rows.len(), 1);
    assert!(grants::list(&s, &closed).await.expect("closed").rows.is_empty());
    let closed_audit: Vec<String> =
        s.db.query("SELECT VALUE action FROM audit WHERE account = type::record('account', $a)")
            .bind(("a", closed.account_id.to_string()))
            .await
            .expect("audit")
            .take(0)
            .expect("actions");
    assert!(
        !closed_audit.iter().any(|a| a.starts_with("grant.")),
        "{closed_audit:?}"
    );

    // The link the agency holds names no account, and nobody can answer it but an admin of one.
    for row in &list.rows {
        let link = row.invitation_link.clone().expect("link");
        let token = link.rsplit('/').next().expect("token");
        let view = managed::view_request(&s, Some(&agency), token)
            .await
            .expect("view");
        assert_eq!(view.client_account, row.owner_email);
        assert!(
            matches!(&view.outcome, Some(LinkOutcome::Blocked(b)) if b.starts_with("Only an admin")),
            "{:?}",
            view.outcome
        );
        let refused = managed::decide_request(&s, &closed, token, true).await;
        assert!(refused.is_err(), "{}: {refused:?}", row.owner_email);
    }

    // It expires like any request, and goes without a word to anyone.
    s.db.query("UPDATE grant SET token_expires_at = time::now() - 1s")
        .await
        .expect("age");
    grants::sweep(&s).await.expect("sweep");
    let list = managed::list(&s, &agency, "", "owner_email", false, 0)
        .await
        .expect("list");
    assert!(list.rows.iter().all(|r| r.access == "Expired"), "{:?}", list.rows);
    for row in &list.rows {
        managed::unlink(&s, &agency, &GrantId::new(row.id.clone()))
            .await
            .expect("unlink");
    }
    assert!(subjects(&s, "nobody@nowhere.com").await.is_empty());
    assert_eq!(subjects(&s, "carl@closed.com").await.len(), 2);
    assert_eq!(
        managed::list(&s, &agency, "", "name", false, 0)
            .await
            .expect("list")
            .total,
        0
    );
}

#[tokio::test]
async fn the_owner_denies_a_request() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    managed::request_access(&s, &agency, "olga@client.com", "admin")
        .await
        .expect("request");
    let token = last_link(&s, "olga@client.com", "/requests/").await;
    managed::decide_request(&s, &owner, &token, false)
        .await
        .expect("deny");
    assert_eq!(
        managed::list(&s, &agency, "", "name", false, 0)
            .await
            .expect("list")
            .rows[0]
            .access,
        "Denied"
    );
    assert!(subjects(&s, "pat@agency.com")
        .await
        .iter()
        .any(|m| m.contains("was denied")));
}

#[tokio::test]
async fn log_in_acts_with_the_grant_role_and_back_home() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, DefaultRole::Builder).await;
    contacts::create(&s, &owner, contact("Existing"))
        .await
        .expect("owner's contact");

    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    assert!(
        identity::actor_for_token(&s, &agency_token)
            .await
            .expect("l")
            .is_none(),
        "a new session id"
    );
    let inside = actor(&s, &managing).await;
    assert_eq!(
        (inside.account_id.as_str(), inside.role_name.as_str()),
        (owner.account_id.as_str(), "Builder")
    );
    let me = inside.me(false);
    assert_eq!(
        me.managing.as_ref().map(|m| m.agency.as_str()),
        Some("Agency Inc")
    );
    assert!(contacts::list(&s, &inside)
        .await
        .expect("list")
        .contacts
        .iter()
        .any(|c| c.first_name == "Existing"));
    contacts::create(&s, &inside, contact("ByManager"))
        .await
        .expect("Builder may create");
    let delete = contacts::delete(
        &s,
        &inside,
        &contacts::list(&s, &owner).await.expect("l").contacts[0].id,
    )
    .await;
    assert!(
        matches!(delete, Err(ServiceError::Forbidden(_))),
        "Builder may not delete"
    );
    // Audited with the real user and the agency.
    let names: Vec<String> = s
        .db
        .query("SELECT VALUE actor_name FROM audit WHERE action = 'contact.created' AND via_account != NONE")
        .await
        .expect("q")
        .take(0)
        .expect("v");
    assert_eq!(
        names,
        vec!["manager Pat Person <pat@agency.com> of agency Agency Inc".to_string()]
    );
    assert!(subjects(&s, "olga@client.com")
        .await
        .iter()
        .any(|m| m.contains("logged in to your account")));
    // Nothing of the agency's own is reachable from inside.
    assert!(matches!(
        managed::list(&s, &inside, "", "", false, 0).await,
        Err(ServiceError::Forbidden(_))
    ));

    let home = managed::back_home(&s, &inside, &managing).await.expect("back");
    let back = actor(&s, &home).await;
    assert_eq!(
        (back.account_id.as_str(), back.role_name.as_str()),
        (agency.account_id.as_str(), "Admin")
    );
    assert!(back.managing.is_none());
}

#[tokio::test]
async fn a_designer_grant_cannot_read_client_contacts() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, DefaultRole::Designer).await;
    contacts::create(&s, &owner, contact("Secret"))
        .await
        .expect("contact");
    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    let inside = actor(&s, &managing).await;
    assert!(contacts::list(&s, &inside)
        .await
        .expect("list")
        .contacts
        .is_empty());
    assert!(matches!(
        contacts::create(&s, &inside, contact("X")).await,
        Err(ServiceError::Forbidden(_))
    ));
}

#[tokio::test]
async fn revoked_access_sends_a_logged_in_manager_home_with_a_message() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, DefaultRole::Admin).await;
    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    assert_eq!(actor(&s, &managing).await.account_id, owner.account_id);
    grants::owner_action(&s, &owner, &grant_id, grants::OwnerAction::Revoke)
        .await
        .expect("revoke");
    let (after, notice) = identity::session_for_token(&s, &managing)
        .await
        .expect("l")
        .expect("still logged in");
    assert_eq!(after.account_id, agency.account_id, "back home");
    assert_eq!(notice.as_deref(), Some("Your access to Client Co has ended."));
    let again = managed::log_in_to(&s, &after, &managing, &grant_id)
        .await
        .expect_err("revoked");
    assert!(matches!(again, ServiceError::Conflict(_)));
    // Deleted the same way.
    grants::owner_action(&s, &owner, &grant_id, grants::OwnerAction::GrantAgain)
        .await
        .expect("again");
    let managing = managed::log_in_to(&s, &after, &managing, &grant_id)
        .await
        .expect("log in again");
    grants::delete(&s, &owner, &grant_id).await.expect("delete");
    assert_eq!(actor(&s, &managing).await.account_id, agency.account_id);
}

#[tokio::test]
async fn the_agency_roles_decide_who_sees_adds_updates_and_logs_in() {
    let s = services().await;
    let (_, agency, _, _, grant_id) = granted(&s, DefaultRole::Admin).await;
    for (role, email) in [
        (DefaultRole::Manager, "mo@agency.com"),
        (DefaultRole::Builder, "bo@agency.com"),
    ] {
        users::add(
            &s,
            &agency,
            users::UserInput {
                first_name: "Team".into(),
                last_name: "Mate".into(),
                email: email.into(),
                password: "a fine password".into(),
                role_id: accounts::default_role_key(&agency.account_id, role).into(),
            },
        )
        .await
        .expect("add");
    }
    let mo_token = identity::log_in(&s, "mo@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let mo = actor(&s, &mo_token).await;
    assert_eq!(
        managed::list(&s, &mo, "", "", false, 0)
            .await
            .expect("Manager may view")
            .rows
            .len(),
        1
    );
    assert!(matches!(
        managed::request_access(&s, &mo, "x@y.com", "admin").await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        managed::unlink(&s, &mo, &grant_id).await,
        Err(ServiceError::Forbidden(_))
    ));
    managed::log_in_to(&s, &mo, &mo_token, &grant_id)
        .await
        .expect("Manager may log in");

    let bo_token = identity::log_in(&s, "bo@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let bo = actor(&s, &bo_token).await;
    assert!(matches!(
        managed::list(&s, &bo, "", "", false, 0).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        managed::log_in_to(&s, &bo, &bo_token, &grant_id).await,
        Err(ServiceError::Forbidden(_))
    ));
}

#[tokio::test]
async fn unlink_removes_the_grant_on_both_sides_and_emails_the_owner() {
    let s = services().await;
    let (_, agency, _, owner, grant_id) = granted(&s, DefaultRole::Admin).await;
    managed::unlink(&s, &agency, &grant_id).await.expect("unlink");
    assert_eq!(
        managed::list(&s, &agency, "", "", false, 0)
            .await
            .expect("list")
            .total,
        0
    );
    assert!(grants::list(&s, &owner).await.expect("list").rows.is_empty());
    assert!(subjects(&s, "olga@client.com")
        .await
        .iter()
        .any(|m| m.contains("no longer manages")));
    assert!(matches!(
        managed::unlink(&s, &agency, &grant_id).await,
        Err(ServiceError::NotFound(_))
    ));
}

/// The total comes from a counter the grants' own writes keep (migration 0012): it follows
/// every way a grant joins or leaves an agency's list, also when many are written at once.
#[tokio::test]
async fn the_total_follows_every_way_a_grant_joins_or_leaves_the_list() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let shown =
        |list: &app::managed_accounts::model::ManagedAccountsPage| (list.total, list.rows.len() as i64);
    let mut at_once = tokio::task::JoinSet::new();
    for i in 0..12 {
        let (s, agency) = (s.clone(), agency.clone());
        at_once.spawn(async move {
            managed::create_account(
                &s,
                &agency,
                blank_client(&format!("Client {i:02}"), &format!("owner{i}@clients.com")),
            )
            .await
        });
    }
    while let Some(created) = at_once.join_next().await {
        created.expect("task").expect("create");
    }
    let list = managed::list(&s, &agency, "", "", false, 0).await.expect("list");
    assert_eq!(shown(&list), (12, 12));

    managed::unlink(&s, &agency, &list.rows[0].id.clone().into())
        .await
        .expect("unlink");
    let list = managed::list(&s, &agency, "", "", false, 0).await.expect("list");
    assert_eq!(shown(&list), (11, 11));

    // An owner's invitation joins the agency's list when it is accepted.
    let builder = accounts::default_role_key(&owner.account_id, DefaultRole::Builder);
    grants::invite(&s, &owner, "pat@agency.com", &builder, "")
        .await
        .expect("invite");
    let token = last_link(&s, "pat@agency.com", "/invitations/").await;
    grants::answer_invitation(&s, &agency, &token, true)
        .await
        .expect("accept");
    let list = managed::list(&s, &agency, "", "", false, 0).await.expect("list");
    assert_eq!(shown(&list), (12, 12));

    // A request for access is in the list while pending, and stays with its answer.
    let (_, _other) = sign_up(&s, "otto@other.com", "Other Co").await;
    managed::request_access(&s, &agency, "otto@other.com", DefaultRole::Manager.key())
        .await
        .expect("request");
    let list = managed::list(&s, &agency, "", "", false, 0).await.expect("list");
    assert_eq!(shown(&list), (13, 13));

    // Grants written before the counter existed are counted by the migration that adds it.
    let migration = include_str!("../../src/core/migrations/0012_managed_count.surql");
    let backfill = migration
        .split_once("-- Grants written before this migration.")
        .expect("the backfill part")
        .1;
    s.db.query(format!("DELETE managed_count; {backfill}"))
        .await
        .expect("backfill")
        .check()
        .expect("backfilled");
    let list = managed::list(&s, &agency, "", "", false, 0).await.expect("list");
    assert_eq!(shown(&list), (13, 13));
    let owners = managed::list(&s, &owner, "", "", false, 0).await.expect("list");
    assert_eq!(shown(&owners), (0, 0));
}

/// Every accepted invitation of one agency writes that agency's counter (migration 0012): many
/// accepted at the same moment all succeed and are all counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invitations_accepted_at_once_by_one_agencys_users_all_count() {
    const AT_ONCE: usize = 30;
    let s = services().await;
    let (_, admin) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let admin_role = accounts::default_role_key(&admin.account_id, DefaultRole::Admin);
    let mut accepts = Vec::new();
    for i in 0..AT_ONCE {
        let email = format!("agent{i}@agency.com");
        users::add(
            &s,
            &admin,
            users::UserInput {
                first_name: "Agent".into(),
                last_name: format!("No {i}"),
                email: email.clone(),
                password: "a fine password".into(),
                role_id: admin_role.to_string(),
            },
        )
        .await
        .expect("add");
        let agent = actor(
            &s,
            &identity::log_in(&s, &email, "a fine password")
                .await
                .expect("log in")
                .session()
                .expect("no two-factor step"),
        )
        .await;
        let (_, owner) = sign_up(&s, &format!("owner{i}@client.com"), &format!("Client {i}")).await;
        let builder = accounts::default_role_key(&owner.account_id, DefaultRole::Builder);
        grants::invite(&s, &owner, &email, &builder, "")
            .await
            .expect("invite");
        accepts.push((agent, last_link(&s, &email, "/invitations/").await));
    }
    let mut at_once = tokio::task::JoinSet::new();
    for (agent, token) in accepts {
        let s = s.clone();
        at_once.spawn(async move { grants::answer_invitation(&s, &agent, &token, true).await });
    }
    while let Some(accepted) = at_once.join_next().await {
        accepted.expect("task").expect("every accept succeeds");
    }
    let list = managed::list(&s, &admin, "", "", false, 0).await.expect("list");
    assert_eq!((list.total, list.rows.len()), (AT_ONCE as i64, 25));
}

#[tokio::test]
async fn create_client_accounts_each_way_of_paying() {
    let s = services().await;
    let (agency_token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    for (name, payer, email) in [
        ("Agency Owned", "agency", "ops+client1@agency.com"),
        ("Client Owned", "client", "carla@client.com"),
    ] {
        managed::create_account(
            &s,
            &agency,
            NewClientAccount {
                name: name.into(),
                level: "pro".into(),
                cms_plan: "starter".into(),
                payer: payer.into(),
                login_email: email.into(),
                data: "blank".into(),
                template: String::new(),
                sandbox: false,
            },
        )
        .await
        .expect("create");
        let token = last_link(&s, email, "/set-password/").await;
        managed::set_password(&s, &token, "the client's own password")
            .await
            .expect("set password");
        assert!(
            managed::set_password(&s, &token, "another password here")
                .await
                .is_err(),
            "single use"
        );
        let owner = actor(
            &s,
            &identity::log_in(&s, email, "the client's own password")
                .await
                .expect("log in")
                .session()
                .expect("no two-factor step"),
        )
        .await;
        assert_eq!(
            (
                owner.account_name.as_str(),
                owner.role_name.as_str(),
                owner.is_primary_admin
            ),
            (name, "Admin", true)
        );
    }
    let terms: Vec<(String, String, i64, i64, String)> = s
        .db
        .query("SELECT VALUE [name, paid_by, discount_percent, commission_percent, status] FROM account WHERE paid_by != NONE ORDER BY name")
        .await
        .expect("q")
        .take(0)
        .expect("v");
    assert_eq!(
        terms,
        vec![
            ("Agency Owned".into(), "agency".into(), 25, 0, "free_trial".into()),
            ("Client Owned".into(), "client".into(), 0, 25, "free_trial".into()),
        ]
    );
    let list = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list");
    assert_eq!(
        list.rows
            .iter()
            .map(|r| (r.name.as_str(), r.access.as_str(), r.role_name.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("Agency Owned", "Active", "Admin"),
            ("Client Owned", "Active", "Admin")
        ]
    );
    managed::log_in_to(&s, &agency, &agency_token, &GrantId::new(&list.rows[0].id))
        .await
        .expect("log in to the new account");

    let taken = managed::create_account(
        &s,
        &agency,
        NewClientAccount {
            name: "Dup".into(),
            level: "pro".into(),
            cms_plan: "none".into(),
            payer: "client".into(),
            login_email: "CARLA@client.com".into(),
            data: "blank".into(),
            template: String::new(),
            sandbox: false,
        },
    )
    .await
    .expect_err("taken");
    assert!(matches!(taken, ServiceError::Invalid(ref f) if f[0].1 == "User already exists."));
    let n: Option<i64> =
        s.db.query("RETURN count(SELECT * FROM account WHERE name = 'Dup')")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(n, Some(0), "nothing half-made");
    let bad = managed::create_account(
        &s,
        &agency,
        NewClientAccount {
            name: "X".into(),
            level: "gold".into(),
            cms_plan: "none".into(),
            payer: "nobody".into(),
            login_email: "x".into(),
            data: "blank".into(),
            template: String::new(),
            sandbox: false,
        },
    )
    .await
    .expect_err("bad");
    assert!(matches!(bad, ServiceError::Invalid(ref f) if f.len() == 4));
}

#[tokio::test]
async fn the_list_searches_sorts_and_pages() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    for i in 0..30 {
        managed::create_account(
            &s,
            &agency,
            blank_client(&format!("Client {i:02}"), &format!("owner{i}@clients.com")),
        )
        .await
        .expect("create");
    }
    let first = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list");
    assert_eq!((first.total, first.rows.len()), (30, 25));
    assert_eq!(first.rows[0].name, "Client 00");
    let second = managed::list(&s, &agency, "", "name", false, 1)
        .await
        .expect("list");
    assert_eq!(second.rows.len(), 5);
    let desc = managed::list(&s, &agency, "", "name", true, 0)
        .await
        .expect("list");
    assert_eq!(desc.rows[0].name, "Client 29");
    let found = managed::list(&s, &agency, "client 1", "name", false, 0)
        .await
        .expect("search by name");
    assert_eq!(found.total, 10);
    let by_email = managed::list(&s, &agency, "OWNER7@", "name", false, 0)
        .await
        .expect("search by email");
    assert_eq!(
        by_email.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        vec!["Client 07"]
    );
}

/// Every sort read backwards gives the ascending order reversed, page after page, on the on-disk
/// engine too: its backward index scans run through our patch of surrealkv (patches/). The
/// accounts are renamed once so that their index entries have been rewritten, and a second
/// agency's grants lie after the first's in the index, as they do in a real database.
#[tokio::test]
async fn descending_pages_are_the_ascending_order_reversed_on_disk_and_in_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let on_disk = format!("surrealkv://{}", dir.path().join("steward.db").display());
    for url in [on_disk.as_str(), "mem://"] {
        let s = Services::new(
            app::connect(url).await.expect("db"),
            app::core::services::Settings {
                dev_mode: true,
                ..Default::default()
            },
        );
        let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
        let (_, other) = sign_up(&s, "zed@zagency.com", "Z Agency").await;
        for i in 0..60 {
            let name = format!("Client {:02}", (i * 37) % 60);
            let account = managed::create_account(&s, &agency, blank_client(&name, &format!("o{i}@c.com")))
                .await
                .expect("create");
            s.db.query("UPDATE $a SET name = $name")
                .bind(("a", app::core::db::rid("account", account.as_str())))
                .bind(("name", format!("{name} renamed")))
                .await
                .expect("rename")
                .check()
                .expect("rename ok");
            managed::create_account(
                &s,
                &other,
                blank_client(&format!("Other {i}"), &format!("z{i}@c.com")),
            )
            .await
            .expect("create other");
        }
        for sort in [
            "name",
            "owner_email",
            "role_name",
            "state",
            "account_status",
            "created_at",
        ] {
            let mut ascending = Vec::new();
            let mut descending = Vec::new();
            for page in 0..3 {
                let up = managed::list(&s, &agency, "", sort, false, page)
                    .await
                    .expect("list");
                let down = managed::list(&s, &agency, "", sort, true, page)
                    .await
                    .expect("list");
                assert_eq!((up.total, down.total), (60, 60), "{url} {sort}");
                ascending.extend(up.rows.into_iter().map(|r| (r.name, r.owner_email)));
                descending.extend(down.rows.into_iter().map(|r| (r.name, r.owner_email)));
            }
            assert_eq!(ascending.len(), 60, "{url} {sort}");
            assert!(
                ascending.iter().all(|(name, _)| name.ends_with(" renamed")),
                "{url} {sort}"
            );
            if sort == "name" {
                assert_eq!(ascending[0].0, "Client 00 renamed", "{url}");
                assert_eq!(descending[0].0, "Client 59 renamed", "{url}");
            }
            if ["name", "owner_email"].contains(&sort) {
                // Unique keys: the exact order, reversed.
                descending.reverse();
                assert_eq!(ascending, descending, "{url} {sort}");
            } else {
                // Equal keys may come in any order, but every row once.
                ascending.sort();
                descending.sort();
                assert_eq!(ascending, descending, "{url} {sort}");
            }
        }
    }
}

/// A page reached from the page before or after it (its `next` or `previous`, read from the
/// row keys of migration 0033) is the page of that number: walked forward and back in every
/// sort and direction, every row comes once and in the order of the pages by number, though
/// many rows share a name, a role or a state, and requests have no name at all. A cursor that
/// no list made is refused with a message.
#[tokio::test]
async fn pages_reached_from_the_next_one_are_the_pages_by_number() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, other) = sign_up(&s, "zed@zagency.com", "Z Agency").await;
    for i in 0..56 {
        managed::create_account(
            &s,
            &agency,
            blank_client(&format!("Client {}", i % 7), &format!("o{i}@c.com")),
        )
        .await
        .expect("create");
        managed::create_account(
            &s,
            &other,
            blank_client(&format!("Other {i}"), &format!("z{i}@c.com")),
        )
        .await
        .expect("create other");
    }
    for i in 0..6 {
        managed::request_access(&s, &agency, &format!("r{i}@nowhere.com"), "builder")
            .await
            .expect("request");
    }
    let ids = |page: &app::managed_accounts::model::ManagedAccountsPage| {
        page.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    };
    for sort in [
        "name",
        "owner_email",
        "role_name",
        "state",
        "account_status",
        "created_at",
    ] {
        for descending in [false, true] {
            let what = format!("{sort} descending={descending}");
            let mut by_number = Vec::new();
            for page in 0..3 {
                let list = managed::list(&s, &agency, "", sort, descending, page)
                    .await
                    .expect("list");
                assert_eq!(list.total, 62, "{what}");
                by_number.push(ids(&list));
            }
            assert_eq!(
                by_number.iter().map(Vec::len).collect::<Vec<_>>(),
                vec![25, 25, 12],
                "{what}"
            );
            if sort == "name" {
                let names = managed::list(&s, &agency, "", sort, descending, 0)
                    .await
                    .expect("list");
                let names: Vec<&str> = names.rows.iter().map(|r| r.name.as_str()).collect();
                let mut sorted = names.clone();
                sorted.sort();
                if descending {
                    sorted.reverse();
                }
                assert_eq!(names, sorted, "{what}");
            }
            // Forward from the first page, each from the one before.
            let mut list = managed::list(&s, &agency, "", sort, descending, 0)
                .await
                .expect("list");
            assert_eq!(list.previous, None, "{what}");
            let mut walked = vec![ids(&list)];
            while let Some(next) = list.next.clone() {
                assert!(next.starts_with("after:"), "{what}");
                list = managed::list_from(&s, &agency, "", sort, descending, list.page + 1, &next)
                    .await
                    .expect("next page");
                walked.push(ids(&list));
            }
            assert_eq!(walked, by_number, "{what}: forward");
            // And back from the last, each from the one after.
            let mut back = vec![ids(&list)];
            while let Some(previous) = list.previous.clone() {
                assert!(previous.starts_with("before:"), "{what}");
                list = managed::list_from(&s, &agency, "", sort, descending, list.page - 1, &previous)
                    .await
                    .expect("previous page");
                back.push(ids(&list));
            }
            back.reverse();
            assert_eq!(back, by_number, "{what}: back");
            assert!(list.next.is_some(), "{what}");
        }
    }
    // A search's pages go by number.
    let found = managed::list(&s, &agency, "client", "name", false, 0)
        .await
        .expect("search");
    assert_eq!((found.total, found.next, found.previous), (56, None, None));
    for bad in ["next:x", "after:", "junk"] {
        let refused = managed::list_from(&s, &agency, "", "name", false, 1, bad).await;
        assert!(
            matches!(&refused, Err(ServiceError::Invalid(fields)) if fields[0].0 == "cursor"),
            "{bad}: {refused:?}"
        );
    }
}

/// A search reads a range of one index that starts with the agency (migration 0011): it finds
/// only the agency's own clients, by the start of the name or of the owner's email, and follows
/// a rename of the client account.
#[tokio::test]
async fn a_search_finds_only_the_agencys_own_clients_and_follows_a_rename() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, rival) = sign_up(&s, "rita@rival.com", "Rival Ltd").await;
    let acme = managed::create_account(&s, &agency, blank_client("Acme Bakery", "ann@acme.com"))
        .await
        .expect("create");
    managed::create_account(&s, &rival, blank_client("Acme Tools", "tom@acme.com"))
        .await
        .expect("create");
    let names = |list: app::managed_accounts::model::ManagedAccountsPage| {
        list.rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
    };
    let found = managed::list(&s, &agency, "acme", "name", false, 0)
        .await
        .expect("list");
    assert_eq!(found.total, 1);
    assert_eq!(names(found), vec!["Acme Bakery"]);
    let by_email = managed::list(&s, &rival, "TOM@", "name", false, 0)
        .await
        .expect("list");
    assert_eq!(names(by_email), vec!["Acme Tools"]);
    assert_eq!(
        managed::list(&s, &agency, "tom@", "name", false, 0)
            .await
            .expect("list")
            .total,
        0,
        "another agency's client is never found"
    );

    s.db.query("UPDATE type::record('account', $a) SET name = 'Zenith Bakery'")
        .bind(("a", acme.to_string()))
        .await
        .expect("rename")
        .check()
        .expect("renamed");
    assert_eq!(
        managed::list(&s, &agency, "acme", "name", false, 0)
            .await
            .expect("list")
            .total,
        0
    );
    assert_eq!(
        names(
            managed::list(&s, &agency, "zen", "name", false, 0)
                .await
                .expect("list")
        ),
        vec!["Zenith Bakery"]
    );
}

#[tokio::test]
async fn the_owner_decides_about_requests_and_log_in_emails() {
    use app::settings::service as settings;
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, DefaultRole::Admin).await;
    assert_eq!(
        settings::get(&s, &owner).await.expect("get").login_notify,
        "each_time"
    );
    assert!(
        settings::save(&s, &owner, &account_settings(true, false, "hourly"))
            .await
            .is_err()
    );

    // Never: no email at log in.
    settings::save(&s, &owner, &account_settings(true, false, "never"))
        .await
        .expect("save");
    let before = subjects(&s, "olga@client.com").await.len();
    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    assert_eq!(subjects(&s, "olga@client.com").await.len(), before);
    let inside = actor(&s, &managing).await;
    // Issue #12: the owner's consent settings are the owner's, whatever the grant's role.
    assert!(
        matches!(
            settings::save(&s, &inside, &account_settings(false, false, "each_time")).await,
            Err(ServiceError::Forbidden(m)) if m.contains("Account managers can't change these settings")
        ),
        "even an Admin grant may not change them"
    );
    assert_eq!(
        settings::get(&s, &owner).await.expect("get").login_notify,
        "never",
        "unchanged"
    );
    let home = managed::back_home(&s, &inside, &managing).await.expect("back");
    let agency = actor(&s, &home).await;

    // Daily: one summary listing the log-ins, once a day.
    settings::save(&s, &owner, &account_settings(true, false, "daily"))
        .await
        .expect("save");
    let managing = managed::log_in_to(&s, &agency, &home, &grant_id)
        .await
        .expect("log in");
    assert_eq!(settings::send_login_summaries(&s).await.expect("send"), 1);
    assert_eq!(
        settings::send_login_summaries(&s).await.expect("send"),
        0,
        "once a day"
    );
    assert!(subjects(&s, "olga@client.com")
        .await
        .iter()
        .any(|m| m.contains("logged in to Client Co today")));

    // Refusing requests.
    settings::save(&s, &owner, &account_settings(false, false, "daily"))
        .await
        .expect("save");
    let inside = actor(&s, &managing).await;
    let back = managed::back_home(&s, &inside, &managing).await.expect("back");
    let agency = actor(&s, &back).await;
    managed::unlink(&s, &agency, &grant_id).await.expect("unlink");
    let before = subjects(&s, "olga@client.com").await.len();
    managed::request_access(&s, &agency, "olga@client.com", "admin")
        .await
        .expect("answered as any request");
    assert_eq!(
        subjects(&s, "olga@client.com").await.len(),
        before,
        "the owner is not asked"
    );
    assert!(grants::list(&s, &owner).await.expect("list").rows.is_empty());
}

#[tokio::test]
async fn the_audit_log_names_the_manager_and_agency_and_is_for_administrators() {
    use app::audit::service as audit;
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, DefaultRole::Builder).await;
    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    let inside = actor(&s, &managing).await;
    contacts::create(&s, &inside, contact("Audited"))
        .await
        .expect("contact");
    let all = app::audit::model::AuditQuery::default();
    let log = audit::list(&s, &owner, &all)
        .await
        .expect("owner reads the log")
        .entries;
    let entry = log
        .iter()
        .find(|e| e.action == "contact.created")
        .expect("the contact");
    assert_eq!(
        entry.who,
        "manager Pat Person <pat@agency.com> of agency Agency Inc"
    );
    assert_eq!(entry.via.as_deref(), Some("Agency Inc"));
    assert!(log.iter().any(|e| e.action == "manager.logged_in"));
    assert!(log.iter().any(|e| e.action == "account.created"));
    assert!(
        matches!(
            audit::list(&s, &inside, &all).await,
            Err(ServiceError::Forbidden(_))
        ),
        "a Builder grant can't"
    );
    // The agency's own log is its own.
    let home = managed::back_home(&s, &inside, &managing).await.expect("back");
    let agency = actor(&s, &home).await;
    assert!(audit::list(&s, &agency, &all)
        .await
        .expect("agency log")
        .entries
        .iter()
        .all(|e| e.action != "contact.created"));
}

/// The page and its data ask at the same moment after access ended: both answers are good, both
/// are at home, and the message is there to show.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_requests_at_once_after_access_ended_both_land_home() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, DefaultRole::Builder).await;
    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    grants::delete(&s, &owner, &grant_id).await.expect("delete");
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let s = s.clone();
            let token = SessionToken::from_cookie(managing.expose());
            tokio::spawn(async move { identity::session_for_token(&s, &token).await })
        })
        .collect();
    let mut notices = 0;
    for task in tasks {
        let (actor, notice) = task.await.expect("task").expect("no error").expect("live");
        assert_eq!(actor.account_id, agency.account_id);
        assert!(actor.managing.is_none());
        notices += usize::from(notice.is_some());
    }
    assert!(notices >= 1, "the message is kept for the page");
}

/// Issue 15: a new client account's set-password link shows in the agency's row until the owner
/// sets a password, and can be sent again (the old link dies); then it is gone from the row.
#[tokio::test]
async fn the_set_password_link_shows_in_the_row_and_can_be_sent_again_until_used() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    managed::create_account(&s, &agency, blank_client("Fresh Client", "fresh@client.com"))
        .await
        .expect("create");
    let row = |page: app::managed_accounts::model::ManagedAccountsPage| {
        page.rows
            .into_iter()
            .find(|r| r.name == "Fresh Client")
            .expect("row")
    };
    let first = row(managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list"));
    let emailed = last_link(&s, "fresh@client.com", "/set-password/").await;
    assert!(first.password_not_set);
    assert_eq!(
        first
            .invitation_link
            .as_deref()
            .map(|l| l.rsplit('/').next().unwrap_or_default()),
        Some(emailed.as_str()),
        "the row shows the link that was emailed"
    );

    managed::resend_password_link(&s, &agency, &first.id.clone().into())
        .await
        .expect("resend");
    let resent = last_link(&s, "fresh@client.com", "/set-password/").await;
    assert_ne!(resent, emailed);
    let second = row(managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list"));
    assert!(second
        .invitation_link
        .as_deref()
        .is_some_and(|l| l.ends_with(&resent)));
    assert!(
        managed::set_password(&s, &emailed, "the client's own password")
            .await
            .is_err(),
        "the old link died"
    );
    managed::set_password(&s, &resent, "the client's own password")
        .await
        .expect("the new link works");

    let after = row(managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list"));
    assert!(!after.password_not_set);
    assert_eq!(after.invitation_link, None);
    let again = managed::resend_password_link(&s, &agency, &first.id.into()).await;
    assert!(
        matches!(again, Err(ServiceError::Conflict(ref m)) if m.contains("already set a password")),
        "{again:?}"
    );
    // Another agency can't resend it.
    let (_, other) = sign_up(&s, "eve@other.com", "Other Agency").await;
    let foreign = managed::resend_password_link(&s, &other, &second.id.into()).await;
    assert!(foreign.is_err());

    // An owner who asks "Forgot your password?" instead: the row's link died with the new one,
    // so the row stops showing it.
    managed::create_account(
        &s,
        &agency,
        blank_client("Forgetful Client", "forgetful@client.com"),
    )
    .await
    .expect("create");
    // (A minute later: a user gets at most one password link a minute.)
    s.db.query("UPDATE password_token SET created_at = time::now() - 2m")
        .await
        .expect("age")
        .check()
        .expect("aged");
    identity::request_password_reset(&s, "forgetful@client.com")
        .await
        .expect("reset asked");
    let forgetful = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .into_iter()
        .find(|r| r.name == "Forgetful Client")
        .expect("row");
    assert!(!forgetful.password_not_set);
    assert_eq!(forgetful.invitation_link, None);
}

/// The agency sends its request again: a new link (the first stops working), then, once the
/// request expired, again in one step; the owner grants it from the newest link. The owner's
/// invitation is not the agency's to send again.
#[tokio::test]
async fn the_agency_resends_a_pending_request_and_sends_an_expired_one_again() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let id = managed::request_access(&s, &agency, "olga@client.com", "builder")
        .await
        .expect("request");
    let first = last_link(&s, "olga@client.com", "/requests/").await;
    managed::resend_request(&s, &agency, &id).await.expect("resend");
    let second = last_link(&s, "olga@client.com", "/requests/").await;
    assert_ne!(first, second, "a new link");
    assert!(
        managed::view_request(&s, Some(&owner), &first).await.is_err(),
        "the first link stopped working"
    );
    let pending = managed::view_request(&s, Some(&owner), &second)
        .await
        .expect("the new link works");
    assert_eq!(
        (pending.status.as_str(), pending.outcome.clone()),
        ("Pending", None)
    );
    let owners_mail = subjects(&s, "olga@client.com").await;
    assert_eq!(
        owners_mail
            .iter()
            .filter(|m| m.contains("asks to manage your Steward account"))
            .count(),
        2
    );

    // Expired: sent again in one step, Pending again with a new link.
    s.db.query("UPDATE grant SET token_expires_at = time::now() - 1s")
        .await
        .expect("q")
        .check()
        .expect("aged");
    grants::sweep(&s).await.expect("sweep");
    let row = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .remove(0);
    assert_eq!((row.access.as_str(), row.requested_by_agency), ("Expired", true));
    managed::resend_request(&s, &agency, &id)
        .await
        .expect("send again");
    let third = last_link(&s, "olga@client.com", "/requests/").await;
    assert_ne!(third, second);
    managed::decide_request(&s, &owner, &third, true)
        .await
        .expect("granted from the newest link");
    let row = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .rows
        .remove(0);
    assert_eq!(row.access, "Active");
    // An Active grant has nothing to send again.
    let err = managed::resend_request(&s, &agency, &id)
        .await
        .expect_err("active");
    assert!(matches!(err, ServiceError::Conflict(_)), "{err:?}");
    let audit: i64 =
        s.db.query("RETURN count(SELECT * FROM audit WHERE action = 'grant.resent')")
            .await
            .expect("q")
            .take::<Option<i64>>(0)
            .expect("count")
            .unwrap_or(0);
    assert_eq!(audit, 4, "each resend audited on both sides");

    // The owner's invitation to another agency is the owner's to send again.
    let (_, other) = sign_up(&s, "max@other.com", "Other Agency").await;
    let invited = grants::invite(
        &s,
        &owner,
        "max@other.com",
        &app::core::accounts::default_role_key(&owner.account_id, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    let err = managed::resend_request(&s, &other, &invited)
        .await
        .expect_err("not the agency's request");
    assert!(
        matches!(err, ServiceError::Conflict(_) | ServiceError::NotFound(_)),
        "{err:?}"
    );
}

/// "Switch" in the bar: from one client account straight to another, each step audited in its
/// client account, the old session gone; a way in refused meanwhile leaves the session at home.
#[tokio::test]
async fn a_manager_switches_from_one_client_account_straight_to_another() {
    let s = services().await;
    let (agency_token, agency, _, first_owner, first) = granted(&s, DefaultRole::Builder).await;
    let (_, second_owner) = sign_up(&s, "zoe@second.com", "Second Co").await;
    let second = managed::request_access(&s, &agency, "zoe@second.com", "manager")
        .await
        .expect("request");
    let link = last_link(&s, "zoe@second.com", "/requests/").await;
    managed::decide_request(&s, &second_owner, &link, true)
        .await
        .expect("granted");

    let inside = managed::log_in_to(&s, &agency, &agency_token, &first)
        .await
        .expect("in the first");
    let in_first = actor(&s, &inside).await;
    assert!(managed::switch_targets(&s, &agency)
        .await
        .expect("home")
        .is_empty());
    let targets = managed::switch_targets(&s, &in_first).await.expect("targets");
    assert_eq!(
        targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Second Co"],
        "the other client account, not the one acted in"
    );
    let switched = match managed::switch_to(&s, &in_first, &inside, &second)
        .await
        .expect("switch")
    {
        managed::Switched::In(token) => token,
        managed::Switched::Home { why, .. } => panic!("refused: {why:?}"),
    };
    let in_second = actor(&s, &switched).await;
    assert_eq!(in_second.account_id, second_owner.account_id);
    assert_eq!(in_second.role_name, "Manager");
    assert!(
        identity::actor_for_token(&s, &inside)
            .await
            .expect("lookup")
            .is_none(),
        "the session before the switch is gone"
    );
    let count = |account: String, action: &'static str| {
        let s = s.clone();
        async move {
            s.db.query("RETURN count(SELECT * FROM audit WHERE account = $a AND action = $action)")
                .bind(("a", app::core::db::rid("account", &account)))
                .bind(("action", action))
                .await
                .expect("q")
                .take::<Option<i64>>(0)
                .expect("count")
                .unwrap_or(0)
        }
    };
    assert_eq!(
        count(first_owner.account_id.to_string(), "manager.back_home").await,
        1
    );
    assert_eq!(
        count(second_owner.account_id.to_string(), "manager.logged_in").await,
        1
    );

    // Switching to where one is already is refused and changes nothing.
    assert!(matches!(
        managed::switch_to(&s, &in_second, &switched, &second).await,
        Err(ServiceError::Conflict(_))
    ));
    // The first owner revokes: switching back is refused, and the session stays where it is.
    grants::owner_action(&s, &first_owner, &first, grants::OwnerAction::Revoke)
        .await
        .expect("revoke");
    let refused = managed::switch_to(&s, &in_second, &switched, &first).await;
    assert!(matches!(refused, Err(ServiceError::Conflict(_))), "refused");
    assert_eq!(actor(&s, &switched).await.account_id, second_owner.account_id);
    // Another agency's grant is not in this agency's list.
    let (_, stranger) = sign_up(&s, "sam@stranger.com", "Stranger Co").await;
    let theirs = managed::request_access(&s, &stranger, "zoe@second.com", "builder")
        .await
        .expect("their request");
    assert!(matches!(
        managed::switch_to(&s, &in_second, &switched, &theirs).await,
        Err(ServiceError::NotFound(_))
    ));
    assert_eq!(actor(&s, &switched).await.account_id, second_owner.account_id);
    let _ = agency;
}
