//! Live tables (issue 13): the feed turns every change into signals for the channels entitled to
//! it and no others, and a channel whose session ends or moves says so.
use std::pin::Pin;
use std::time::Duration;

use futures::{Stream, StreamExt};

use crate::common::{granted, services, sign_up};
use app::core::accounts;
use app::core::domain::DefaultRole;
use app::core::services::Services;
use app::grants::model::OwnerAction;
use app::grants::service as grants;
use app::identity::service::{self as identity, SessionToken};
use app::live::channel::{self, Signal};
use app::live::model::Topic;
use app::managed_accounts::service as managed;

type Signals = Pin<Box<dyn Stream<Item = Signal> + Send>>;

async fn open(s: &Services, token: &SessionToken) -> Signals {
    let copy = SessionToken::from_cookie(token.expose());
    // Fused: a test may ask again after the channel closed.
    Box::pin(channel::signals(s.clone(), copy).await.expect("a channel").fuse())
}

/// What a channel says within `wait`.
async fn said(channel: &mut Signals, wait: Duration) -> Vec<Signal> {
    let until = tokio::time::Instant::now() + wait;
    let mut out = Vec::new();
    while let Ok(Some(signal)) = tokio::time::timeout_at(until, channel.next()).await {
        out.push(signal);
    }
    out
}

/// A fresh Steward with its feed following the tables, and what sign-ups wrote already passed.
async fn live_services() -> Services {
    let s = services().await;
    app::live::feed::start(s.db.clone(), s.live.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_channels_across_twenty_accounts_each_get_their_own_changes_once() {
    let s = live_services().await;
    let mut people = Vec::new();
    for i in 0..20 {
        people.push(sign_up(&s, &format!("owner{i}@acme{i}.com"), &format!("Acme {i}")).await);
    }
    // What the sign-ups wrote has gone by before anyone listens.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut channels = Vec::new();
    for (i, (token, _)) in people.iter().enumerate() {
        for _ in 0..10 {
            channels.push((i, open(&s, token).await));
        }
    }
    assert_eq!(s.live.channels(), 200);

    // Account 3 copies a role; account 7 invites a manager.
    let (_, three) = &people[3];
    let builder = accounts::default_role_key(&three.account_id, DefaultRole::Builder);
    app::roles::service::copy(&s, three, &builder)
        .await
        .expect("copy");
    let (_, seven) = &people[7];
    let manager = accounts::default_role_key(&seven.account_id, DefaultRole::Manager);
    grants::invite(&s, seven, "max@agency.com", &manager, "")
        .await
        .expect("invite");

    // Every channel listens at once, for the same 800 ms.
    let heard: Vec<(usize, Vec<Signal>)> = futures::future::join_all(
        channels
            .iter_mut()
            .map(|(i, channel)| async move { (*i, said(channel, Duration::from_millis(800)).await) }),
    )
    .await;
    let count =
        |signals: &[Signal], topic: Topic| signals.iter().filter(|s| **s == Signal::Topic(topic)).count();
    for (i, signals) in &heard {
        match i {
            3 => {
                assert_eq!(count(signals, Topic::Roles), 1, "account 3: {signals:?}");
                assert_eq!(count(signals, Topic::Audit), 1, "account 3: {signals:?}");
                assert_eq!(count(signals, Topic::Grants), 0, "account 3: {signals:?}");
            }
            7 => {
                assert_eq!(count(signals, Topic::Grants), 1, "account 7: {signals:?}");
                assert_eq!(count(signals, Topic::Audit), 1, "account 7: {signals:?}");
                assert_eq!(count(signals, Topic::Roles), 0, "account 7: {signals:?}");
            }
            _ => assert!(signals.is_empty(), "account {i} heard {signals:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_says_when_its_grant_ends_and_when_its_session_does() {
    let s = live_services().await;
    let (agency_token, agency, _owner_token, owner, grant_id) = granted(&s, DefaultRole::Admin).await;
    let inside = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in to the client");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut inside_channel = open(&s, &inside).await;
    let mut agency_home = {
        let again = identity::log_in(&s, "pat@agency.com", "correct horse battery")
            .await
            .expect("log in")
            .session()
            .expect("no second step");
        (open(&s, &again).await, again)
    };

    // The owner revokes: the manager's page inside the client account is sent home; the
    // agency's own page hears that its grants changed.
    grants::owner_action(&s, &owner, &grant_id, OwnerAction::Revoke)
        .await
        .expect("revoke");
    let inside_said = said(&mut inside_channel, Duration::from_millis(800)).await;
    assert_eq!(inside_said.last(), Some(&Signal::Moved), "{inside_said:?}");
    let home_said = said(&mut agency_home.0, Duration::from_millis(800)).await;
    assert!(home_said.contains(&Signal::Topic(Topic::Grants)), "{home_said:?}");
    assert!(!home_said.contains(&Signal::Moved), "{home_said:?}");

    // The home session logs out: its channel says it ended, and closes.
    identity::log_out(&s, &agency_home.1).await.expect("log out");
    let ended = said(&mut agency_home.0, Duration::from_millis(800)).await;
    // The log-out also changes the Users list (its session count), whose notification may
    // come first: "ended" is the last word, whatever table changes went before it.
    assert_eq!(ended.last(), Some(&Signal::Ended), "{ended:?}");
    assert!(
        ended[..ended.len() - 1]
            .iter()
            .all(|s| matches!(s, Signal::Topic(_))),
        "{ended:?}"
    );
    assert!(
        agency_home.0.next().await.is_none(),
        "the channel closes after it ended"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_reaches_the_invited_persons_page_before_any_account_of_theirs_is_in_it() {
    let s = live_services().await;
    let (_owner_token, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let (max_token, _max) = sign_up(&s, "max@agency.com", "Max Agency").await;
    let (eve_token, _eve) = sign_up(&s, "eve@elsewhere.com", "Eve Ltd").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut max_channel = open(&s, &max_token).await;
    let mut eve_channel = open(&s, &eve_token).await;

    let manager = accounts::default_role_key(&owner.account_id, DefaultRole::Manager);
    let id = grants::invite(&s, &owner, "max@agency.com", &manager, "")
        .await
        .expect("invite");
    let heard = said(&mut max_channel, Duration::from_millis(800)).await;
    assert_eq!(heard, vec![Signal::Topic(Topic::Grants)], "max: {heard:?}");
    let heard = said(&mut eve_channel, Duration::from_millis(800)).await;
    assert!(heard.is_empty(), "eve: {heard:?}");

    // The owner deletes it before Max answers: Max's list hears of it too.
    grants::delete(&s, &owner, &id).await.expect("delete");
    let heard = said(&mut max_channel, Duration::from_millis(800)).await;
    assert_eq!(heard, vec![Signal::Topic(Topic::Grants)], "max: {heard:?}");
    assert!(said(&mut eve_channel, Duration::from_millis(300))
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_users_open_page_is_told_its_session_ended() {
    use app::users::service::{self as users, UserAction, UserInput};
    let s = live_services().await;
    let (_, admin) = sign_up(&s, "olga@agency.com", "Agency").await;
    let role = accounts::default_role_key(&admin.account_id, DefaultRole::Builder);
    let una = users::add(
        &s,
        &admin,
        UserInput {
            first_name: "Una".into(),
            last_name: "User".into(),
            email: "una@agency.com".into(),
            password: "a fine password".into(),
            role_id: role.to_string(),
        },
    )
    .await
    .expect("add");
    let token = identity::log_in(&s, "una@agency.com", "a fine password")
        .await
        .expect("log in")
        .session()
        .expect("one step");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut page = open(&s, &token).await;
    users::act(&s, &admin, &una, UserAction::Delete)
        .await
        .expect("delete");
    let heard = said(&mut page, Duration::from_millis(1500)).await;
    assert_eq!(heard.last(), Some(&Signal::Ended), "{heard:?}");
}

/// The Webhooks page follows its deliveries: a delivery written for the account's endpoint, and
/// each attempt on it, reach the account's channels, and no other account's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_delivery_and_its_attempts_reach_the_accounts_webhooks_page() {
    use app::users::service::{self as users, UserInput};
    let s = live_services().await;
    let (owner_token, owner) = sign_up(&s, "olga@hooked.com", "Hooked").await;
    let (other_token, _) = sign_up(&s, "otto@other.com", "Other").await;
    app::webhooks::service::add(
        &s,
        &owner,
        "https://hooks.example.com/in",
        "",
        &["user.added".into()],
    )
    .await
    .expect("endpoint");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut page = open(&s, &owner_token).await;
    let mut elsewhere = open(&s, &other_token).await;
    users::add(
        &s,
        &owner,
        UserInput {
            first_name: "Una".into(),
            last_name: "User".into(),
            email: "una@hooked.com".into(),
            password: "a fine password".into(),
            role_id: accounts::default_role_key(&owner.account_id, DefaultRole::Builder).to_string(),
        },
    )
    .await
    .expect("add");
    let heard = said(&mut page, Duration::from_millis(1500)).await;
    assert!(heard.contains(&Signal::Topic(Topic::Webhooks)), "{heard:?}");
    // An attempt, as the sender records it: the delivery changes.
    s.db.query("UPDATE webhook_delivery SET attempts += 1 WHERE account = $a RETURN NONE")
        .bind(("a", app::core::db::rid("account", &owner.account_id)))
        .await
        .expect("attempt")
        .check()
        .expect("attempted");
    let heard = said(&mut page, Duration::from_millis(1500)).await;
    assert_eq!(heard, vec![Signal::Topic(Topic::Webhooks)], "{heard:?}");
    let theirs = said(&mut elsewhere, Duration::from_millis(300)).await;
    assert!(!theirs.contains(&Signal::Topic(Topic::Webhooks)), "{theirs:?}");
}
