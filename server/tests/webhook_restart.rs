//! Issue 17: a webhook delivery outlives the server that queued it. A `steward` process on an
//! embedded database on disk queues a delivery to a receiver that is down, tries it once, and
//! is killed; a new process on the same folder sends it when the receiver is up: once, signed
//! with the secret the endpoint was given.
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};

/// A `steward` process, killed when dropped.
struct Steward {
    child: Child,
    base: String,
    log: std::path::PathBuf,
    /// Cookies the server set, by name, as a browser keeps them.
    cookies: BTreeMap<String, String>,
}

impl Drop for Steward {
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

fn spawn(data: &std::path::Path, name: &str) -> Steward {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = data.with_file_name(format!("steward-{name}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .env("STEWARD_ADDR", format!("127.0.0.1:{port}"))
        .env("STEWARD_BASE_URL", &base)
        .env("STEWARD_DATABASE_URL", format!("surrealkv://{}", data.display()))
        .env("STEWARD_DEV", "true")
        .env("STEWARD_WEBHOOKS_ALLOW_PRIVATE", "true")
        .env("STEWARD_LOG", "warn,app::webhooks=info")
        .env_remove("STEWARD_SMTP_URL")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("start steward");
    Steward {
        child,
        base,
        log,
        cookies: BTreeMap::new(),
    }
}

impl Steward {
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

    /// A server function, as the browser's form posts it; the JSON answer.
    async fn ok(
        &mut self,
        http: &reqwest::Client,
        function: &str,
        form: &[(&str, &str)],
    ) -> serde_json::Value {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let res = http
            .post(format!("{}/api/{function}", self.base))
            .header(ORIGIN, &self.base)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(COOKIE, cookie.join("; "))
            .form(form)
            .send()
            .await
            .expect("the server answers");
        for set in res.headers().get_all(SET_COOKIE) {
            let pair = set
                .to_str()
                .expect("cookie")
                .split(';')
                .next()
                .unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                self.cookies.insert(k.trim().to_string(), v.to_string());
            }
        }
        let status = res.status();
        let body = res.text().await.expect("body");
        assert!(status.is_success(), "{function}: {status} {body}");
        if body.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queued_delivery_is_sent_once_by_the_next_server_after_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("steward.db");
    let http = reqwest::Client::new();
    let receiver_port = free_port();
    let hook = format!("http://127.0.0.1:{receiver_port}/hook");

    let mut first = spawn(&data, "first");
    first.ready(&http).await;
    first
        .ok(
            &http,
            "sign_up",
            &[
                ("first_name", "Olga"),
                ("last_name", "Owner"),
                ("email", "olga@client.com"),
                ("password", "correct horse battery"),
                ("account_name", "Client Co"),
            ],
        )
        .await;
    let mails = first.ok(&http, "mailbox", &[]).await;
    let link = mails
        .as_array()
        .expect("mails")
        .iter()
        .filter_map(|m| m["link"].as_str())
        .find(|l| l.contains("/signup/confirm/"))
        .expect("the sign-up link")
        .rsplit('/')
        .next()
        .expect("token")
        .to_string();
    first.ok(&http, "confirm_sign_up", &[("token", &link)]).await;
    let added = first
        .ok(
            &http,
            "add_webhook_endpoint",
            &[("url", &hook), ("events[user.added]", "on")],
        )
        .await;
    let secret = added["secret"].as_str().expect("the secret").to_string();
    let roles = first.ok(&http, "api_keys", &[]).await;
    let admin = roles["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "Admin")
        .and_then(|r| r["id"].as_str())
        .expect("Admin")
        .to_string();
    first
        .ok(
            &http,
            "save_user",
            &[
                ("first_name", "Una"),
                ("last_name", "User"),
                ("email", "una@client.com"),
                ("password", "una's own password"),
                ("role", &admin),
            ],
        )
        .await;

    // The first server tries once: nobody listens yet.
    let mut tried = false;
    for _ in 0..100 {
        let page = first.ok(&http, "webhooks", &[]).await;
        let delivery = &page["deliveries"][0];
        if delivery["attempts"].as_array().is_some_and(|a| !a.is_empty()) {
            assert_eq!(delivery["status"], "Pending");
            assert!(
                delivery["attempts"][0]["result"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("No answer")),
                "{delivery}"
            );
            tried = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(tried, "the first server tried the delivery");
    drop(first);

    // The receiver comes up, and a new server on the same folder takes the queue over.
    let got = Arc::new(Mutex::new(Vec::<(String, String, String, String)>::new()));
    let kept = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let kept = kept.clone();
            async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                kept.lock().expect("lock").push((
                    h("webhook-id"),
                    h("webhook-timestamp"),
                    h("webhook-signature"),
                    body,
                ));
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", receiver_port))
        .await
        .expect("the receiver's port");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let mut second = spawn(&data, "second");
    second.ready(&http).await;
    for _ in 0..300 {
        if !got.lock().expect("lock").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A moment more, to see that it comes once.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let got = got.lock().expect("lock").clone();
    assert_eq!(got.len(), 1, "delivered once after the restart");
    let (id, timestamp, signature, body) = &got[0];
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("base64");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("key");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    assert_eq!(
        signature,
        &format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        )
    );
    let event: serde_json::Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(event["type"], "user.added");
    assert_eq!(event["data"]["user"]["email"], "una@client.com");
    drop(second);
}
