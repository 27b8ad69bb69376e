//! What the integration tests share: a fresh in-memory Steward, and people signing up to it.
#![allow(dead_code)]

use app::service::identity::{self, SessionToken, SignUp};
use app::service::{Actor, Services, Settings};
use app::store;

/// A fresh `mem://` database with the schema, in development mode.
pub async fn services() -> Services {
    Services::new(
        store::connect("mem://").await.expect("db"),
        Settings {
            dev_mode: true,
            ..Settings::default()
        },
    )
}

/// Signs up a user with their own account; returns the session token and the actor.
pub async fn sign_up(s: &Services, email: &str, account: &str) -> (SessionToken, Actor) {
    let token = identity::sign_up(
        s,
        SignUp {
            first_name: "Pat".into(),
            last_name: "Person".into(),
            email: email.into(),
            password: "correct horse battery".into(),
            account_name: account.into(),
        },
    )
    .await
    .expect("sign up");
    let actor = identity::actor_for_token(s, &token)
        .await
        .expect("lookup")
        .expect("actor");
    (token, actor)
}
