//! Account managers: every transition and refusal, against a real SurrealDB.

use crate::common;
use app::core::ids::RoleId;

use crate::common::services;

use app::core::accounts;
use app::core::db;
use app::core::domain::DefaultRole;
use app::core::services::{Actor, ServiceError, Services};
use app::grants::model::{LinkOutcome, NextPage};
use app::grants::service::{self as grants, OwnerAction};
use app::identity::service as identity;

async fn sign_up(s: &Services, email: &str, account: &str) -> Actor {
    common::sign_up(s, email, account).await.1
}

fn role_id(actor: &Actor, role: DefaultRole) -> RoleId {
    accounts::default_role_key(&actor.account_id, role)
}

struct World {
    s: Services,
    owner: Actor,
    agency: Actor,
}

async fn world() -> World {
    let s = services().await;
    let owner = sign_up(&s, "owner@client.com", "Client Co").await;
    let agency = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    World { s, owner, agency }
}

/// The token of the newest invitation email to `to`.
async fn link_token(s: &Services, to: &str) -> String {
    let links: Vec<Option<String>> =
        s.db.query("SELECT VALUE link FROM outbox WHERE to = $to AND link != NONE ORDER BY created_at DESC")
            .bind(("to", to.to_string()))
            .await
            .expect("q")
            .take(0)
            .expect("links");
    let link = links
        .into_iter()
        .flatten()
        .find(|l| l.contains("/invitations/"))
        .expect("an invitation link");
    link.rsplit('/').next().expect("token").to_string()
}

async fn mails_to(s: &Services, to: &str) -> Vec<String> {
    s.db.query("SELECT VALUE subject FROM outbox WHERE to = $to ORDER BY created_at")
        .bind(("to", to.to_string()))
        .await
        .expect("q")
        .take(0)
        .expect("subjects")
}

async fn status(w: &World, id: &str) -> Option<String> {
    grants::list(&w.s, &w.owner)
        .await
        .expect("list")
        .rows
        .into_iter()
        .find(|r| r.id == id)
        .map(|r| r.status)
}

fn conflict(e: ServiceError) -> String {
    match e {
        ServiceError::Conflict(m) | ServiceError::NotFound(m) | ServiceError::Forbidden(m) => m.into(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn invite_shows_a_pending_row_with_its_link_and_emails_the_manager() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "Pat@Agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    let list = grants::list(&w.s, &w.owner).await.expect("list");
    assert_eq!(list.roles.len(), 4);
    let row = &list.rows[0];
    assert_eq!(
        (row.id.as_str(), row.status.as_str(), row.role_name.as_str()),
        (id.as_str(), "Pending", "Builder")
    );
    assert_eq!(row.manager_email, "pat@agency.com");
    let token = link_token(&w.s, "pat@agency.com").await;
    assert!(
        row.invitation_link
            .as_deref()
            .is_some_and(|l| l.ends_with(&token)),
        "the row shows the emailed link"
    );
    assert!(token.len() >= 32);
    let stored: Vec<Option<String>> =
        w.s.db
            .query("SELECT VALUE token_hash FROM grant")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_ne!(
        stored[0].as_deref(),
        Some(token.as_str()),
        "only the hash is stored"
    );
    let audit: Vec<String> =
        w.s.db
            .query("SELECT VALUE action FROM audit WHERE action = 'grant.invited'")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(audit.len(), 1);
}

#[tokio::test]
async fn invitations_that_make_no_sense_are_refused_and_change_nothing() {
    let w = world().await;
    let builder = role_id(&w.owner, DefaultRole::Builder);
    let bad_email = grants::invite(&w.s, &w.owner, "not-an-email", &builder, "")
        .await
        .expect_err("bad email");
    assert!(matches!(bad_email, ServiceError::Invalid(ref f) if f[0].0 == "email"));
    let foreign_role = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.agency, DefaultRole::Admin),
        "",
    )
    .await
    .expect_err("role of another account");
    assert!(matches!(foreign_role, ServiceError::Invalid(ref f) if f[0].0 == "role"));
    let own = grants::invite(&w.s, &w.owner, "owner@client.com", &builder, "")
        .await
        .expect_err("own account");
    assert!(matches!(own, ServiceError::Invalid(ref f) if f[0].1.contains("your own account")));
    let past = grants::invite(&w.s, &w.owner, "pat@agency.com", &builder, "2001-01-01")
        .await
        .expect_err("past date");
    assert!(matches!(past, ServiceError::Invalid(ref f) if f[0].0 == "access_until"));
    assert!(grants::list(&w.s, &w.owner).await.expect("list").rows.is_empty());

    grants::invite(&w.s, &w.owner, "pat@agency.com", &builder, "")
        .await
        .expect("first");
    let twice = grants::invite(&w.s, &w.owner, "PAT@agency.com", &builder, "")
        .await
        .expect_err("twice");
    assert!(matches!(twice, ServiceError::Invalid(ref f) if f[0].1.contains("already has an invitation")));
    assert_eq!(grants::list(&w.s, &w.owner).await.expect("list").rows.len(), 1);
}

#[tokio::test]
async fn only_users_who_manage_users_may_use_account_managers() {
    let w = world().await;
    let hash = identity::hash_password(
        &app::core::domain::Password::parse_new("manager secret 1", "m@client.com").expect("pw"),
    )
    .await
    .expect("hash");
    let mut tx = db::Tx::new();
    accounts::add_team_user(
        &mut tx,
        accounts::NewTeamUser {
            account_key: w.owner.account_id.to_string(),
            user_key: db::new_key(),
            role_key: role_id(&w.owner, DefaultRole::Manager),
            email: "m@client.com".into(),
            first_name: "Mo".into(),
            last_name: "Manager".into(),
            password_hash: hash,
        },
    );
    tx.commit(&w.s.db).await.expect("team user");
    let token = identity::log_in(&w.s, "m@client.com", "manager secret 1")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    let manager = identity::actor_for_token(&w.s, &token)
        .await
        .expect("lookup")
        .expect("actor");
    assert!(matches!(
        grants::list(&w.s, &manager).await,
        Err(ServiceError::Forbidden(_))
    ));
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    assert!(matches!(
        grants::invite(
            &w.s,
            &manager,
            "x@agency.com",
            &role_id(&w.owner, DefaultRole::Builder),
            ""
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        grants::delete(&w.s, &manager, &id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert_eq!(status(&w, &id).await.as_deref(), Some("Pending"));
}

#[tokio::test]
async fn accept_revoke_grant_again_delete_and_invite_again() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    let token = link_token(&w.s, "pat@agency.com").await;

    let view = grants::view_invitation(&w.s, Some(&w.agency), &token)
        .await
        .expect("view");
    assert_eq!(
        (
            view.client_account.as_str(),
            view.role_name.as_str(),
            view.outcome.clone()
        ),
        ("Client Co", "Builder", None)
    );
    assert_eq!(view.invited_by, "owner@client.com");

    grants::answer_invitation(&w.s, &w.agency, &token, true)
        .await
        .expect("accept");
    let row = grants::list(&w.s, &w.owner).await.expect("list").rows.remove(0);
    assert_eq!(
        (row.status.as_str(), row.managing_account.as_deref()),
        ("Active", Some("Agency Inc"))
    );
    assert!(row.invitation_link.is_none());
    assert!(mails_to(&w.s, "owner@client.com")
        .await
        .iter()
        .any(|m| m.contains("accepted your invitation")));
    // The link is single-use: it still shows the outcome, and can't be answered again.
    let again = grants::answer_invitation(&w.s, &w.agency, &token, false)
        .await
        .expect_err("used link");
    assert_eq!(conflict(again), "This invitation was already accepted.");
    let view = grants::view_invitation(&w.s, Some(&w.agency), &token)
        .await
        .expect("view");
    assert_eq!(view.status, "Active");
    // An answer is news, not a fault, and the page leads to the manager's list.
    match view.outcome {
        Some(LinkOutcome::Answered { message, next }) => {
            assert!(message.contains("was accepted"), "{message}");
            assert_eq!(next, NextPage::ManagedAccounts);
        }
        other => panic!("an accepted invitation reads as answered: {other:?}"),
    }

    grants::owner_action(&w.s, &w.owner, &id, OwnerAction::Revoke)
        .await
        .expect("revoke");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Revoked"));
    assert!(mails_to(&w.s, "pat@agency.com")
        .await
        .iter()
        .any(|m| m.contains("was revoked")));
    let twice = grants::owner_action(&w.s, &w.owner, &id, OwnerAction::Revoke)
        .await
        .expect_err("revoke twice");
    assert_eq!(conflict(twice), "Access is already revoked.");

    grants::owner_action(&w.s, &w.owner, &id, OwnerAction::GrantAgain)
        .await
        .expect("grant again");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Active"));
    assert!(mails_to(&w.s, "pat@agency.com")
        .await
        .iter()
        .any(|m| m.contains("again")));

    grants::delete(&w.s, &w.owner, &id).await.expect("delete");
    assert_eq!(status(&w, &id).await, None);
    assert!(mails_to(&w.s, "pat@agency.com")
        .await
        .iter()
        .any(|m| m.contains("no longer manage")));
    let gone = grants::delete(&w.s, &w.owner, &id)
        .await
        .expect_err("delete twice");
    assert!(conflict(gone).contains("no longer exists"));

    let new_id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Designer),
        "",
    )
    .await
    .expect("invite again");
    assert_ne!(new_id, id);
    assert_eq!(status(&w, &new_id).await.as_deref(), Some("Pending"));
}

#[tokio::test]
async fn reject_tells_the_owner_and_frees_the_email_for_a_new_invitation() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Manager),
        "",
    )
    .await
    .expect("invite");
    let token = link_token(&w.s, "pat@agency.com").await;
    grants::answer_invitation(&w.s, &w.agency, &token, false)
        .await
        .expect("reject");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Rejected"));
    assert!(mails_to(&w.s, "owner@client.com")
        .await
        .iter()
        .any(|m| m.contains("rejected your invitation")));
    let view = grants::view_invitation(&w.s, Some(&w.agency), &token)
        .await
        .expect("view");
    assert_eq!(
        view.outcome,
        Some(LinkOutcome::Answered {
            message: "This invitation was rejected.".into(),
            next: NextPage::ManagedAccounts
        })
    );
    let revoke = grants::owner_action(&w.s, &w.owner, &id, OwnerAction::Revoke)
        .await
        .expect_err("revoke rejected");
    assert_eq!(conflict(revoke), "This invitation was rejected.");
    grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Manager),
        "",
    )
    .await
    .expect("new invitation");
}

#[tokio::test]
async fn a_link_opened_by_someone_else_changes_nothing() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    let token = link_token(&w.s, "pat@agency.com").await;
    let other = sign_up(&w.s, "eve@elsewhere.com", "Eve Ltd").await;
    let view = grants::view_invitation(&w.s, Some(&other), &token)
        .await
        .expect("view");
    assert!(
        matches!(&view.outcome, Some(LinkOutcome::Blocked(b)) if b.contains("pat@agency.com")),
        "{:?}",
        view.outcome
    );
    let err = grants::answer_invitation(&w.s, &other, &token, true)
        .await
        .expect_err("wrong user");
    assert!(matches!(err, ServiceError::Forbidden(_)));
    assert_eq!(status(&w, &id).await.as_deref(), Some("Pending"));
    let anonymous = grants::view_invitation(&w.s, None, &token).await.expect("view");
    assert!(anonymous.needs_login);
    assert!(grants::view_invitation(&w.s, None, "0123456789abcdef")
        .await
        .is_err());
}

#[tokio::test]
async fn expired_links_are_refused_then_resent_with_a_new_link() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    let old = link_token(&w.s, "pat@agency.com").await;
    w.s.db
        .query("UPDATE grant SET token_expires_at = time::now() - 1s")
        .await
        .expect("age the link");
    assert_eq!(
        status(&w, &id).await.as_deref(),
        Some("Expired"),
        "reads as expired before the sweep"
    );
    let err = grants::answer_invitation(&w.s, &w.agency, &old, true)
        .await
        .expect_err("expired");
    assert_eq!(conflict(err), "This invitation has expired.");
    assert_eq!(grants::sweep(&w.s).await.expect("sweep"), (1, 0));
    let stored: Vec<String> =
        w.s.db
            .query("SELECT VALUE state FROM grant")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(stored, vec!["expired"]);

    grants::owner_action(&w.s, &w.owner, &id, OwnerAction::Resend)
        .await
        .expect("resend");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Pending"));
    let new = link_token(&w.s, "pat@agency.com").await;
    assert_ne!(new, old);
    assert!(
        grants::answer_invitation(&w.s, &w.agency, &old, true)
            .await
            .is_err(),
        "the old link stopped working"
    );
    grants::answer_invitation(&w.s, &w.agency, &new, true)
        .await
        .expect("accept with the new link");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Active"));
}

#[tokio::test]
async fn access_ends_at_its_end_date_with_reminders_before() {
    let w = world().await;
    let until = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        &until,
    )
    .await
    .expect("invite");
    let token = link_token(&w.s, "pat@agency.com").await;
    grants::answer_invitation(&w.s, &w.agency, &token, true)
        .await
        .expect("accept");
    assert_eq!(
        grants::sweep(&w.s).await.expect("sweep"),
        (0, 0),
        "nothing is due 30 days ahead"
    );

    w.s.db
        .query("UPDATE grant SET access_until = time::now() + 5d")
        .await
        .expect("5 days left");
    assert_eq!(
        grants::sweep(&w.s).await.expect("sweep"),
        (0, 1),
        "the 7-day reminder"
    );
    assert_eq!(grants::sweep(&w.s).await.expect("sweep"), (0, 0), "sent once");
    for who in ["pat@agency.com", "owner@client.com"] {
        assert!(
            mails_to(&w.s, who)
                .await
                .iter()
                .any(|m| m.contains("ends in 7 days")),
            "{who}"
        );
    }
    w.s.db
        .query("UPDATE grant SET access_until = time::now() + 12h")
        .await
        .expect("hours left");
    assert_eq!(
        grants::sweep(&w.s).await.expect("sweep"),
        (0, 1),
        "the 1-day reminder"
    );
    w.s.db
        .query("UPDATE grant SET access_until = time::now() - 1s")
        .await
        .expect("past");
    assert_eq!(grants::sweep(&w.s).await.expect("sweep"), (1, 0));
    assert_eq!(status(&w, &id).await.as_deref(), Some("Expired"));
    assert!(mails_to(&w.s, "owner@client.com")
        .await
        .iter()
        .any(|m| m.contains("has ended")));
}

/// Many people acting on one grant at once: it ends in one valid state, and the audit trail is
/// exactly the sequence of changes that took effect.
#[tokio::test]
async fn concurrent_changes_end_in_one_valid_state_with_a_matching_audit_trail() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    let token = link_token(&w.s, "pat@agency.com").await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let s = w.s.clone();
        let owner = w.owner.clone();
        let agency = w.agency.clone();
        let id = id.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            match i % 6 {
                0 | 3 => grants::answer_invitation(&s, &agency, &token, true).await.is_ok(),
                1 | 4 => grants::owner_action(&s, &owner, &id, OwnerAction::Revoke)
                    .await
                    .is_ok(),
                2 => grants::owner_action(&s, &owner, &id, OwnerAction::GrantAgain)
                    .await
                    .is_ok(),
                _ => i == 23 && grants::delete(&s, &owner, &id).await.is_ok(),
            }
        }));
    }
    let mut successes = 0;
    for t in tasks {
        if t.await.expect("task") {
            successes += 1;
        }
    }
    let actions: Vec<String> = w
        .s
        .db
        .query("SELECT VALUE action FROM audit WHERE action INSIDE ['grant.accepted', 'grant.revoked', 'grant.granted_again', 'grant.deleted'] ORDER BY at")
        .await
        .expect("q")
        .take(0)
        .expect("v");
    assert_eq!(
        actions.len(),
        successes,
        "one audit entry per change that took effect: {actions:?}"
    );
    // The delete may win before anyone accepts; otherwise the link is used exactly once.
    assert!(!actions.is_empty(), "something took effect");
    assert!(
        actions.iter().filter(|a| *a == "grant.accepted").count() <= 1,
        "a link is used once: {actions:?}"
    );
    // Replay the trail through the state machine: every step must be allowed.
    let mut state = Some(app::grants::state::GrantState::Pending);
    for a in &actions {
        let event = match a.as_str() {
            "grant.accepted" => app::grants::state::GrantEvent::Accept,
            "grant.revoked" => app::grants::state::GrantEvent::Revoke,
            "grant.granted_again" => app::grants::state::GrantEvent::GrantAgain,
            _ => {
                state = None;
                continue;
            }
        };
        let from = state.expect("no change after a delete");
        state = Some(
            from.apply(event, app::grants::state::Initiator::Owner)
                .expect("a valid step"),
        );
    }
    let stored: Vec<String> =
        w.s.db
            .query("SELECT VALUE state FROM grant")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(stored.first().cloned(), state.map(|s| s.key().to_string()));
}

#[tokio::test]
async fn the_invited_manager_answers_from_their_own_managed_accounts_list() {
    let w = world().await;
    let id = grants::invite(
        &w.s,
        &w.owner,
        "pat@agency.com",
        &role_id(&w.owner, DefaultRole::Builder),
        "",
    )
    .await
    .expect("invite");
    // Pat sees it; someone else, and the owner, do not.
    let mine = grants::invitations_for_me(&w.s, &w.agency).await.expect("list");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, id.as_str());
    assert_eq!(mine[0].client_account, "Client Co");
    assert_eq!(mine[0].invited_by, "owner@client.com");
    assert_eq!(mine[0].role_name, "Builder");
    // The Managed accounts list carries them, above its own rows.
    let page = app::managed_accounts::service::list(&w.s, &w.agency, "", "name", false, 0)
        .await
        .expect("managed accounts");
    assert_eq!(page.invitations, mine);
    assert_eq!(page.total, 0);
    let other = sign_up(&w.s, "eve@elsewhere.com", "Eve Ltd").await;
    assert!(grants::invitations_for_me(&w.s, &other)
        .await
        .expect("list")
        .is_empty());
    assert!(grants::invitations_for_me(&w.s, &w.owner)
        .await
        .expect("list")
        .is_empty());

    // Someone else can't answer it by its id: it is not theirs to see.
    let err = grants::answer(&w.s, &other, grants::Invitation::Listed(&id), true)
        .await
        .expect_err("not theirs");
    assert!(matches!(err, ServiceError::NotFound(_)), "{err:?}");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Pending"));
    // Nor an agency's request, by the agency that made it (only the owner answers those).
    let request = app::managed_accounts::service::request_access(&w.s, &other, "owner@client.com", "builder")
        .await
        .expect("request");
    assert!(grants::invitations_for_me(&w.s, &other)
        .await
        .expect("list")
        .is_empty());
    assert!(
        grants::answer(&w.s, &other, grants::Invitation::Listed(&request), true)
            .await
            .is_err()
    );

    // Pat accepts from the list: Active on both sides, the owner is told, the list is empty.
    grants::answer(&w.s, &w.agency, grants::Invitation::Listed(&id), true)
        .await
        .expect("accept");
    assert_eq!(status(&w, &id).await.as_deref(), Some("Active"));
    assert!(mails_to(&w.s, "owner@client.com")
        .await
        .iter()
        .any(|m| m == "pat@agency.com accepted your invitation"));
    assert!(grants::invitations_for_me(&w.s, &w.agency)
        .await
        .expect("list")
        .is_empty());
    let again = grants::answer(&w.s, &w.agency, grants::Invitation::Listed(&id), false)
        .await
        .expect_err("already answered");
    assert!(matches!(err_kind(&again), "conflict"), "{again:?}");

    // Acting inside the client account, Pat's list shows no invitations to Pat: a second
    // invitation waits for them at home.
    let client2 = sign_up(&w.s, "olga@second.com", "Second Co").await;
    grants::invite(
        &w.s,
        &client2,
        "pat@agency.com",
        &role_id(&client2, DefaultRole::Manager),
        "",
    )
    .await
    .expect("invite 2");
    let pat_token = identity::log_in(&w.s, "pat@agency.com", "correct horse battery")
        .await
        .expect("log in")
        .session()
        .expect("one step");
    let inside_token = app::managed_accounts::service::log_in_to(&w.s, &w.agency, &pat_token, &id)
        .await
        .expect("log in to Client Co");
    let inside = identity::actor_for_token(&w.s, &inside_token)
        .await
        .expect("actor")
        .expect("a session");
    assert!(grants::invitations_for_me(&w.s, &inside)
        .await
        .expect("list")
        .is_empty());
    assert_eq!(
        grants::invitations_for_me(&w.s, &w.agency)
            .await
            .expect("list")
            .len(),
        1
    );

    // An expired invitation is not offered.
    w.s.db
        .query("UPDATE grant SET token_expires_at = time::now() - 1s WHERE state = 'pending'")
        .await
        .expect("age the links");
    assert!(grants::invitations_for_me(&w.s, &w.agency)
        .await
        .expect("list")
        .is_empty());
}

fn err_kind(e: &ServiceError) -> &'static str {
    match e {
        ServiceError::Conflict(_) => "conflict",
        ServiceError::NotFound(_) => "not found",
        _ => "other",
    }
}

/// "Edit" on an Active grant: a new role and end date; the manager is emailed, and a session
/// logged in through the grant acts with the new role at its next request. Bad input, another
/// account's role and a grant that is no longer Active or Pending change nothing.
#[tokio::test]
async fn the_owner_changes_an_active_grants_role_and_end_date() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant) = common::granted(&s, DefaultRole::Builder).await;
    let inside = app::managed_accounts::service::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("log in to the client account");
    let before = common::actor(&s, &inside).await;
    assert_eq!(before.role_name, "Builder");

    let manager_role = role_id(&owner, DefaultRole::Manager);
    let end = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    grants::change_terms(&s, &owner, &grant, &manager_role, &end)
        .await
        .expect("edit");
    let row = grants::list(&s, &owner)
        .await
        .expect("list")
        .rows
        .into_iter()
        .find(|r| r.id == grant)
        .expect("row");
    assert_eq!(
        (
            row.role_name.as_str(),
            row.access_until.as_deref(),
            row.status.as_str()
        ),
        ("Manager", Some(end.as_str()), "Active")
    );
    // The manager's session follows at its next request.
    let after = common::actor(&s, &inside).await;
    assert_eq!(after.role_name, "Manager");
    assert!(mails_to(&s, "pat@agency.com")
        .await
        .iter()
        .any(|m| m == "Your access to Client Co changed"));
    let audit: Vec<String> =
        s.db.query("SELECT VALUE detail FROM audit WHERE action = 'grant.changed'")
            .await
            .expect("q")
            .take(0)
            .expect("details");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("role Manager (was Builder)"), "{}", audit[0]);

    // Bad input is refused beside its field and changes nothing.
    let err = grants::change_terms(&s, &owner, &grant, &manager_role, "yesterday")
        .await
        .expect_err("bad date");
    assert!(
        matches!(&err, ServiceError::Invalid(f) if f[0].0 == "access_until"),
        "{err:?}"
    );
    let theirs = role_id(&agency, DefaultRole::Admin);
    let err = grants::change_terms(&s, &owner, &grant, &theirs, "")
        .await
        .expect_err("another account's role");
    assert!(
        matches!(&err, ServiceError::Invalid(f) if f[0].0 == "role"),
        "{err:?}"
    );
    // The manager, acting in the client account, may not change their own grant.
    assert!(
        grants::change_terms(&s, &after, &grant, &role_id(&owner, DefaultRole::Admin), "")
            .await
            .is_err()
    );
    // Unchanged: Manager until the same day, one audit entry.
    let row = grants::list(&s, &owner)
        .await
        .expect("list")
        .rows
        .into_iter()
        .find(|r| r.id == grant)
        .expect("row");
    assert_eq!(
        (row.role_name.as_str(), row.access_until.as_deref()),
        ("Manager", Some(end.as_str()))
    );
    // A reminder sent for the old end date is sent again for a new one, not for the same one.
    s.db.query("UPDATE grant SET reminded_7d = true, reminded_1d = true")
        .await
        .expect("q")
        .check()
        .expect("marked");
    grants::change_terms(&s, &owner, &grant, &role_id(&owner, DefaultRole::Builder), &end)
        .await
        .expect("same end date");
    let flags = reminder_flags(&s).await;
    assert_eq!(
        flags,
        vec![true, true],
        "the same end date keeps its reminders sent"
    );
    let later = (chrono::Utc::now() + chrono::Duration::days(40))
        .format("%Y-%m-%d")
        .to_string();
    grants::change_terms(&s, &owner, &grant, &manager_role, &later)
        .await
        .expect("a new end date");
    let flags = reminder_flags(&s).await;
    assert_eq!(flags, vec![false, false], "a new end date is reminded of again");
    // Without an end date, then revoked: a revoked grant is not edited.
    grants::change_terms(&s, &owner, &grant, &manager_role, "")
        .await
        .expect("no end date");
    grants::owner_action(&s, &owner, &grant, OwnerAction::Revoke)
        .await
        .expect("revoke");
    let err = grants::change_terms(&s, &owner, &grant, &manager_role, "")
        .await
        .expect_err("revoked");
    assert!(conflict(err).contains("revoked"));
}

/// Whether the 7-day and the 1-day reminders of the one grant were sent.
async fn reminder_flags(s: &Services) -> Vec<bool> {
    let mut res =
        s.db.query("SELECT VALUE reminded_7d FROM grant; SELECT VALUE reminded_1d FROM grant;")
            .await
            .expect("q");
    let week: Vec<bool> = res.take(0).expect("7d");
    let day: Vec<bool> = res.take(1).expect("1d");
    assert_eq!((week.len(), day.len()), (1, 1), "one grant");
    vec![week[0], day[0]]
}

/// Issue 14: Account managers searches by the start of an email, sorts by a column and pages.
#[tokio::test]
async fn the_account_managers_list_searches_sorts_and_pages() {
    use app::grants::model::ManagersQuery;
    let w = world().await;
    for i in 0..30 {
        let role = if i % 2 == 0 {
            DefaultRole::Builder
        } else {
            DefaultRole::Designer
        };
        grants::invite(
            &w.s,
            &w.owner,
            &format!("m{i:02}@agency.com"),
            &role_id(&w.owner, role),
            "",
        )
        .await
        .expect("invite");
    }
    let query = |search: &str, sort: &str, descending: bool, page: i64| ManagersQuery {
        search: search.into(),
        sort: sort.into(),
        descending,
        page,
    };
    let first = grants::list_page(&w.s, &w.owner, &query("", "", false, 0))
        .await
        .expect("list");
    assert_eq!((first.total, first.rows.len(), first.page_size), (30, 25, 25));
    let second = grants::list_page(&w.s, &w.owner, &query("", "", false, 1))
        .await
        .expect("list");
    let mut all: Vec<String> = first
        .rows
        .iter()
        .chain(&second.rows)
        .map(|r| r.manager_email.clone())
        .collect();
    assert_eq!(second.rows.len(), 5);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 30, "every grant once across the pages");

    let by_email = grants::list_page(&w.s, &w.owner, &query("", "email", false, 0))
        .await
        .expect("list");
    assert_eq!(by_email.rows[0].manager_email, "m00@agency.com");
    let by_email_desc = grants::list_page(&w.s, &w.owner, &query("", "email", true, 0))
        .await
        .expect("list");
    assert_eq!(by_email_desc.rows[0].manager_email, "m29@agency.com");
    let by_role = grants::list_page(&w.s, &w.owner, &query("", "role", false, 0))
        .await
        .expect("list");
    assert_eq!(by_role.rows[0].role_name, "Builder");
    assert_eq!(by_role.rows[24].role_name, "Designer / Content writer");

    let found = grants::list_page(&w.s, &w.owner, &query("M1", "email", false, 0))
        .await
        .expect("search");
    assert_eq!(found.total, 10);
    assert_eq!(found.rows[0].manager_email, "m10@agency.com");
    assert_eq!(found.rows[9].manager_email, "m19@agency.com");
    assert!(grants::list_page(&w.s, &w.owner, &query("zz", "", false, 0))
        .await
        .expect("search")
        .rows
        .is_empty());
    // Another account's list shows none of these, whatever is searched.
    let other = sign_up(&w.s, "otto@other.com", "Other Co").await;
    let theirs = grants::list_page(&w.s, &other, &query("m", "", false, 0))
        .await
        .expect("search");
    assert_eq!(theirs.total, 0);
}
