//! What the integration tests share: a fresh in-memory Steward, and people signing up to it.
#![allow(dead_code)]

use app::core::services::{Actor, Services, Settings};
use app::identity::service::{self as identity, SessionToken, SignUp};

/// A fresh database with the schema: `mem://`, or, when `STEWARD_TEST_DATABASE_URL` names a
/// SurrealDB server (`ws://`, as the test command starts one), a new database of its own there,
/// signed in as `STEWARD_TEST_DATABASE_USER` / `STEWARD_TEST_DATABASE_PASS` (root / root).
pub async fn fresh_db() -> app::core::db::Db {
    let Ok(url) = std::env::var("STEWARD_TEST_DATABASE_URL") else {
        return app::connect("mem://").await.expect("db");
    };
    // On disk: a folder of its own per test under the one named (one process owns a folder).
    if let Some(dir) = url.strip_prefix("surrealkv://") {
        let url = format!("surrealkv://{dir}/t{}", app::core::db::new_key());
        return app::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("the test database {url}: {e}"));
    }
    let to = app::core::db::Connection {
        url: url.clone(),
        namespace: "steward_tests".into(),
        database: format!("t{}", app::core::db::new_key()),
        credentials: Some(test_credentials()),
    };
    app::connect_to(&to)
        .await
        .unwrap_or_else(|e| panic!("the test server {url}: {e}"))
}

/// The test server's root user: `STEWARD_TEST_DATABASE_USER` / `STEWARD_TEST_DATABASE_PASS`
/// (root / root, as the test command starts it).
pub fn test_credentials() -> app::core::db::Credentials {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "root".to_string());
    app::core::db::Credentials {
        user: var("STEWARD_TEST_DATABASE_USER"),
        pass: var("STEWARD_TEST_DATABASE_PASS"),
        level: app::core::db::AuthLevel::Root,
    }
}

/// A second Steward server on the database of `s`: its own services (session cache, live hub,
/// server id) and, on a SurrealDB server, its own connection; on an embedded engine (`mem://`,
/// `surrealkv://`, which one process owns) a second handle to the same engine.
pub async fn another_server(s: &Services) -> Services {
    let db = match std::env::var("STEWARD_TEST_DATABASE_URL") {
        Ok(url) if !url.starts_with("surrealkv://") => {
            let mut res =
                s.db.query("RETURN session::ns(); RETURN session::db();")
                    .await
                    .expect("which database");
            let ns: Option<String> = res.take(0).expect("namespace");
            let db: Option<String> = res.take(1).expect("database");
            let names = [ns.expect("a namespace"), db.expect("a database")];
            app::connect_to(&app::core::db::Connection {
                url,
                namespace: names[0].clone(),
                database: names[1].clone(),
                credentials: Some(test_credentials()),
            })
            .await
            .expect("a second connection")
        }
        _ => (*s.db).clone(),
    };
    Services::new(db, (*s.settings).clone())
}

/// A fresh database ([`fresh_db`]) with the schema, in development mode.
pub async fn services() -> Services {
    Services::new(
        fresh_db().await,
        Settings {
            dev_mode: true,
            ..Settings::default()
        },
    )
}

/// Signs up a user with their own account and opens the emailed link; returns the session
/// token and the actor.
pub async fn sign_up(s: &Services, email: &str, account: &str) -> (SessionToken, Actor) {
    identity::sign_up(
        s,
        SignUp {
            first_name: "Pat".into(),
            last_name: "Person".into(),
            email: email.into(),
            password: "correct horse battery".into(),
            account_name: account.into(),
        },
        "",
    )
    .await
    .expect("sign up");
    let link = last_link(s, &email.to_lowercase(), "/signup/confirm/").await;
    let (token, _) = identity::confirm_sign_up(s, &link)
        .await
        .expect("confirm the sign-up");
    let actor = identity::actor_for_token(s, &token)
        .await
        .expect("lookup")
        .expect("actor");
    (token, actor)
}

/// The token at the end of the newest link sent to `to` whose address contains `part`.
pub async fn last_link(s: &Services, to: &str, part: &str) -> String {
    let links: Vec<Option<String>> =
        s.db.query("SELECT VALUE link FROM outbox WHERE to = $to ORDER BY created_at DESC")
            .bind(("to", to.to_string()))
            .await
            .expect("read the outbox")
            .take(0)
            .expect("links");
    let link = links
        .into_iter()
        .flatten()
        .find(|l| l.contains(part))
        .expect("a link");
    link.rsplit('/').next().expect("token").to_string()
}

/// The actor a session token stands for.
pub async fn actor(s: &Services, token: &SessionToken) -> Actor {
    identity::actor_for_token(s, token)
        .await
        .expect("lookup")
        .expect("actor")
}

/// An agency with an Active grant on a client account, with the given role.
pub async fn granted(
    s: &Services,
    role: app::core::domain::DefaultRole,
) -> (SessionToken, Actor, SessionToken, Actor, app::core::ids::GrantId) {
    let (agency_token, agency) = sign_up(s, "pat@agency.com", "Agency Inc").await;
    let (owner_token, owner) = sign_up(s, "olga@client.com", "Client Co").await;
    let id = app::managed_accounts::service::request_access(s, &agency, "olga@client.com", role.key())
        .await
        .expect("request");
    let token = last_link(s, "olga@client.com", "/requests/").await;
    app::managed_accounts::service::decide_request(s, &owner, &token, true)
        .await
        .expect("grant");
    (agency_token, agency, owner_token, owner, id)
}

/// A contact with only a first name (last name "Client").
pub fn contact(name: &str) -> app::contacts::service::ContactInput {
    app::contacts::service::ContactInput {
        first_name: name.into(),
        last_name: "Client".into(),
        email: String::new(),
        phone: String::new(),
        tags: String::new(),
        values: Vec::new(),
    }
}

/// The subjects of the emails queued for `to`.
pub async fn subjects(s: &Services, to: &str) -> Vec<String> {
    s.db.query("SELECT VALUE subject FROM outbox WHERE to = $to")
        .bind(("to", to.to_string()))
        .await
        .expect("q")
        .take(0)
        .expect("v")
}

/// Account settings with two-factor not required.
pub fn account_settings(
    allow_manager_requests: bool,
    managers_manage_users: bool,
    login_notify: &str,
) -> app::settings::model::AccountSettings {
    app::settings::model::AccountSettings {
        allow_manager_requests,
        managers_manage_users,
        login_notify: login_notify.into(),
        require_two_factor: false,
    }
}
