//! The session cache never outlives what it caches: every change a session is resolved from
//! applies at the next request, on the server that made it and on another sharing the database.

use crate::common;
use app::core::ids::UserId;

use app::core::accounts;
use app::core::domain::{DefaultRole, Permission};
use app::core::services::{Actor, Services};
use app::grants::service as grants;
use app::identity::service::{self as identity, SessionToken};
use app::managed_accounts::service as managed;
use app::roles::service as roles;
use app::users::service::{self as users, UserAction, UserInput};

/// Two servers: each with its own cache, one database.
async fn two_servers() -> (Services, Services) {
    let a = common::services().await;
    let b = common::another_server(&a).await;
    (a, b)
}

async fn actor(s: &Services, token: &SessionToken) -> Option<Actor> {
    identity::actor_for_token(s, token).await.expect("lookup")
}

/// Resolves the session on both servers so that both hold it in their caches.
async fn warm(a: &Services, b: &Services, token: &SessionToken) -> Actor {
    let first = actor(a, token).await.expect("logged in on a");
    actor(b, token).await.expect("logged in on b");
    assert!(
        !a.sessions.is_empty() && !b.sessions.is_empty(),
        "both caches hold it"
    );
    first
}

fn input(email: &str, first_name: &str, role_id: &str) -> UserInput {
    UserInput {
        first_name: first_name.into(),
        last_name: "User".into(),
        email: email.into(),
        password: "a fine password".into(),
        role_id: role_id.into(),
    }
}

/// An admin and a second team user (with `role`) who is logged in.
async fn team(s: &Services, role: DefaultRole) -> (Actor, UserId, SessionToken) {
    let (_, admin) = common::sign_up(s, "olga@agency.com", "Agency").await;
    let role_key = accounts::default_role_key(&admin.account_id, role);
    let id = users::add(s, &admin, input("una@agency.com", "Una", &role_key))
        .await
        .expect("add");
    let token = identity::log_in(s, "una@agency.com", "a fine password")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    (admin, id, token)
}

#[tokio::test]
async fn force_logout_and_deletion_apply_at_the_next_request_on_every_server() {
    let (a, b) = two_servers().await;
    let (admin, una, token) = team(&a, DefaultRole::Manager).await;
    warm(&a, &b, &token).await;
    users::act(&b, &admin, &una, UserAction::ForceLogout)
        .await
        .expect("force logout");
    assert!(actor(&a, &token).await.is_none(), "logged out on a");
    assert!(actor(&b, &token).await.is_none(), "logged out on b");

    let token = identity::log_in(&a, "una@agency.com", "a fine password")
        .await
        .expect("log in again")
        .session()
        .expect("no two-factor step");
    warm(&a, &b, &token).await;
    users::act(&a, &admin, &una, UserAction::Delete)
        .await
        .expect("delete");
    assert!(actor(&a, &token).await.is_none(), "deleted on a");
    assert!(actor(&b, &token).await.is_none(), "deleted on b");
}

#[tokio::test]
async fn a_changed_role_applies_at_the_next_request_on_every_server() {
    let (a, b) = two_servers().await;
    let (admin, una, token) = team(&a, DefaultRole::Builder).await;
    let before = warm(&a, &b, &token).await;
    assert_eq!(before.role_name, "Builder");

    // Another role for the user.
    let manager = accounts::default_role_key(&admin.account_id, DefaultRole::Manager);
    users::edit(&a, &admin, &una, input("una@agency.com", "Una", &manager))
        .await
        .expect("edit");
    for s in [&a, &b] {
        assert_eq!(actor(s, &token).await.expect("actor").role_name, "Manager");
    }

    // The permissions of the role the user holds.
    let custom = roles::copy(&a, &admin, &manager).await.expect("copy");
    users::edit(&a, &admin, &una, input("una@agency.com", "Una", &custom))
        .await
        .expect("edit");
    let held = warm(&a, &b, &token).await;
    assert!(
        held.can(Permission::CONTACTS_VIEW),
        "the copy allows what Manager allows"
    );
    roles::save(&b, &admin, &custom, "Helpers", &[])
        .await
        .expect("save");
    for s in [&a, &b] {
        let now = actor(s, &token).await.expect("actor");
        assert_eq!(now.role_name, "Helpers");
        assert_eq!(now.permissions.keys().count(), 0, "no permission left");
    }
}

#[tokio::test]
async fn a_renamed_user_and_a_new_primary_admin_show_at_the_next_request() {
    let (a, b) = two_servers().await;
    let (admin, una, token) = team(&a, DefaultRole::Admin).await;
    assert!(!warm(&a, &b, &token).await.is_primary_admin);
    let admin_role = accounts::default_role_key(&admin.account_id, DefaultRole::Admin);
    users::edit(&a, &admin, &una, input("una@agency.com", "Ursula", &admin_role))
        .await
        .expect("edit");
    assert_eq!(actor(&b, &token).await.expect("actor").first_name, "Ursula");

    users::make_primary_admin(&a, &admin, &una)
        .await
        .expect("hand over");
    for s in [&a, &b] {
        assert!(actor(s, &token).await.expect("actor").is_primary_admin);
    }
}

#[tokio::test]
async fn a_revoked_grant_ends_a_managing_session_on_every_server() {
    let (a, b) = two_servers().await;
    let (agency_token, agency) = common::sign_up(&a, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = common::sign_up(&a, "olga@client.com", "Client Co").await;
    let grant_id = managed::request_access(&a, &agency, "olga@client.com", DefaultRole::Admin.key())
        .await
        .expect("request");
    let link: String = a
        .db
        .query("SELECT VALUE link FROM outbox WHERE to = 'olga@client.com' AND link CONTAINS '/requests/'")
        .await
        .expect("q")
        .take::<Vec<String>>(0)
        .expect("v")
        .remove(0);
    let request_token = link.rsplit('/').next().expect("token");
    managed::decide_request(&a, &owner, request_token, true)
        .await
        .expect("grant");
    let managing = managed::log_in_to(&a, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    let inside = warm(&a, &b, &managing).await;
    assert_eq!(inside.account_id, owner.account_id);

    // The grant's role changes: its holder acts with the new role at once.
    let builder = accounts::default_role_key(&owner.account_id, DefaultRole::Builder);
    a.db.query("UPDATE type::record('grant', $g) SET role = type::record('role', $r)")
        .bind(("g", grant_id.to_string()))
        .bind(("r", builder.to_string()))
        .await
        .expect("role");
    assert_eq!(actor(&b, &managing).await.expect("actor").role_name, "Builder");

    grants::owner_action(&b, &owner, &grant_id, grants::OwnerAction::Revoke)
        .await
        .expect("revoke");
    for s in [&a, &b] {
        let after = actor(s, &managing).await.expect("still logged in");
        assert_eq!(after.account_id, agency.account_id, "sent home");
        assert!(after.managing.is_none());
    }
}
