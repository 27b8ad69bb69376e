//! Steward and a SurrealDB server that restarts (issue 16): the SDK reconnects by itself, the
//! feed follows the tables again and tells every open page to read its lists again, and what
//! changes after the restart reaches the pages. Runs when `STEWARD_TEST_SURREAL_BIN` names the
//! `surreal` binary (the test command sets it); says so and passes otherwise.
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures::StreamExt;

use crate::common::sign_up;
use app::core::accounts;
use app::core::domain::DefaultRole;
use app::core::services::{Services, Settings};
use app::grants::service as grants;
use app::identity::service::SessionToken;
use app::live::channel::{self, Signal};
use app::live::model::Topic;

fn start(bin: &str, dir: &std::path::Path, port: u16) -> Child {
    let mut child = Command::new(bin)
        .args([
            "start", "--log", "warn", "--user", "root", "--pass", "root", "--bind",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .arg(format!("surrealkv://{}", dir.join("data").display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start surreal");
    for _ in 0..150 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return child;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("surreal did not start on {port}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_again_after_the_database_server_restarts() {
    let Ok(bin) = std::env::var("STEWARD_TEST_SURREAL_BIN") else {
        eprintln!("skipped: STEWARD_TEST_SURREAL_BIN is not set (the test command sets it)");
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut server = start(&bin, dir.path(), port);
    let db = app::connect_to(&app::core::db::Connection {
        url: format!("ws://127.0.0.1:{port}"),
        namespace: "steward".into(),
        database: "steward".into(),
        credentials: Some(app::core::db::Credentials {
            user: "root".into(),
            pass: "root".into(),
            level: app::core::db::AuthLevel::Root,
        }),
    })
    .await
    .expect("connect");
    let s = Services::new(
        db,
        Settings {
            dev_mode: true,
            ..Settings::default()
        },
    );
    app::live::feed::start(s.db.clone(), s.live.clone());
    let (token, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut page = Box::pin(
        channel::signals(s.clone(), SessionToken::from_cookie(token.expose()))
            .await
            .expect("a channel"),
    );

    // The database server stops and starts again on the same folder and port.
    server.kill().expect("stop surreal");
    server.wait().expect("stopped");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut server = start(&bin, dir.path(), port);

    // The page is told to read everything again once the feed follows again.
    let heard = tokio::time::timeout(Duration::from_secs(20), page.next())
        .await
        .expect("within 20 s");
    assert_eq!(heard, Some(Signal::Everything));

    // And hears what changes now: the SDK reconnected (and signed in again) by itself.
    let manager = accounts::default_role_key(&owner.account_id, DefaultRole::Manager);
    let mut invited = None;
    for _ in 0..50 {
        match grants::invite(&s, &owner, "max@agency.com", &manager, "").await {
            Ok(id) => {
                invited = Some(id);
                break;
            }
            // Until the connection is back.
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    assert!(invited.is_some(), "a write works again after the restart");
    let mut topics = Vec::new();
    while let Ok(Some(signal)) = tokio::time::timeout(Duration::from_secs(3), page.next()).await {
        topics.push(signal);
        if topics.contains(&Signal::Topic(Topic::Grants)) {
            break;
        }
    }
    assert!(topics.contains(&Signal::Topic(Topic::Grants)), "{topics:?}");
    let _ = server.kill();
    let _ = server.wait();
}
