//! Users of an account: every rule, against a real SurrealDB.

use crate::common;

use crate::common::services;

use app::core::accounts;
use app::core::db;
use app::core::domain::DefaultRole;
use app::core::services::{Actor, ServiceError, Services};
use app::identity::service as identity;
use app::users::service::{self as users, UserAction, UserInput};

async fn owner(s: &Services, email: &str) -> Actor {
    common::sign_up(s, email, "Agency").await.1
}

fn input(email: &str, role_id: &str) -> UserInput {
    UserInput {
        first_name: "Una".into(),
        last_name: "User".into(),
        email: email.into(),
        password: "a fine password".into(),
        role_id: role_id.into(),
    }
}

async fn log_in(s: &Services, email: &str, password: &str) -> Actor {
    let token = identity::log_in(s, email, password)
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    identity::actor_for_token(s, &token)
        .await
        .expect("lookup")
        .expect("actor")
}

fn field_error(e: ServiceError) -> (String, String) {
    match e {
        ServiceError::Invalid(mut f) => f.remove(0),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[tokio::test]
async fn add_a_user_who_can_log_in_with_admin_by_default() {
    let s = services().await;
    let admin = owner(&s, "olga@agency.com").await;
    let id = users::add(&s, &admin, input("Una@Agency.com", ""))
        .await
        .expect("add");
    let list = users::list(&s, &admin).await.expect("list");
    let una = list.users.iter().find(|u| u.id == id).expect("listed");
    assert_eq!(
        (una.email.as_str(), una.role_name.as_str(), una.is_primary_admin),
        ("una@agency.com", "Admin", false)
    );
    assert!(list.users.iter().any(|u| u.is_primary_admin && u.is_you));
    let welcome: Vec<String> =
        s.db.query("SELECT VALUE subject FROM outbox WHERE to = 'una@agency.com'")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(welcome, vec!["Welcome to Agency on Steward".to_string()]);
    let una = log_in(&s, "una@agency.com", "a fine password").await;
    assert_eq!(
        (una.role_name.as_str(), una.account_id.as_str()),
        ("Admin", admin.account_id.as_str())
    );
}

#[tokio::test]
async fn one_email_belongs_to_one_user_anywhere() {
    let s = services().await;
    let admin = owner(&s, "olga@agency.com").await;
    let other = owner(&s, "ann@elsewhere.com").await;
    let taken = users::add(&s, &admin, input("ANN@elsewhere.com", ""))
        .await
        .expect_err("taken elsewhere");
    assert_eq!(
        field_error(taken),
        ("email".into(), "User already exists.".into())
    );
    users::add(&s, &admin, input("ann+portal1@elsewhere.com", ""))
        .await
        .expect("a +tag is another email");
    let weak = users::add(
        &s,
        &admin,
        UserInput {
            password: "short".into(),
            ..input("new@agency.com", "")
        },
    )
    .await
    .expect_err("weak");
    assert_eq!(field_error(weak).0, "password");
    let foreign_role = accounts::default_role_key(&other.account_id, DefaultRole::Builder);
    let role = users::add(&s, &admin, input("new@agency.com", &foreign_role))
        .await
        .expect_err("role of another account");
    assert_eq!(field_error(role).0, "role");
    assert_eq!(users::list(&s, &admin).await.expect("list").users.len(), 2);
}

#[tokio::test]
async fn two_adds_of_one_email_at_once_make_one_user() {
    let s = services().await;
    let admin = owner(&s, "olga@agency.com").await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (s, admin) = (s.clone(), admin.clone());
            let email = if i % 2 == 0 {
                "twin@agency.com"
            } else {
                "TWIN@agency.com"
            };
            tokio::spawn(async move { users::add(&s, &admin, input(email, "")).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(ServiceError::Invalid(f)) => assert_eq!(f[0].1, "User already exists."),
            Err(ServiceError::Store(db::StoreError::Conflict(_))) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let n: Option<i64> =
        s.db.query("RETURN count(SELECT * FROM user WHERE email = 'twin@agency.com')")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(n, Some(1));
}

#[tokio::test]
async fn edit_changes_name_email_password_and_role() {
    let s = services().await;
    let admin = owner(&s, "olga@agency.com").await;
    let builder = accounts::default_role_key(&admin.account_id, DefaultRole::Builder);
    let id = users::add(&s, &admin, input("una@agency.com", ""))
        .await
        .expect("add");
    users::edit(
        &s,
        &admin,
        &id,
        UserInput {
            first_name: "Uma".into(),
            password: "another fine one".into(),
            ..input("uma@agency.com", &builder)
        },
    )
    .await
    .expect("edit");
    let uma = log_in(&s, "uma@agency.com", "another fine one").await;
    assert_eq!(
        (uma.first_name.as_str(), uma.role_name.as_str()),
        ("Uma", "Builder")
    );
    assert!(identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .is_err());
    // An empty password keeps the password.
    users::edit(
        &s,
        &admin,
        &id,
        UserInput {
            password: String::new(),
            ..input("uma@agency.com", &builder)
        },
    )
    .await
    .expect("edit");
    log_in(&s, "uma@agency.com", "another fine one").await;
    let clash = users::edit(&s, &admin, &id, input("olga@agency.com", &builder))
        .await
        .expect_err("taken");
    assert_eq!(field_error(clash).1, "User already exists.");
}

#[tokio::test]
async fn the_primary_admin_is_protected_from_other_admins() {
    let s = services().await;
    let olga = owner(&s, "olga@agency.com").await;
    users::add(&s, &olga, input("una@agency.com", ""))
        .await
        .expect("add");
    let una = log_in(&s, "una@agency.com", "a fine password").await;
    let builder = accounts::default_role_key(&olga.account_id, DefaultRole::Builder);

    let edit = users::edit(&s, &una, &olga.user_id, input("olga@agency.com", ""))
        .await
        .expect_err("edit primary");
    assert!(matches!(edit, ServiceError::Forbidden(ref m) if m.contains("can't be edited")));
    let logout = users::act(&s, &una, &olga.user_id, UserAction::ForceLogout)
        .await
        .expect_err("logout primary");
    assert!(matches!(logout, ServiceError::Forbidden(ref m) if m.contains("can't be logged out")));
    let delete = users::act(&s, &una, &olga.user_id, UserAction::Delete)
        .await
        .expect_err("delete primary");
    assert!(matches!(delete, ServiceError::Forbidden(ref m) if m.contains("can't be deleted")));
    assert!(identity::actor_for_token(
        &s,
        &identity::log_in(&s, "olga@agency.com", "correct horse battery")
            .await
            .expect("in")
            .session()
            .expect("no two-factor step")
    )
    .await
    .expect("l")
    .is_some());

    // The primary admin edits themself, but keeps the Admin role.
    users::edit(
        &s,
        &olga,
        &olga.user_id,
        UserInput {
            first_name: "Olgа".into(),
            password: String::new(),
            ..input("olga@agency.com", "")
        },
    )
    .await
    .expect("edit self");
    let demote = users::edit(
        &s,
        &olga,
        &olga.user_id,
        UserInput {
            password: String::new(),
            ..input("olga@agency.com", &builder)
        },
    )
    .await
    .expect_err("demote self");
    assert_eq!(field_error(demote).0, "role");
    let yourself = users::act(&s, &una, &una.user_id, UserAction::Delete)
        .await
        .expect_err("delete yourself");
    assert!(matches!(yourself, ServiceError::Forbidden(_)));
}

#[tokio::test]
async fn force_logout_ends_every_session_and_delete_keeps_the_audit_trail() {
    let s = services().await;
    let olga = owner(&s, "olga@agency.com").await;
    let id = users::add(&s, &olga, input("una@agency.com", ""))
        .await
        .expect("add");
    let t1 = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let t2 = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let una = identity::actor_for_token(&s, &t1)
        .await
        .expect("l")
        .expect("actor");
    assert_eq!(
        users::list(&s, &olga)
            .await
            .expect("list")
            .users
            .iter()
            .find(|u| u.id == id)
            .expect("una")
            .sessions,
        2
    );
    users::act(&s, &olga, &id, UserAction::ForceLogout)
        .await
        .expect("force logout");
    assert!(identity::actor_for_token(&s, &t1).await.expect("l").is_none());
    assert!(identity::actor_for_token(&s, &t2).await.expect("l").is_none());

    // What she did stays in the audit log under her name after she is deleted.
    app::contacts::service::create(
        &s,
        &una,
        app::contacts::service::ContactInput {
            first_name: "C".into(),
            last_name: "D".into(),
            email: String::new(),
            phone: String::new(),
            tags: String::new(),
            values: Vec::new(),
        },
    )
    .await
    .ok();
    let t3 = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let una = identity::actor_for_token(&s, &t3)
        .await
        .expect("l")
        .expect("actor");
    app::contacts::service::create(
        &s,
        &una,
        app::contacts::service::ContactInput {
            first_name: "Carl".into(),
            last_name: "Client".into(),
            email: String::new(),
            phone: String::new(),
            tags: String::new(),
            values: Vec::new(),
        },
    )
    .await
    .expect("contact");
    users::act(&s, &olga, &id, UserAction::Delete)
        .await
        .expect("delete");
    assert!(identity::actor_for_token(&s, &t3).await.expect("l").is_none());
    assert!(identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .is_err());
    assert!(users::list(&s, &olga)
        .await
        .expect("list")
        .users
        .iter()
        .all(|u| u.id != id));
    let names: Vec<String> =
        s.db.query("SELECT VALUE actor_name FROM audit WHERE action = 'contact.created'")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert!(names.iter().any(|n| n.contains("una@agency.com")), "{names:?}");
    let again = users::act(&s, &olga, &id, UserAction::Delete)
        .await
        .expect_err("gone");
    assert!(matches!(again, ServiceError::NotFound(_)));
}

#[tokio::test]
async fn bulk_actions_say_how_many_succeeded_and_why_any_did_not() {
    let s = services().await;
    let olga = owner(&s, "olga@agency.com").await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(
            users::add(&s, &olga, input(&format!("u{n}@agency.com"), ""))
                .await
                .expect("add"),
        );
    }
    let u1 = log_in(&s, "u1@agency.com", "a fine password").await;
    let mut with_primary = ids.clone();
    with_primary.push(olga.user_id.clone());
    let outcome = users::act_in_bulk(&s, &u1, &with_primary[1..], UserAction::ForceLogout)
        .await
        .expect("bulk logout");
    assert_eq!(outcome.succeeded, 2);
    assert_eq!(
        outcome.failed,
        vec![(
            "olga@agency.com".to_string(),
            "The primary admin can't be logged out by other users.".to_string()
        )]
    );
    let outcome = users::act_in_bulk(&s, &olga, &with_primary, UserAction::Delete)
        .await
        .expect("bulk delete");
    assert_eq!(outcome.succeeded, 3);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(users::list(&s, &olga).await.expect("list").users.len(), 1);
}

#[tokio::test]
async fn the_primary_admin_hands_the_role_to_another_admin() {
    let s = services().await;
    let olga = owner(&s, "olga@agency.com").await;
    let builder = accounts::default_role_key(&olga.account_id, DefaultRole::Builder);
    let bob = users::add(&s, &olga, input("bob@agency.com", &builder))
        .await
        .expect("add");
    let una = users::add(&s, &olga, input("una@agency.com", ""))
        .await
        .expect("add");
    assert!(
        matches!(
            users::make_primary_admin(&s, &olga, &bob).await,
            Err(ServiceError::Conflict(_))
        ),
        "a Builder can't"
    );
    let una_actor = log_in(&s, "una@agency.com", "a fine password").await;
    assert!(matches!(
        users::make_primary_admin(&s, &una_actor, &una).await,
        Err(ServiceError::Forbidden(_))
    ));
    users::make_primary_admin(&s, &olga, &una)
        .await
        .expect("hand over");
    let una_actor = log_in(&s, "una@agency.com", "a fine password").await;
    assert!(una_actor.is_primary_admin);
    // Olga is an ordinary admin now: Una may log her out.
    users::act(&s, &una_actor, &olga.user_id, UserAction::ForceLogout)
        .await
        .expect("now allowed");
}

#[tokio::test]
async fn only_users_who_manage_users_may_use_the_page() {
    let s = services().await;
    let olga = owner(&s, "olga@agency.com").await;
    let manager_role = accounts::default_role_key(&olga.account_id, DefaultRole::Manager);
    users::add(&s, &olga, input("mo@agency.com", &manager_role))
        .await
        .expect("add");
    let mo = log_in(&s, "mo@agency.com", "a fine password").await;
    assert!(matches!(
        users::list(&s, &mo).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        users::add(&s, &mo, input("x@agency.com", "")).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        users::act(&s, &mo, &olga.user_id, UserAction::ForceLogout).await,
        Err(ServiceError::Forbidden(_))
    ));
}

#[tokio::test]
async fn your_sessions_lists_and_ends_your_own_sessions_only() {
    let s = services().await;
    let olga = owner(&s, "olga@agency.com").await;
    let other = identity::log_in(&s, "olga@agency.com", "correct horse battery")
        .await
        .expect("second browser")
        .session()
        .expect("no two-factor step");
    let mine = users::my_sessions(&s, &olga).await.expect("sessions");
    assert_eq!(mine.len(), 2);
    assert_eq!(mine.iter().filter(|x| x.current).count(), 1);
    let other_id = mine.iter().find(|x| !x.current).expect("other").id.clone();
    let bob = owner(&s, "bob@else.com").await;
    assert!(
        users::end_my_session(&s, &bob, &other_id).await.is_err(),
        "not Bob's session"
    );
    users::end_my_session(&s, &olga, &other_id).await.expect("end");
    assert!(identity::actor_for_token(&s, &other).await.expect("l").is_none());
    assert_eq!(users::my_sessions(&s, &olga).await.expect("sessions").len(), 1);
}
