//! The Users list reads what it shows from the membership (migration 0008): each change the list
//! shows must reach it in the same transaction that makes it.

use crate::common;

use app::core::accounts::default_role_key;
use app::core::db;
use app::core::domain::DefaultRole;
use app::core::services::{Actor, Services};
use app::identity::service as identity;
use app::managed_accounts::service as managed;
use app::roles::service as roles;
use app::users::model::UserView;
use app::users::service::{self as users, UserAction, UserInput};

async fn row(s: &Services, owner: &Actor, id: &str) -> UserView {
    users::list(s, owner)
        .await
        .expect("list")
        .users
        .into_iter()
        .find(|u| u.id == id)
        .expect("the user is listed")
}

#[tokio::test]
async fn the_list_follows_sessions_names_emails_and_role_names() {
    let s = common::services().await;
    let (_, owner) = common::sign_up(&s, "olga@agency.com", "Agency").await;
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    let custom = roles::copy(&s, &owner, &admin).await.expect("copy a role");
    let id = users::add(
        &s,
        &owner,
        UserInput {
            first_name: "Una".into(),
            last_name: "User".into(),
            email: "una@agency.com".into(),
            password: "a fine password".into(),
            role_id: custom.to_string(),
        },
    )
    .await
    .expect("add");
    let before = row(&s, &owner, &id).await;
    assert_eq!((before.sessions, before.last_active.is_none()), (0, true));

    // Log-ins and log-outs are counted as they happen.
    let t1 = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    // Logging in is being active: not "Never" for who just logged in.
    assert!(row(&s, &owner, &id).await.last_active.is_some());
    s.db.query(format!("UPDATE user:`{id}` SET last_active_at = NONE"))
        .await
        .expect("forget")
        .check()
        .expect("forgotten");
    let t2 = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let _t3 = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    assert_eq!(row(&s, &owner, &id).await.sessions, 3);
    identity::log_out(&s, &t1).await.expect("out");
    assert_eq!(row(&s, &owner, &id).await.sessions, 2);
    // The session's touch (at most once a minute) marks the user active.
    let touch = format!("UPDATE user:`{id}` SET last_active_at = time::now()");
    s.db.query(touch).await.expect("touch").check().expect("touched");
    assert!(row(&s, &owner, &id).await.last_active.is_some());
    identity::actor_for_token(&s, &t2)
        .await
        .expect("lookup")
        .expect("the session still works");
    users::act(&s, &owner, &id, UserAction::ForceLogout)
        .await
        .expect("force logout");
    assert_eq!(row(&s, &owner, &id).await.sessions, 0);

    // A new name and email, and a renamed role, show at once.
    users::edit(
        &s,
        &owner,
        &id,
        UserInput {
            first_name: "Ursula".into(),
            last_name: "Usher".into(),
            email: "ursula@agency.com".into(),
            password: String::new(),
            role_id: custom.to_string(),
        },
    )
    .await
    .expect("edit");
    roles::save(&s, &owner, &custom, "Night shift", &[])
        .await
        .expect("rename the role");
    let after = row(&s, &owner, &id).await;
    assert_eq!(
        (
            after.first_name.as_str(),
            after.last_name.as_str(),
            after.email.as_str()
        ),
        ("Ursula", "Usher", "ursula@agency.com")
    );
    assert_eq!(after.role_name, "Night shift");

    // Moving the user to another role shows that role's name.
    let ursula = |role_id: &str| UserInput {
        first_name: "Ursula".into(),
        last_name: "Usher".into(),
        email: "ursula@agency.com".into(),
        password: String::new(),
        role_id: role_id.into(),
    };
    users::edit(&s, &owner, &id, ursula(&admin))
        .await
        .expect("edit role");
    assert_eq!(row(&s, &owner, &id).await.role_name, "Admin");
    users::edit(&s, &owner, &id, ursula(&custom))
        .await
        .expect("edit role back");
    assert_eq!(row(&s, &owner, &id).await.role_name, "Night shift");
}

/// Logging in to a managed account and back moves the one session to a new token each time: the
/// old token stops working, the user still has one open session, and its absolute expiry stays.
#[tokio::test]
async fn switching_accounts_keeps_one_session_and_its_expiry() {
    let s = common::services().await;
    let (agency_token, agency) = common::sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = common::sign_up(&s, "olga@client.com", "Client Co").await;
    let grant_id = managed::request_access(&s, &agency, "olga@client.com", DefaultRole::Builder.key())
        .await
        .expect("request");
    let token = common::last_link(&s, "olga@client.com", "/requests/").await;
    managed::decide_request(&s, &owner, &token, true)
        .await
        .expect("grant");
    let expiry = || async {
        let e: Vec<String> =
            s.db.query("SELECT VALUE <string> expires_at FROM session WHERE user = $u")
                .bind(("u", db::rid("user", &agency.user_id)))
                .await
                .expect("q")
                .take(0)
                .expect("expiries");
        e
    };
    let before = expiry().await;
    assert_eq!(before.len(), 1);

    let managing = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in");
    assert!(identity::actor_for_token(&s, &agency_token)
        .await
        .expect("l")
        .is_none());
    let inside = identity::actor_for_token(&s, &managing)
        .await
        .expect("l")
        .expect("inside");
    let home = managed::back_home(&s, &inside, &managing).await.expect("back");
    assert!(identity::actor_for_token(&s, &managing)
        .await
        .expect("l")
        .is_none());
    let back = identity::actor_for_token(&s, &home)
        .await
        .expect("l")
        .expect("home");
    assert_eq!(back.account_id, agency.account_id);
    assert_eq!(expiry().await, before, "one session, same absolute expiry");
    assert_eq!(row(&s, &agency, &agency.user_id).await.sessions, 1);
}

/// Ended sessions (past their expiry, or idle too long) are deleted by the sweep, and the list
/// counts only the sessions left.
#[tokio::test]
async fn the_sweep_deletes_ended_sessions_and_the_count_follows() {
    let s = common::services().await;
    let (live, owner) = common::sign_up(&s, "olga@agency.com", "Agency").await;
    let expired = identity::log_in(&s, "olga@agency.com", "correct horse battery")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    let idle = identity::log_in(&s, "olga@agency.com", "correct horse battery")
        .await
        .expect("in")
        .session()
        .expect("no two-factor step");
    assert_eq!(row(&s, &owner, &owner.user_id).await.sessions, 3);
    s.db.query(
        "UPDATE session SET expires_at = time::now() - 1s WHERE token_hash = $expired;
         UPDATE session SET last_seen_at = time::now() - 3d WHERE token_hash = $idle;",
    )
    .bind(("expired", expired.hash()))
    .bind(("idle", idle.hash()))
    .await
    .expect("age two sessions")
    .check()
    .expect("aged");

    assert_eq!(identity::sweep_sessions(&s).await.expect("sweep"), 2);
    assert_eq!(row(&s, &owner, &owner.user_id).await.sessions, 1);
    let left: Vec<String> =
        s.db.query("SELECT VALUE token_hash FROM session")
            .await
            .expect("q")
            .take(0)
            .expect("hashes");
    assert_eq!(left, vec![live.hash()]);
    assert_eq!(identity::sweep_sessions(&s).await.expect("sweep again"), 0);
}

/// Issue 14: the list searches by first name, last name or email, sorts by each column and
/// pages, for teams of hundreds.
#[tokio::test]
async fn the_list_searches_sorts_and_pages() {
    use app::users::model::UsersQuery;
    let s = common::services().await;
    let (_, owner) = common::sign_up(&s, "olga@agency.com", "Agency").await;
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);
    for i in 0..30 {
        users::add(
            &s,
            &owner,
            UserInput {
                first_name: format!("First{i:02}"),
                last_name: if i % 2 == 0 {
                    format!("Even{i:02}")
                } else {
                    format!("Odd{i:02}")
                },
                email: format!("user{i:02}@agency.com"),
                password: "a fine password".into(),
                role_id: builder.to_string(),
            },
        )
        .await
        .expect("add");
    }
    let page = |search: &str, sort: &str, descending: bool, page: i64| UsersQuery {
        search: search.into(),
        sort: sort.into(),
        descending,
        page,
    };
    let first = users::list_page(&s, &owner, &page("", "name", false, 0))
        .await
        .expect("list");
    assert_eq!((first.total, first.users.len(), first.page_size), (31, 25, 25));
    // By last name, then first name: the Evens, the Odds, then the owner (Pat Person).
    assert_eq!(first.users[0].last_name, "Even00");
    let second = users::list_page(&s, &owner, &page("", "name", false, 1))
        .await
        .expect("list");
    assert_eq!(second.users.len(), 6);
    assert_eq!(
        second
            .users
            .iter()
            .map(|u| u.last_name.as_str())
            .collect::<Vec<_>>(),
        vec!["Odd21", "Odd23", "Odd25", "Odd27", "Odd29", "Person"]
    );
    let mut names: Vec<String> = first
        .users
        .iter()
        .chain(&second.users)
        .map(|u| u.email.clone())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 31, "every user once across the pages");

    let by_email = users::list_page(&s, &owner, &page("", "email", true, 0))
        .await
        .expect("list");
    assert_eq!(by_email.users[0].email, "user29@agency.com");
    let by_role = users::list_page(&s, &owner, &page("", "role", false, 0))
        .await
        .expect("list");
    assert_eq!(by_role.users[0].role_name, "Admin", "Admin before Builder");

    // A search by the start of the first name, the last name or the email, any case.
    let odd = users::list_page(&s, &owner, &page("ODD1", "name", false, 0))
        .await
        .expect("search");
    assert_eq!(
        odd.users.iter().map(|u| u.last_name.as_str()).collect::<Vec<_>>(),
        vec!["Odd11", "Odd13", "Odd15", "Odd17", "Odd19"]
    );
    assert_eq!(odd.total, 5);
    let by_first = users::list_page(&s, &owner, &page("first0", "email", true, 0))
        .await
        .expect("search");
    assert_eq!(by_first.total, 10);
    assert_eq!(by_first.users[0].email, "user09@agency.com");
    let by_mail = users::list_page(&s, &owner, &page("user2", "name", false, 0))
        .await
        .expect("search");
    assert_eq!(by_mail.total, 10);
    assert!(users::list_page(&s, &owner, &page("nobody", "name", false, 0))
        .await
        .expect("search")
        .users
        .is_empty());

    // Another account's users never show, whatever is searched.
    let (_, other) = common::sign_up(&s, "user99@agency.com", "Other").await;
    let theirs = users::list_page(&s, &other, &page("user", "name", false, 0))
        .await
        .expect("search");
    assert_eq!(
        theirs.users.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
        vec!["user99@agency.com"]
    );
}
