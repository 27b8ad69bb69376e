//! Integration tests of the foundation against a real SurrealDB (`mem://` and `surrealkv://`).

use std::time::Duration;

use app::core::db;
use app::core::mailer;
use app::core::services::{ServiceError, Services, Settings};
use app::identity::service::{self as identity, SessionToken, SignUp};

fn settings() -> Settings {
    Settings {
        dev_mode: true,
        ..Settings::default()
    }
}

async fn services(url: &str, settings: Settings) -> Services {
    let db = if url == "mem://" {
        // On the test server when there is one.
        crate::common::fresh_db().await
    } else {
        app::connect(url).await.expect("database")
    };
    Services::new(db, settings)
}

fn sign_up_input(email: &str) -> SignUp {
    SignUp {
        first_name: "Ann".into(),
        last_name: "Owner".into(),
        email: email.into(),
        password: "correct horse battery".into(),
        account_name: "Acme".into(),
    }
}

/// The newest sign-up link sent to `email`, as its token.
async fn sign_up_link(s: &Services, email: &str) -> Option<String> {
    let links: Vec<String> =
        s.db.query(
            "SELECT VALUE link FROM outbox WHERE to = $to AND link != NONE
             AND string::contains(link, '/signup/confirm/') ORDER BY created_at DESC",
        )
        .bind(("to", email.to_string()))
        .await
        .expect("outbox")
        .take(0)
        .expect("links");
    links
        .first()
        .and_then(|l| l.rsplit('/').next())
        .map(str::to_string)
}

/// The subjects of the mail to `to`, oldest first.
async fn outbox_of(s: &Services, to: &str) -> Vec<String> {
    s.db.query("SELECT VALUE subject FROM outbox WHERE to = $to ORDER BY created_at")
        .bind(("to", to.to_string()))
        .await
        .expect("outbox")
        .take(0)
        .expect("subjects")
}

/// Signs up and opens the emailed link, as the person would.
async fn signed_up(s: &Services, input: SignUp) -> Result<SessionToken, ServiceError> {
    let email = app::core::domain::Email::parse(&input.email)
        .map(|e| e.to_string())
        .unwrap_or_default();
    identity::sign_up(s, input, "").await?;
    let link = sign_up_link(s, &email).await.expect("a sign-up link");
    identity::confirm_sign_up(s, &link).await.map(|(token, _)| token)
}

async fn count(services: &Services, sql: &str) -> i64 {
    let mut res = services.db.query(sql).await.expect("query");
    let n: Option<i64> = res.take(0).expect("count");
    n.unwrap_or(0)
}

#[tokio::test]
async fn sign_up_creates_the_account_its_roles_and_primary_admin_in_one_go() {
    let s = services("mem://", settings()).await;
    let token = signed_up(&s, sign_up_input("Ann@Example.com"))
        .await
        .expect("sign up");
    let actor = identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .expect("actor");
    assert_eq!(actor.email, "ann@example.com");
    assert_eq!(actor.role_name, "Admin");
    assert!(actor.is_primary_admin);
    assert_eq!(count(&s, "RETURN count(SELECT * FROM role)").await, 4);
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM account WHERE status = 'free_trial' AND is_template = false)"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM audit WHERE action = 'account.created')"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM outbox WHERE to = 'ann@example.com')"
        )
        .await,
        2,
        "the link, then the welcome"
    );
    let hashes: Vec<String> =
        s.db.query("SELECT VALUE password_hash FROM user WHERE email = 'ann@example.com'")
            .await
            .expect("query")
            .take(0)
            .expect("hash");
    assert!(
        hashes[0].starts_with("$argon2id$"),
        "passwords are hashed with argon2id"
    );
}

/// Issue 15: nothing exists until the emailed link is opened; a taken email gets the same answer
/// and its owner an email instead of a link; at most one email a minute to an address.
#[tokio::test]
async fn a_sign_up_creates_nothing_until_its_link_and_a_taken_email_answers_the_same() {
    let s = services("mem://", settings()).await;
    signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("ann");
    let accounts = "RETURN count(SELECT * FROM account WHERE is_template = false)";

    // A taken email: Ok, as for a free one; its owner is told, nothing is created.
    let taken = identity::sign_up(&s, sign_up_input("ANN@example.com"), "")
        .await
        .expect("same answer");
    assert_eq!(count(&s, accounts).await, 1);
    assert_eq!(count(&s, "RETURN count(SELECT * FROM role)").await, 4);
    assert_eq!(
        outbox_of(&s, "ann@example.com").await,
        vec![
            identity::SIGN_UP_SUBJECT,
            "Welcome to Steward",
            "Someone tried to sign up with your email"
        ]
    );
    assert!(identity::waiting_sign_up_email(&s, &taken.browser)
        .await
        .expect("browser")
        .is_none());
    // Again within the minute: no second email.
    identity::sign_up(&s, sign_up_input("ann@example.com"), "")
        .await
        .expect("same answer");
    assert_eq!(outbox_of(&s, "ann@example.com").await.len(), 3);

    // A free email: a link, and still nothing created.
    let bob = identity::sign_up(&s, sign_up_input("bob@example.com"), "/contacts")
        .await
        .expect("bob");
    identity::sign_up(&s, sign_up_input("bob@example.com"), "")
        .await
        .expect("again");
    assert_eq!(
        outbox_of(&s, "bob@example.com").await,
        vec![identity::SIGN_UP_SUBJECT]
    );
    assert_eq!(count(&s, accounts).await, 1);
    assert_eq!(
        identity::waiting_sign_up_email(&s, &bob.browser)
            .await
            .expect("browser")
            .as_deref(),
        Some("bob@example.com")
    );
    let link = sign_up_link(&s, "bob@example.com").await.expect("link");
    assert_eq!(
        identity::sign_up_link(&s, &link).await.expect("shown"),
        ("bob@example.com".to_string(), "Acme".to_string())
    );
    let (token, next) = identity::confirm_sign_up(&s, &link).await.expect("confirm");
    assert_eq!(next, "/contacts", "where the sign-up was headed");
    let bob_actor = identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .expect("logged in");
    assert!(bob_actor.is_primary_admin);
    assert_eq!(count(&s, accounts).await, 2);
    // The link works once; the sign-up is gone.
    for gone in [
        identity::confirm_sign_up(&s, &link).await.map(|_| ()),
        identity::sign_up_link(&s, &link).await.map(|_| ()),
        identity::confirm_sign_up(&s, "not-a-link").await.map(|_| ()),
    ] {
        assert!(
            matches!(&gone, Err(ServiceError::NotFound(m)) if m.contains("no longer valid")),
            "{gone:?}"
        );
    }
    assert_eq!(count(&s, accounts).await, 2);
    assert_eq!(
        count(&s, "RETURN count(SELECT * FROM sign_up WHERE token_hash != NONE)").await,
        0
    );

    // An expired link is gone too, and the sweep deletes it.
    identity::sign_up(&s, sign_up_input("carl@example.com"), "")
        .await
        .expect("carl");
    let late = sign_up_link(&s, "carl@example.com").await.expect("link");
    s.db.query("UPDATE sign_up SET expires_at = time::now() - 1s")
        .await
        .expect("age");
    assert!(matches!(
        identity::confirm_sign_up(&s, &late).await,
        Err(ServiceError::NotFound(_))
    ));
    identity::sweep_sessions(&s).await.expect("sweep");
    assert_eq!(count(&s, "RETURN count(SELECT * FROM sign_up)").await, 0);
    assert_eq!(count(&s, accounts).await, 2);
}

#[tokio::test]
async fn one_email_makes_one_user_under_concurrent_sign_ups() {
    let s = services("mem://", settings()).await;
    // Several sign-ups wait for the same email (a minute apart, as the limit wants) ...
    let mut links = Vec::new();
    for i in 0..6 {
        let email = if i % 2 == 0 {
            "race@example.com"
        } else {
            "RACE@example.com"
        };
        identity::sign_up(&s, sign_up_input(email), "")
            .await
            .expect("sign up");
        links.push(sign_up_link(&s, "race@example.com").await.expect("link"));
        s.db.query("UPDATE sign_up SET created_at = time::now() - 2m")
            .await
            .expect("a minute later");
    }
    // ... and every link is opened twice at once.
    let attempts: Vec<_> = links
        .iter()
        .chain(links.iter())
        .map(|link| {
            let (s, link) = (s.clone(), link.clone());
            tokio::spawn(async move { identity::confirm_sign_up(&s, &link).await })
        })
        .collect();
    let mut ok = 0;
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(_) => ok += 1,
            Err(ServiceError::Invalid(f)) => assert!(f[0].1.contains("has a Steward log-in already")),
            Err(ServiceError::NotFound(_)) => {}
            // A write conflict is a refusal too; what matters is that only one user exists.
            Err(ServiceError::Store(db::StoreError::Conflict(_))) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(count(&s, "RETURN count(SELECT * FROM user)").await, 1);
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM account WHERE is_template = false)"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn log_in_log_out_and_a_deleted_session_ends_at_the_next_request() {
    let s = services("mem://", settings()).await;
    signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    let wrong = identity::log_in(&s, "ann@example.com", "nope nope nope")
        .await
        .expect_err("wrong");
    assert!(matches!(wrong, ServiceError::Invalid(ref f) if f[0].1 == identity::WRONG_CREDENTIALS));
    let token = identity::log_in(&s, " ANN@example.com ", "correct horse battery")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_some());
    identity::log_out(&s, &token).await.expect("log out");
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_none());

    let token = identity::log_in(&s, "ann@example.com", "correct horse battery")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    s.db.query("DELETE session").await.expect("delete sessions");
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_none());
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    let s = services("mem://", settings()).await;
    let token = signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    assert!(token.expose().len() >= 32, "at least 128 bits");
    let hashes: Vec<String> =
        s.db.query("SELECT VALUE token_hash FROM session")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(hashes, vec![token.hash()]);
    assert_ne!(hashes[0], token.expose());
}

#[tokio::test]
async fn idle_sessions_expire() {
    let s = services(
        "mem://",
        Settings {
            session_idle_secs: 1,
            ..settings()
        },
    )
    .await;
    let token = signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_some());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_none());
}

#[tokio::test]
async fn absolute_expiry_ends_a_session_however_active() {
    let s = services(
        "mem://",
        Settings {
            session_absolute_secs: 1,
            ..settings()
        },
    )
    .await;
    let token = signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_none());
}

#[tokio::test]
async fn data_survives_a_restart_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("surrealkv://{}", dir.path().join("steward.db").display());
    {
        let s = services(&url, settings()).await;
        signed_up(&s, sign_up_input("ann@example.com"))
            .await
            .expect("sign up");
    }
    // Give the engine a moment to close its files before opening them again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s = services(&url, settings()).await;
    identity::log_in(&s, "ann@example.com", "correct horse battery")
        .await
        .expect("log in after restart")
        .session()
        .expect("no two-factor step");
    assert_eq!(
        count(&s, "RETURN count(SELECT * FROM migration)").await,
        app::core::db::migration_count() as i64,
        "each migration is applied once"
    );
}

/// A real SMTP server (aiosmtpd) that writes what it receives to a maildir.
struct SmtpServer {
    child: std::process::Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    fn start(port: u16) -> Self {
        let maildir = tempfile::tempdir().expect("maildir");
        let mut child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .arg(maildir.path().join("mail"))
            .spawn()
            .expect("python3 -m aiosmtpd (scripts/setup.sh test installs it)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self { child, maildir };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.path().join("mail").join(sub)) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[tokio::test]
async fn emails_wait_in_the_outbox_until_smtp_takes_them() {
    let s = services("mem://", settings()).await;
    signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    let port = free_port();
    let mailer = mailer::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Steward <steward@localhost>")
        .expect("mailer");

    // The sign-up link and the welcome. Nobody listens yet: the emails stay, each with its
    // failed attempt recorded.
    assert_eq!(mailer::send_due(&s, &mailer).await.expect("pass"), 0);
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM outbox WHERE status = 'pending' AND attempts = 1)"
        )
        .await,
        2
    );

    let smtp = SmtpServer::start(port);
    // The retry waits for its backoff; make it due now.
    s.db.query("UPDATE outbox SET next_attempt_at = time::now()")
        .await
        .expect("due now");
    assert_eq!(mailer::send_due(&s, &mailer).await.expect("pass"), 2);
    assert_eq!(
        count(&s, "RETURN count(SELECT * FROM outbox WHERE status = 'sent')").await,
        2
    );
    let mut messages = Vec::new();
    for _ in 0..50 {
        messages = smtp.messages();
        if messages.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(messages.len(), 2);
    let welcome = messages
        .iter()
        .find(|m| m.contains("Subject: Welcome to Steward"))
        .unwrap_or_else(|| panic!("no welcome in {messages:?}"));
    assert!(welcome.contains("ann@example.com"));
    assert!(welcome.contains("/login"));
    // Delivered, the email keeps no link in the database.
    assert_eq!(
        count(&s, "RETURN count(SELECT * FROM outbox WHERE link != NONE)").await,
        0
    );
    // Sent emails are not sent again.
    assert_eq!(mailer::send_due(&s, &mailer).await.expect("pass"), 0);
}

#[test]
fn backoff_grows_and_is_capped() {
    assert_eq!(mailer::backoff_secs(1), 2);
    assert_eq!(mailer::backoff_secs(3), 8);
    assert_eq!(mailer::backoff_secs(30), 3600);
}

#[tokio::test]
async fn a_used_session_is_marked_active_again() {
    let s = services("mem://", settings()).await;
    let token = signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    s.db.query("UPDATE session SET last_seen_at = time::now() - 5m")
        .await
        .expect("age");
    assert!(identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .is_some());
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM session WHERE last_seen_at > time::now() - 1m)"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM user WHERE last_active_at != NONE)"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_email_given_up_keeps_no_link() {
    let s = services("mem://", settings()).await;
    signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("sign up");
    let mailer = mailer::Mailer::new(
        &format!("smtp://127.0.0.1:{}", free_port()),
        "Steward <steward@localhost>",
    )
    .expect("mailer");
    // Their last attempt (the twelfth: the sign-up link and the welcome), and nobody listens.
    s.db.query("UPDATE outbox SET attempts = 11")
        .await
        .expect("attempts")
        .check()
        .expect("set");
    assert_eq!(mailer::send_due(&s, &mailer).await.expect("pass"), 0);
    assert_eq!(
        count(
            &s,
            "RETURN count(SELECT * FROM outbox WHERE status = 'failed' AND attempts = 12 AND link = NONE)"
        )
        .await,
        2
    );
}

/// Issue 15: an email the parser accepts is accepted by the database schema too (its
/// `string::is_email` assert), so sign-up never fails with a 500 on an odd address; one the
/// schema would refuse is refused by the parser with a message.
#[tokio::test]
async fn every_email_the_parser_accepts_the_database_accepts() {
    let s = services("mem://", settings()).await;
    let odd = [
        "plain@example.com",
        "a+tag@example.com",
        "o'brien@example.ie",
        "first.last@sub.example.co.uk",
        "a..b@example.com",
        ".a@example.com",
        "a.@example.com",
        "\"quoted\"@example.com",
        "a(b)@example.com",
        "a,b@example.com",
        "a;b@example.com",
        "a[b]@example.com",
        "a\\b@example.com",
        "a%b@example.com",
        "a!#$&*/=?^`{|}~@example.com",
        "名前@example.com",
        "ann@例え.jp",
        "ann@xn--r8jz45g.jp",
        "ann@-example.com",
        "ann@example-.com",
        "ann@1.2.3.4",
        "ann@b.c",
        "ann@example.c0m",
        "ann@exa_mple.com",
        "ann@example..com",
    ];
    let mut mismatched = Vec::new();
    let mut accepted = Vec::new();
    for (i, email) in odd.iter().enumerate() {
        let Ok(parsed) = app::core::domain::Email::parse(email) else {
            continue;
        };
        accepted.push(*email);
        let mut input = sign_up_input(email);
        input.account_name = format!("Odd {i}");
        match signed_up(&s, input).await {
            Ok(_) => {}
            Err(e) => mismatched.push(format!("{email} (parsed as {parsed}): {e:?}")),
        }
    }
    assert!(
        mismatched.is_empty(),
        "accepted by the parser, refused by the database:\n{}",
        mismatched.join("\n")
    );
    // Not by refusing everything odd: ordinary and international addresses come in.
    for ok in [
        "plain@example.com",
        "a+tag@example.com",
        "o'brien@example.ie",
        "first.last@sub.example.co.uk",
        "a!#$&*/=?^`{|}~@example.com",
        "名前@example.com",
        "ann@例え.jp",
        "ann@b.c",
    ] {
        assert!(accepted.contains(&ok), "{ok} refused; accepted: {accepted:?}");
    }
}

/// Issue 15: the development Mailbox shows each user the mail sent to their own address, and
/// exists only in development mode.
#[tokio::test]
async fn the_mailbox_shows_a_user_their_own_mail_only() {
    let s = services(
        "mem://",
        Settings {
            dev_mode: true,
            ..settings()
        },
    )
    .await;
    let ann = signed_up(&s, sign_up_input("ann@example.com"))
        .await
        .expect("ann");
    let mut bob_input = sign_up_input("bob@example.com");
    bob_input.account_name = "Bob Co".into();
    signed_up(&s, bob_input).await.expect("bob");
    let ann = identity::actor_for_token(&s, &ann)
        .await
        .expect("lookup")
        .expect("actor");
    let mails = app::mailbox::service::mailbox(&s, &ann).await.expect("mailbox");
    assert!(!mails.is_empty());
    assert!(mails.iter().all(|m| m.to == "ann@example.com"), "{mails:?}");

    // Before anyone logs in, a browser sees the link of the sign-up it started, and nothing
    // else: not the other mail to that address, not a taken email's.
    let mut carl = sign_up_input("carl@example.com");
    carl.account_name = "Carl Co".into();
    let started = identity::sign_up(&s, carl, "").await.expect("carl");
    let mails = app::mailbox::service::sign_up_mail(&s, &started.browser)
        .await
        .expect("mailbox");
    assert_eq!(
        mails
            .iter()
            .map(|m| (m.to.as_str(), m.subject.as_str()))
            .collect::<Vec<_>>(),
        vec![("carl@example.com", identity::SIGN_UP_SUBJECT)]
    );
    let taken = identity::sign_up(&s, sign_up_input("bob@example.com"), "")
        .await
        .expect("taken");
    assert!(app::mailbox::service::sign_up_mail(&s, &taken.browser)
        .await
        .expect("mailbox")
        .is_empty());

    let production = services(
        "mem://",
        Settings {
            dev_mode: false,
            ..settings()
        },
    )
    .await;
    assert!(matches!(
        app::mailbox::service::mailbox(&production, &ann).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        app::mailbox::service::sign_up_mail(&production, &started.browser).await,
        Err(ServiceError::NotFound(_))
    ));
}

/// Two servers starting at once on a new database: one applies each migration, the other sees it
/// applied and goes on; both start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_at_once_apply_each_migration_once() {
    let db = crate::common::fresh_db().await;
    // `fresh_db` migrated it: start from an empty database of the same engine instead.
    db.query("REMOVE DATABASE steward_concurrent").await.ok();
    db.use_db("steward_concurrent").await.expect("use");
    let (a, b) = tokio::join!(
        app::core::db::migrate_up_to(&db, i64::MAX),
        app::core::db::migrate_up_to(&db, i64::MAX)
    );
    a.expect("the first server starts");
    b.expect("the second server starts");
    let versions: Vec<i64> = db
        .query("SELECT VALUE version FROM migration ORDER BY version")
        .await
        .expect("q")
        .take(0)
        .expect("versions");
    let expected: Vec<i64> = (1..=app::core::db::migration_count() as i64).collect();
    assert_eq!(versions, expected, "each migration once, none missing");
    // And both install the built-in templates, once.
    let (a, b) = tokio::join!(
        app::templates::service::install_built_ins(&db),
        app::templates::service::install_built_ins(&db)
    );
    a.expect("the first server's templates");
    b.expect("the second server's templates");
    let built_in: i64 = db
        .query("RETURN count(SELECT * FROM template WHERE built_in = true)")
        .await
        .expect("q")
        .take::<Option<i64>>(0)
        .expect("count")
        .unwrap_or(0);
    assert_eq!(built_in as usize, app::templates::built_in::BUILT_IN.len());
}

/// On a SurrealDB server, servers that start at once on a database nobody has used yet each
/// define it when they choose it; every one of them must start. Before `connect_to` tried again,
/// rounds of four failed in each of three runs (at rounds 5, 5 and 12); two `steward` processes
/// failed to start 1 time in 8.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_connecting_at_once_to_a_new_database_all_start() {
    let Some(url) = std::env::var("STEWARD_TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("ws"))
    else {
        eprintln!("skipped: needs a SurrealDB server (the test command's SurrealDB pass)");
        return;
    };
    for round in 0..15 {
        let to = app::core::db::Connection {
            url: url.clone(),
            namespace: "steward_tests".into(),
            database: format!("new{}", app::core::db::new_key()),
            credentials: Some(crate::common::test_credentials()),
        };
        let (a, b, c, d) = tokio::join!(
            app::connect_to(&to),
            app::connect_to(&to),
            app::connect_to(&to),
            app::connect_to(&to)
        );
        for (server, db) in [a, b, c, d].into_iter().enumerate() {
            let db = db.unwrap_or_else(|e| panic!("round {round}, server {server}: {e}"));
            let versions: Vec<i64> = db
                .query("SELECT VALUE version FROM migration ORDER BY version")
                .await
                .expect("q")
                .take(0)
                .expect("versions");
            assert_eq!(versions.len(), app::core::db::migration_count());
        }
    }
}

/// Two servers deliver one outbox: each of 1,000 emails reaches the SMTP server once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_deliver_each_queued_email_exactly_once() {
    let one = services("mem://", settings()).await;
    // The second server: its own services on the same database.
    let two = crate::common::another_server(&one).await;
    one.db
        .query(
            "FOR $i IN 1..=1000 {
                CREATE outbox SET to = 'many@example.com', subject = 'Mail ' + <string> $i,
                    body = 'Hello', status = 'pending';
            }",
        )
        .await
        .expect("queue 1,000 emails")
        .check()
        .expect("queued");
    let port = free_port();
    let smtp = SmtpServer::start(port);
    let url = format!("smtp://127.0.0.1:{port}");
    let (mailer_one, mailer_two) = (
        mailer::Mailer::new(&url, "Steward <steward@localhost>").expect("mailer"),
        mailer::Mailer::new(&url, "Steward <steward@localhost>").expect("mailer"),
    );
    let drain = |s: Services, m: mailer::Mailer| async move {
        let mut sent = 0;
        for _ in 0..200 {
            sent += mailer::send_due(&s, &m).await.expect("a pass");
            let left = count(&s, "RETURN count(SELECT * FROM outbox WHERE status = 'pending')").await;
            if left == 0 {
                break;
            }
        }
        sent
    };
    let (a, b) = tokio::join!(drain(one.clone(), mailer_one), drain(two, mailer_two));
    assert_eq!(a + b, 1000, "sent {a} and {b}");
    assert!(a > 0 && b > 0, "both servers took part: {a} and {b}");
    assert_eq!(
        count(
            &one,
            "RETURN count(SELECT * FROM outbox WHERE status = 'sent' AND attempts = 1)"
        )
        .await,
        1000
    );
    let mut messages = Vec::new();
    for _ in 0..100 {
        messages = smtp.messages();
        if messages.len() >= 1000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let subjects: std::collections::BTreeSet<String> = messages
        .iter()
        .filter_map(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("Subject: ").map(str::to_string))
        })
        .collect();
    assert_eq!(messages.len(), 1000, "one message per email");
    assert_eq!(subjects.len(), 1000, "no email twice");
}

/// The minute's sweep runs on one server at a time: the lease goes to one of two servers asking
/// at once, stays with it while it renews, and passes to the other once it runs out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_server_at_a_time_holds_a_job() {
    use app::core::lease::hold;
    let db = crate::common::fresh_db().await;
    let (a, b) = tokio::join!(
        hold(&db, "sweep", "server-a", 55),
        hold(&db, "sweep", "server-b", 55)
    );
    let (a, b) = (a.expect("a asks"), b.expect("b asks"));
    assert!(a != b, "exactly one holds it: a {a}, b {b}");
    let (holder, other) = if a {
        ("server-a", "server-b")
    } else {
        ("server-b", "server-a")
    };
    assert!(
        hold(&db, "sweep", holder, 55).await.expect("renew"),
        "the holder renews"
    );
    assert!(
        !hold(&db, "sweep", other, 55).await.expect("ask"),
        "the other waits"
    );
    // Another job is free.
    assert!(hold(&db, "other-job", other, 55).await.expect("other job"));
    // The holder stops renewing: once the lease has run out, the other takes it.
    assert!(hold(&db, "sweep", holder, 1).await.expect("short renew"));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(hold(&db, "sweep", other, 55).await.expect("take over"));
    assert!(!hold(&db, "sweep", holder, 55).await.expect("ask again"));
}

/// The integers one statement returns (it must run).
async fn int_values(db: &db::Db, sql: &str) -> Vec<i64> {
    db.query(sql)
        .await
        .expect("query")
        .check()
        .expect("ran")
        .take(0)
        .expect("values")
}

/// The patched engine (patches/surrealdb-datastore-*) compiles a table's field definitions
/// once per process: a definition changed afterwards must still apply at the next query, in
/// reads (a computed field) as in writes (a VALUE clause).
#[tokio::test]
async fn a_changed_field_definition_applies_at_the_next_query() {
    let db = crate::common::fresh_db().await;
    let run = |sql: &'static str| int_values(&db, sql);
    db.query(
        "DEFINE TABLE shared_fields SCHEMAFULL;
         DEFINE FIELD n ON shared_fields TYPE int;
         DEFINE FIELD twice ON shared_fields COMPUTED n * 2;
         DEFINE FIELD stamped ON shared_fields TYPE int VALUE n + 1;
         CREATE shared_fields:a SET n = 5;",
    )
    .await
    .expect("define")
    .check()
    .expect("defined");
    // Read twice, so that the definitions are compiled and shared.
    for _ in 0..2 {
        assert_eq!(run("SELECT VALUE twice FROM shared_fields").await, vec![10]);
    }
    db.query(
        "DEFINE FIELD OVERWRITE twice ON shared_fields COMPUTED n * 3;
         DEFINE FIELD OVERWRITE stamped ON shared_fields TYPE int VALUE n + 100;",
    )
    .await
    .expect("redefine")
    .check()
    .expect("redefined");
    assert_eq!(run("SELECT VALUE twice FROM shared_fields").await, vec![15]);
    assert_eq!(
        run("UPDATE shared_fields:a SET n = 7 RETURN VALUE stamped").await,
        vec![107]
    );
    assert_eq!(run("SELECT VALUE twice FROM shared_fields").await, vec![21]);
}

/// The patched engine also compiles a table's events, indexes and LIVE queries once per process:
/// each changed, added or removed afterwards must apply at the next write.
#[tokio::test]
async fn changed_events_indexes_and_live_queries_apply_at_the_next_write() {
    use futures::StreamExt;
    let db = crate::common::fresh_db().await;
    let run = |sql: &'static str| {
        let db = db.clone();
        async move {
            db.query(sql)
                .await
                .expect("query")
                .check()
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    };
    let logged = || int_values(&db, "SELECT VALUE v FROM shared_log ORDER BY v");
    run("DEFINE TABLE shared_events SCHEMALESS;
         DEFINE TABLE shared_log SCHEMALESS;
         DEFINE EVENT logged ON shared_events WHEN $event = 'CREATE' THEN (CREATE shared_log SET v = $after.n * 2);")
    .await;
    // Written twice, so that the definitions are compiled and shared.
    run("CREATE shared_events:a SET n = 1, email = 'a'").await;
    run("CREATE shared_events:b SET n = 2, email = 'b'").await;
    assert_eq!(logged().await, vec![2, 4]);

    // A changed event.
    run("DEFINE EVENT OVERWRITE logged ON shared_events WHEN $event = 'CREATE' THEN (CREATE shared_log SET v = $after.n * 100);").await;
    run("CREATE shared_events:c SET n = 3, email = 'c'").await;
    assert_eq!(logged().await, vec![2, 4, 300]);

    // An added unique index refuses a second record with its value; removed, it refuses nothing.
    run("DEFINE INDEX shared_email ON shared_events FIELDS email UNIQUE").await;
    let refused = db
        .query("CREATE shared_events:d SET n = 4, email = 'a'")
        .await
        .expect("query")
        .check();
    assert!(refused.is_err(), "the new unique index was not applied");
    run("REMOVE INDEX shared_email ON shared_events").await;
    run("CREATE shared_events:d SET n = 4, email = 'a'").await;

    // A LIVE query started after the table's were compiled (none then) hears the next write.
    let mut res = db.query("LIVE SELECT * FROM shared_events").await.expect("live");
    let mut stream = res
        .stream::<surrealdb::Notification<surrealdb::types::Value>>(0)
        .expect("stream");
    run("UPDATE shared_events:a SET n = 10").await;
    let heard = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("no notification within 5 s")
        .expect("stream ended")
        .expect("notification");
    assert_eq!(heard.action, surrealdb::types::Action::Update);
}
