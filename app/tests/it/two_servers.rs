//! Several Steward servers on one database (issue 16): what one does, the other's pages and
//! requests see. (The session cache's own cross-server tests are in `session_cache.rs`; the
//! outbox's and the sweep's in `foundation.rs`.)
use std::time::Duration;

use futures::StreamExt;

use crate::common::{another_server, last_link, services, sign_up};
use app::core::accounts;
use app::core::domain::DefaultRole;
use app::grants::service as grants;
use app::identity::service::{self as identity, SignUp};
use app::live::channel::{self, Signal};
use app::live::model::Topic;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_open_on_one_server_follows_a_change_made_through_the_other() {
    let one = services().await;
    let two = another_server(&one).await;
    // Each server follows the database with its own feed.
    app::live::feed::start(one.db.clone(), one.live.clone());
    app::live::feed::start(two.db.clone(), two.live.clone());
    let (owner_token, owner) = sign_up(&one, "olga@client.com", "Client Co").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The owner's Account managers page is open on server two.
    let mut page = Box::pin(
        channel::signals(
            two.clone(),
            identity::SessionToken::from_cookie(owner_token.expose()),
        )
        .await
        .expect("a channel on two"),
    );
    // The owner invites through server one.
    let manager = accounts::default_role_key(&owner.account_id, DefaultRole::Manager);
    grants::invite(&one, &owner, "max@agency.com", &manager, "")
        .await
        .expect("invite through one");
    let heard = tokio::time::timeout(Duration::from_secs(5), page.next())
        .await
        .expect("the page on two hears within 5 s");
    assert!(
        matches!(heard, Some(Signal::Topic(Topic::Grants | Topic::Audit))),
        "{heard:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sign_ups_with_one_email_at_once_on_two_servers_make_one_user() {
    let one = services().await;
    let two = another_server(&one).await;
    let input = |account: &str| SignUp {
        first_name: "Sam".into(),
        last_name: "Same".into(),
        email: "sam@example.com".into(),
        password: "correct horse battery".into(),
        account_name: account.into(),
    };
    identity::sign_up(&one, input("Sam One"), "")
        .await
        .expect("sign up on one");
    let first = last_link(&one, "sam@example.com", "/signup/confirm/").await;
    // Sam tries again a few minutes later (one sign-up email a minute goes to an address).
    one.db
        .query("UPDATE sign_up SET created_at = time::now() - 5m")
        .await
        .expect("backdate")
        .check()
        .expect("backdated");
    identity::sign_up(&two, input("Sam Two"), "")
        .await
        .expect("sign up on two");
    let second = last_link(&two, "sam@example.com", "/signup/confirm/").await;
    assert_ne!(first, second);
    // Both links opened at the same moment, each on its own server.
    let (a, b) = tokio::join!(
        identity::confirm_sign_up(&one, &first),
        identity::confirm_sign_up(&two, &second)
    );
    assert!(a.is_ok() != b.is_ok(), "one account, one refusal: {a:?} / {b:?}");
    let users: Option<i64> = one
        .db
        .query("RETURN count(SELECT * FROM user WHERE email = 'sam@example.com')")
        .await
        .expect("q")
        .take(0)
        .expect("count");
    assert_eq!(users, Some(1));
    let accounts: Option<i64> = one
        .db
        .query("RETURN count(SELECT * FROM account WHERE name IN ['Sam One', 'Sam Two'])")
        .await
        .expect("q")
        .take(0)
        .expect("count");
    assert_eq!(accounts, Some(1), "the refused sign-up left no account behind");
}
