//! Two Steward processes on two ports share one SurrealDB server (issue 16), driven over HTTP as
//! browsers would: a session made on one works on the other, a force logout or a revoke on one
//! takes effect on the other at the next request and on its open live channels, a change made
//! through one reaches a live page on the other, and one email signed up on both at once makes one
//! user.
//!
//! It needs a SurrealDB server, so it is ignored by a plain `cargo test`; the test command's SurrealDB
//! pass runs it (`--include-ignored`) with `STEWARD_TEST_DATABASE_URL` naming that server.
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::core::accounts;
use app::core::db::{AuthLevel, Connection, Credentials, Db};
use app::core::domain::DefaultRole;
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use reqwest::StatusCode;

const PASSWORD: &str = "correct horse battery";

/// A `steward` process, stopped when dropped.
struct Steward {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Drop for Steward {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Kept when the test failed, for its panic message to point at.
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

struct Reply {
    status: StatusCode,
    cookie: Option<String>,
    body: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn credentials() -> (String, String) {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "root".to_string());
    (
        var("STEWARD_TEST_DATABASE_USER"),
        var("STEWARD_TEST_DATABASE_PASS"),
    )
}

/// Starts the server binary on a free port, on `database` of the SurrealDB server at `url`.
fn spawn(url: &str, database: &str, name: &str) -> Steward {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = std::env::temp_dir().join(format!("steward-{database}-{name}.log"));
    let (user, pass) = credentials();
    let child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .env("STEWARD_ADDR", format!("127.0.0.1:{port}"))
        .env("STEWARD_BASE_URL", &base)
        .env("STEWARD_DATABASE_URL", url)
        .env("STEWARD_DATABASE_NS", "steward_tests")
        .env("STEWARD_DATABASE_DB", database)
        .env("STEWARD_DATABASE_USER", user)
        .env("STEWARD_DATABASE_PASS", pass)
        .env("STEWARD_DEV", "true")
        .env("STEWARD_LOGIN_BURST", "1000")
        .env("STEWARD_LOG", "warn")
        // Emails stay in the outbox, where the test reads the links.
        .env_remove("STEWARD_SMTP_URL")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start steward");
    Steward { child, base, log }
}

impl Steward {
    /// Waits until `/healthz` says the database answers.
    async fn ready(&mut self, http: &reqwest::Client) {
        for _ in 0..600 {
            if let Ok(r) = http.get(format!("{}/healthz", self.base)).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                panic!("steward at {} exited ({status}):\n{log}", self.base);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("steward at {} did not answer /healthz in 60 s", self.base);
    }

    /// A server function, as the browser's form posts it.
    async fn call(
        &self,
        http: &reqwest::Client,
        function: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        let mut req = http
            .post(format!("{}/api/{function}", self.base))
            .header(ORIGIN, &self.base)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(form);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        let res = req.send().await.expect("the server answers");
        let status = res.status();
        let cookie = res
            .headers()
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let body = res.text().await.expect("body");
        Reply { status, cookie, body }
    }

    async fn ok(
        &self,
        http: &reqwest::Client,
        function: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        let r = self.call(http, function, form, cookie).await;
        assert!(
            r.status.is_success(),
            "{function} on {}: {} {}",
            self.base,
            r.status,
            r.body
        );
        r
    }

    /// Who the cookie stands for here: `None` when it opens no session.
    async fn me(&self, http: &reqwest::Client, cookie: &str) -> Option<serde_json::Value> {
        let r = self.ok(http, "current_user", &[], Some(cookie)).await;
        let me: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        (!me.is_null()).then_some(me)
    }

    /// The live channel of a page of the cookie's session.
    async fn live(&self, http: &reqwest::Client, cookie: &str) -> Live {
        let res = http
            .get(format!("{}/live", self.base))
            .header(COOKIE, cookie)
            .send()
            .await
            .expect("live channel");
        assert_eq!(res.status(), StatusCode::OK, "the live channel opens");
        Live {
            res,
            seen: String::new(),
        }
    }
}

/// An open live channel and what it has said so far.
struct Live {
    res: reqwest::Response,
    seen: String,
}

impl Live {
    /// Reads until the channel says `event: name`, and forgets what it said up to there; panics
    /// after 15 s.
    async fn hears(&mut self, name: &str) {
        let wanted = format!("event: {name}\n");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(at) = self.seen.find(&wanted) {
                self.seen.drain(..at + wanted.len());
                return;
            }
            let chunk = tokio::time::timeout_at(deadline, self.res.chunk())
                .await
                .unwrap_or_else(|_| panic!("no `{name}` in 15 s; heard: {:?}", self.seen))
                .expect("the stream");
            match chunk {
                Some(bytes) => self.seen.push_str(&String::from_utf8_lossy(&bytes)),
                None => panic!("the channel closed before `{name}`; heard: {:?}", self.seen),
            }
        }
    }
}

async fn sign_up(
    db: &Db,
    http: &reqwest::Client,
    on: &Steward,
    confirm_on: &Steward,
    email: &str,
    account: &str,
) -> Reply {
    on.ok(
        http,
        "sign_up",
        &[
            ("first_name", "Pat"),
            ("last_name", "Person"),
            ("email", email),
            ("password", PASSWORD),
            ("account_name", account),
        ],
        None,
    )
    .await;
    let link = newest_link(db, email, "/signup/confirm/").await;
    confirm_on
        .call(http, "confirm_sign_up", &[("token", &link)], None)
        .await
}

/// The token at the end of the newest link emailed to `to` whose address contains `part`.
async fn newest_link(db: &Db, to: &str, part: &str) -> String {
    let links: Vec<String> = db
        .query(
            "SELECT VALUE link FROM outbox WHERE to = $to AND link != NONE
             AND string::contains(link, $part) ORDER BY created_at DESC",
        )
        .bind(("to", to.to_string()))
        .bind(("part", part.to_string()))
        .await
        .expect("outbox")
        .take(0)
        .expect("links");
    let link = links.first().unwrap_or_else(|| panic!("a {part} link to {to}"));
    link.rsplit('/').next().expect("token").to_string()
}

async fn home_account(db: &Db, email: &str) -> String {
    let login = accounts::find_login(db, email).await.expect("db").expect("user");
    accounts::home_account(db, &login.id)
        .await
        .expect("db")
        .expect("home")
}

async fn count(db: &Db, query: &str) -> i64 {
    let n: Option<i64> = db.query(query).await.expect("q").take(0).expect("count");
    n.unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a SurrealDB server: the test command's SurrealDB pass runs it"]
async fn two_steward_processes_share_one_surrealdb_server() {
    let url = std::env::var("STEWARD_TEST_DATABASE_URL")
        .expect("STEWARD_TEST_DATABASE_URL names a SurrealDB server (ws://)");
    let database = format!("p{}", app::core::db::new_key());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    // Both start at once on a new database: one applies the migrations, the other sees them.
    let mut one = spawn(&url, &database, "one");
    let mut two = spawn(&url, &database, "two");
    one.ready(&http).await;
    two.ready(&http).await;
    let (user, pass) = credentials();
    let db = app::connect_to(&Connection {
        url: url.clone(),
        namespace: "steward_tests".into(),
        database: database.clone(),
        credentials: Some(Credentials {
            user,
            pass,
            level: AuthLevel::Root,
        }),
    })
    .await
    .expect("the test's own connection");

    // A session made on one works on the other.
    let ann = sign_up(&db, &http, &one, &two, "ann@client.com", "Client Co").await;
    assert!(ann.status.is_success(), "{} {}", ann.status, ann.body);
    let ann = ann.cookie.expect("a session cookie from two");
    let me = one.me(&http, &ann).await.expect("two's session opens on one");
    assert_eq!(me["email"], "ann@client.com");
    assert_eq!(me["account_name"], "Client Co");

    // One email signed up on both at once makes one user.
    for server in [&one, &two] {
        server
            .ok(
                &http,
                "sign_up",
                &[
                    ("first_name", "Sam"),
                    ("last_name", "Same"),
                    ("email", "sam@same.com"),
                    ("password", PASSWORD),
                    ("account_name", "Sam's"),
                ],
                None,
            )
            .await;
        // One sign-up email a minute goes to an address: Sam tries again a few minutes later.
        db.query("UPDATE sign_up SET created_at = time::now() - 5m")
            .await
            .expect("backdate")
            .check()
            .expect("backdated");
    }
    let links: Vec<String> = db
        .query(
            "SELECT VALUE link FROM outbox WHERE to = 'sam@same.com'
             AND string::contains(link, '/signup/confirm/')",
        )
        .await
        .expect("outbox")
        .take(0)
        .expect("links");
    assert_eq!(links.len(), 2, "two sign-up emails");
    let token = |l: &str| l.rsplit('/').next().expect("token").to_string();
    let (first, second) = (token(&links[0]), token(&links[1]));
    let (first, second) = ([("token", first.as_str())], [("token", second.as_str())]);
    let (a, b) = tokio::join!(
        one.call(&http, "confirm_sign_up", &first, None),
        two.call(&http, "confirm_sign_up", &second, None)
    );
    for r in [&a, &b] {
        assert!(!r.status.is_server_error(), "{} {}", r.status, r.body);
    }
    assert!(
        a.status.is_success() != b.status.is_success(),
        "one account, one refusal: {} {} / {} {}",
        a.status,
        a.body,
        b.status,
        b.body
    );
    assert_eq!(
        count(
            &db,
            "RETURN count(SELECT * FROM user WHERE email = 'sam@same.com')"
        )
        .await,
        1
    );

    // A force logout on one ends the session on two at its next request, and its open page.
    let client = home_account(&db, "ann@client.com").await;
    let builder = accounts::default_role_key(&client, DefaultRole::Builder).to_string();
    one.ok(
        &http,
        "save_user",
        &[
            ("id", ""),
            ("first_name", "Tim"),
            ("last_name", "Team"),
            ("email", "tim@client.com"),
            ("password", "another good secret"),
            ("role", &builder),
        ],
        Some(&ann),
    )
    .await;
    let tim = two
        .ok(
            &http,
            "log_in",
            &[("email", "tim@client.com"), ("password", "another good secret")],
            None,
        )
        .await
        .cookie
        .expect("tim's cookie");
    assert!(two.me(&http, &tim).await.is_some(), "tim is in on two");
    let mut tims_page = two.live(&http, &tim).await;
    let tim_id = accounts::find_login(&db, "tim@client.com")
        .await
        .expect("db")
        .expect("tim")
        .id;
    let r = one
        .ok(
            &http,
            "users_action",
            &[("ids[0]", &tim_id), ("action", "force_logout")],
            Some(&ann),
        )
        .await;
    assert!(r.body.contains("\"succeeded\":1"), "{}", r.body);
    assert!(two.me(&http, &tim).await.is_none(), "tim is out on two");
    tims_page.hears("ended").await;

    // An agency accepts on two; the owner's page on one follows.
    let pat = sign_up(&db, &http, &two, &two, "pat@agency.com", "Agency").await;
    let pat = pat.cookie.expect("pat's cookie");
    let agency = home_account(&db, "pat@agency.com").await;
    let mut anns_page = one.live(&http, &ann).await;
    one.ok(
        &http,
        "invite_account_manager",
        &[("email", "pat@agency.com"), ("role", &builder)],
        Some(&ann),
    )
    .await;
    anns_page.hears("grants").await;
    let grant: Option<String> = db
        .query("SELECT VALUE record::id(id) FROM ONLY grant WHERE manager_email = 'pat@agency.com' LIMIT 1")
        .await
        .expect("q")
        .take(0)
        .expect("grant");
    let grant = grant.expect("the invitation");
    two.ok(
        &http,
        "answer_my_invitation",
        &[("id", &grant), ("answer", "accept")],
        Some(&pat),
    )
    .await;
    anns_page.hears("grants").await;
    let list = one.ok(&http, "account_managers", &[], Some(&ann)).await;
    assert!(list.body.contains("\"Active\""), "{}", list.body);

    // A revoke on one takes pat, logged in to the client account on two, home at the next request.
    let r = two
        .ok(&http, "log_in_to_managed_account", &[("id", &grant)], Some(&pat))
        .await;
    let pat = r.cookie.unwrap_or(pat);
    let me = two.me(&http, &pat).await.expect("pat is in");
    assert_eq!(
        me["account_id"],
        client.as_str(),
        "pat acts in the client account"
    );
    let mut pats_page = two.live(&http, &pat).await;
    one.ok(
        &http,
        "change_account_manager",
        &[("id", &grant), ("action", "revoke")],
        Some(&ann),
    )
    .await;
    let me = two
        .me(&http, &pat)
        .await
        .expect("pat is still logged in, at home");
    assert_eq!(
        me["account_id"],
        agency.as_str(),
        "the revoke on one took pat home on two"
    );
    assert!(me["managing"].is_null(), "{me}");
    pats_page.hears("moved").await;
}
