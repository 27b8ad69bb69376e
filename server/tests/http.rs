//! The real application, driven over HTTP through its server functions, on a fresh `mem://`
//! database per test.
use app::core::accounts;
use app::core::db::{self, Tx};
use app::core::domain::{DefaultRole, Password};
use app::core::services::Services;
use app::identity::service::hash_password;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use server::config::Config;
use tower::ServiceExt;

struct TestApp {
    router: Router,
    services: Services,
}

struct Reply {
    status: StatusCode,
    cookie: Option<String>,
    body: String,
}

fn encode(form: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[path = "http/bad_input.rs"]
mod bad_input;
#[path = "http/isolation.rs"]
mod isolation;
#[path = "http/perimeter.rs"]
mod perimeter;
#[path = "http/rest.rs"]
mod rest;

impl TestApp {
    async fn new() -> Self {
        Self::with_args(&["--dev", "--login-burst", "1000"]).await
    }

    /// A server on a fresh `mem://` database with these settings.
    async fn with_args(args: &[&str]) -> Self {
        let config = Config::parse_from(
            ["steward", "--database-url", "mem://"]
                .iter()
                .chain(args.iter())
                .copied(),
        );
        let services = server::start_services(&config).await.expect("services start");
        let router = server::router(&config, services.clone()).expect("router");
        Self { router, services }
    }

    async fn call(&self, fn_name: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.call_from([127, 0, 0, 1], &[], fn_name, form, cookie).await
    }

    /// `call`, from the address `peer` and with these extra headers.
    async fn call_from(
        &self,
        peer: [u8; 4],
        headers: &[(&str, &str)],
        fn_name: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Reply {
        let mut req = Request::post(format!("/api/{fn_name}"))
            .header(header::HOST, "localhost:3000")
            .header(header::ORIGIN, "http://localhost:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let body = encode(form);
        // As a browser sends it (the body limit refuses a long body by its length).
        let req = req.header(header::CONTENT_LENGTH, body.len());
        let mut req = req.body(Body::from(body)).expect("request");
        // What axum's connect-info service gives the rate limiter in production.
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let cookie = res
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            cookie,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn sign_up(&self, email: &str) -> String {
        let r = self
            .call(
                "sign_up",
                &[
                    ("first_name", "Ann"),
                    ("last_name", "Owner"),
                    ("email", email),
                    ("password", "correct horse battery"),
                    ("account_name", "Acme"),
                ],
                None,
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "sign up failed: {} {}",
            r.status,
            r.body
        );
        let link = self
            .sign_up_link(&email.to_lowercase())
            .await
            .expect("a sign-up link");
        let r = self.call("confirm_sign_up", &[("token", &link)], None).await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "confirming the sign-up failed: {} {}",
            r.status,
            r.body
        );
        r.cookie.expect("session cookie after the sign-up link")
    }

    /// The token of the newest sign-up link emailed to `email`.
    async fn sign_up_link(&self, email: &str) -> Option<String> {
        let links: Vec<String> = self
            .services
            .db
            .query(
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

    /// Adds a team user with a default role to the account of `admin_email`, and logs them in.
    async fn team_user(&self, admin_email: &str, email: &str, role: DefaultRole) -> String {
        let account_key = {
            let login = accounts::find_login(&self.services.db, admin_email)
                .await
                .expect("db")
                .expect("admin");
            accounts::home_account(&self.services.db, &login.id)
                .await
                .expect("db")
                .expect("home")
        };
        let hash = hash_password(&Password::parse_new("another good secret", email).expect("pw"))
            .await
            .expect("hash");
        let mut tx = Tx::new();
        accounts::add_team_user(
            &mut tx,
            accounts::NewTeamUser {
                role_key: accounts::default_role_key(&account_key, role),
                account_key,
                user_key: db::new_key(),
                email: email.into(),
                first_name: "Team".into(),
                last_name: role.name().into(),
                password_hash: hash,
            },
        );
        tx.commit(&self.services.db).await.expect("team user");
        let r = self
            .call(
                "log_in",
                &[("email", email), ("password", "another good secret")],
                None,
            )
            .await;
        r.cookie.expect("session cookie after log in")
    }
}

#[tokio::test]
async fn sign_up_log_out_log_in() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("Ann@Example.com").await;
    let me = app.call("current_user", &[], Some(&cookie)).await;
    assert!(me.body.contains("\"email\":\"ann@example.com\""), "{}", me.body);
    assert!(me.body.contains("\"role_name\":\"Admin\""), "{}", me.body);
    assert!(me.body.contains("\"is_primary_admin\":true"), "{}", me.body);

    let out = app.call("log_out", &[], Some(&cookie)).await;
    assert!(
        out.cookie.as_deref().is_some_and(|c| c.ends_with('=')),
        "cookie cleared"
    );
    let me = app.call("current_user", &[], Some(&cookie)).await;
    assert_eq!(me.body, "null", "the old cookie no longer opens a session");

    let wrong = app
        .call(
            "log_in",
            &[("email", "ann@example.com"), ("password", "not the password")],
            None,
        )
        .await;
    assert!(wrong.body.contains("Wrong email or password."), "{}", wrong.body);
    assert!(wrong.cookie.is_none());
    let unknown = app
        .call(
            "log_in",
            &[("email", "nobody@example.com"), ("password", "not the password")],
            None,
        )
        .await;
    assert_eq!(
        unknown.body, wrong.body,
        "unknown email and wrong password read the same"
    );

    let ok = app
        .call(
            "log_in",
            &[
                ("email", "ANN@example.com"),
                ("password", "correct horse battery"),
            ],
            None,
        )
        .await;
    let cookie = ok.cookie.expect("new session");
    let me = app.call("current_user", &[], Some(&cookie)).await;
    assert!(me.body.contains("ann@example.com"));
}

#[tokio::test]
async fn sign_up_refuses_bad_input_and_answers_a_taken_email_as_a_free_one() {
    let app = TestApp::new().await;
    let r = app
        .call(
            "sign_up",
            &[
                ("first_name", ""),
                ("last_name", "X"),
                ("email", "nope"),
                ("password", "short"),
                ("account_name", "A"),
            ],
            None,
        )
        .await;
    assert!(r.cookie.is_none());
    for field in ["first_name", "email", "password", "account_name"] {
        assert!(
            r.body.contains(&format!("\"field\":\"{field}\"")),
            "{field} error missing: {}",
            r.body
        );
    }
    app.sign_up("ann@example.com").await;
    let again = app
        .call(
            "sign_up",
            &[
                ("first_name", "Ann"),
                ("last_name", "Two"),
                ("email", "ANN@example.com"),
                ("password", "correct horse battery"),
                ("account_name", "Other"),
            ],
            None,
        )
        .await;
    // The answer of any sign-up: a redirect to "check your email", no session, and no link for
    // the taken email (its owner is emailed instead).
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(!again.body.contains("already"), "{}", again.body);
    assert!(!again
        .cookie
        .as_deref()
        .is_some_and(|c| c.starts_with("steward_session=")));
    let fresh = app
        .call(
            "sign_up",
            &[
                ("first_name", "Bo"),
                ("last_name", "Two"),
                ("email", "bo@example.com"),
                ("password", "correct horse battery"),
                ("account_name", "Other"),
            ],
            None,
        )
        .await;
    assert_eq!(
        (fresh.status, fresh.body.as_str()),
        (again.status, again.body.as_str())
    );
    assert!(!fresh
        .cookie
        .as_deref()
        .is_some_and(|c| c.starts_with("steward_session=")));
    assert!(app.sign_up_link("bo@example.com").await.is_some());
    let subjects: Vec<String> = app
        .services
        .db
        .query("SELECT VALUE subject FROM outbox WHERE to = 'ann@example.com' ORDER BY created_at")
        .await
        .expect("outbox")
        .take(0)
        .expect("subjects");
    assert_eq!(
        subjects.last().map(String::as_str),
        Some("Someone tried to sign up with your email")
    );
}

#[tokio::test]
async fn server_functions_refuse_anonymous_and_cross_site_calls() {
    let app = TestApp::new().await;
    let r = app.call("list_contacts", &[], None).await;
    assert!(r.body.contains("Unauthenticated"), "{}", r.body);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "not a fault of ours");
    let cookie = app.sign_up("ann@example.com").await;
    let req = Request::post("/api/save_contact")
        .header(header::HOST, "localhost:3000")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(encode(&[
            ("id", ""),
            ("first_name", "X"),
            ("last_name", ""),
            ("email", ""),
            ("phone", ""),
            ("tags", ""),
        ])))
        .expect("request");
    let res = app.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let form = |site: &str, origin: &str, first_name: &str| {
        Request::post("/api/save_contact")
            .header(header::HOST, "localhost:3000")
            .header("sec-fetch-site", site)
            .header(header::ORIGIN, origin)
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(encode(&[
                ("id", ""),
                ("first_name", first_name),
                ("last_name", ""),
                ("email", ""),
                ("phone", ""),
                ("tags", ""),
            ])))
            .expect("request")
    };
    // The browser says another site sent it: refused, whatever Origin claims.
    let res = app
        .router
        .clone()
        .oneshot(form("cross-site", "http://localhost:3000", "Forged"))
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let list = app.call("list_contacts", &[], Some(&cookie)).await;
    assert!(
        list.body.contains("\"contacts\":[]"),
        "nothing was created: {}",
        list.body
    );
    // Our own form under `Referrer-Policy: no-referrer`: the browser sends `Origin: null` but
    // says same-origin.
    let res = app
        .router
        .clone()
        .oneshot(form("same-origin", "null", "Ours"))
        .await
        .expect("response");
    assert!(res.status().is_success(), "{}", res.status());
    let list = app.call("list_contacts", &[], Some(&cookie)).await;
    assert!(list.body.contains("Ours"), "{}", list.body);
}

/// The executable form of roles.md for Contacts: what each default role may do.
#[tokio::test]
async fn contacts_follow_the_default_roles() {
    let app = TestApp::new().await;
    let admin = app.sign_up("owner@example.com").await;
    let created = app
        .call(
            "save_contact",
            &[
                ("id", ""),
                ("first_name", "Carl"),
                ("last_name", "Client"),
                ("email", "carl@example.com"),
                ("phone", "123"),
                ("tags", "vip, lead"),
            ],
            Some(&admin),
        )
        .await;
    assert!(created.status.is_success(), "{} {}", created.status, created.body);

    // (role, sees contacts, may create, may delete)
    let table = [
        (DefaultRole::Admin, true, true, true),
        (DefaultRole::Manager, true, true, true),
        (DefaultRole::Builder, true, true, false),
        (DefaultRole::Designer, false, false, false),
    ];
    for (role, sees, creates, deletes) in table {
        let email = format!("{}@example.com", role.key());
        let cookie = app.team_user("owner@example.com", &email, role).await;
        let list = app.call("list_contacts", &[], Some(&cookie)).await;
        assert_eq!(
            list.body.contains("carl@example.com"),
            sees,
            "{role:?} list: {}",
            list.body
        );

        let name = format!("By {}", role.key());
        let create = app
            .call(
                "save_contact",
                &[
                    ("id", ""),
                    ("first_name", &name),
                    ("last_name", ""),
                    ("email", ""),
                    ("phone", ""),
                    ("tags", ""),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(
            !create.body.contains("Forbidden"),
            creates,
            "{role:?} create: {}",
            create.body
        );

        let admin_list = app.call("list_contacts", &[], Some(&admin)).await;
        assert_eq!(
            admin_list.body.contains(&name),
            creates,
            "{role:?}: the create took effect only if allowed"
        );
        let id = admin_list
            .body
            .split("\"id\":\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a contact id")
            .to_string();
        let delete = app.call("delete_contact", &[("id", &id)], Some(&cookie)).await;
        assert_eq!(
            !delete.body.contains("Forbidden"),
            deletes,
            "{role:?} delete: {}",
            delete.body
        );
        let after = app.call("list_contacts", &[], Some(&admin)).await;
        assert_eq!(
            !after.body.contains(&format!("\"id\":\"{id}\"")),
            deletes,
            "{role:?}: delete took effect only if allowed"
        );
    }
}

#[tokio::test]
async fn an_account_never_sees_another_accounts_contacts() {
    let app = TestApp::new().await;
    let ann = app.sign_up("ann@example.com").await;
    let bob = app.sign_up("bob@example.com").await;
    app.call(
        "save_contact",
        &[
            ("id", ""),
            ("first_name", "Secret"),
            ("last_name", "Client"),
            ("email", ""),
            ("phone", ""),
            ("tags", ""),
        ],
        Some(&ann),
    )
    .await;
    let ann_list = app.call("list_contacts", &[], Some(&ann)).await;
    let id = ann_list
        .body
        .split("\"id\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("id")
        .to_string();

    let bob_list = app.call("list_contacts", &[], Some(&bob)).await;
    assert!(!bob_list.body.contains("Secret"));
    let edit = app
        .call(
            "save_contact",
            &[
                ("id", &id),
                ("first_name", "Hacked"),
                ("last_name", ""),
                ("email", ""),
                ("phone", ""),
                ("tags", ""),
            ],
            Some(&bob),
        )
        .await;
    assert!(edit.body.contains("NotFound"), "{}", edit.body);
    let delete = app.call("delete_contact", &[("id", &id)], Some(&bob)).await;
    assert!(delete.body.contains("NotFound"), "{}", delete.body);
    let ann_list = app.call("list_contacts", &[], Some(&ann)).await;
    assert!(ann_list.body.contains("Secret") && !ann_list.body.contains("Hacked"));
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let app = TestApp::new().await;
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/login")
                .header(header::HOST, "localhost:3000")
                .body(Body::empty())
                .expect("req"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let html =
        String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
    // The label's text may be followed by a hydration marker (`<!>`), which is not part of its name.
    assert!(html.contains("<label for=\"field-email\">Email<"), "{html}");
    assert!(html.contains("Log in"));

    // Signed-in pages send an anonymous visitor to the log in page.
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/contacts")
                .header(header::HOST, "localhost:3000")
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .expect("req"),
        )
        .await
        .expect("response");
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(
        res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()),
        Some("/login")
    );
}

impl TestApp {
    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path).header(header::HOST, "localhost:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let mut req = req.body(Body::empty()).expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            cookie: None,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

#[tokio::test]
async fn contacts_go_out_and_come_in_as_csv() {
    let app = TestApp::new().await;
    let admin = app.sign_up("ann@acme.com").await;
    let r = app
        .call(
            "create_custom_field",
            &[("field_name", "Shoe size"), ("kind", "number")],
            Some(&admin),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let fields: serde_json::Value =
        serde_json::from_str(&app.call("list_contacts", &[], Some(&admin)).await.body).expect("json");
    let field_id = fields["fields"][0]["id"].as_str().expect("field id").to_string();
    // The contact form names custom field values `values[f_<id>]`.
    let key = format!("values[f_{field_id}]");
    let r = app
        .call(
            "save_contact",
            &[
                ("id", ""),
                ("first_name", "Cara"),
                ("last_name", "Csv"),
                ("email", "cara@x.com"),
                ("phone", ""),
                ("tags", "vip, runner"),
                (&key, "41"),
            ],
            Some(&admin),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);

    let csv = app.get("/contacts.csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.body.lines().next(),
        Some("First name,Last name,Email,Phone,Tags,Shoe size")
    );
    assert!(
        csv.body.contains("Cara,Csv,cara@x.com,,\"vip, runner\",41"),
        "{}",
        csv.body
    );
    assert_eq!(
        app.get("/contacts.csv", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let builder = app
        .team_user("ann@acme.com", "bob@acme.com", DefaultRole::Builder)
        .await;
    assert_eq!(
        app.get("/contacts.csv", Some(&builder)).await.status,
        StatusCode::FORBIDDEN
    );

    // A bad row refuses the whole file; a good file comes in whole.
    let bad = "First name,Last name,Email,Shoe size\nDan,Ok,dan@x.com,40\nEve,Bad,not-an-email,39\n";
    let r = app.call("import_contacts", &[("csv", bad)], Some(&admin)).await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
    assert!(r.body.contains("Row 3"), "{}", r.body);
    let r = app
        .call(
            "import_contacts",
            &[("csv", "First name,Colour\nX,red\n")],
            Some(&admin),
        )
        .await;
    assert!(r.body.contains("Unknown column"), "{}", r.body);
    let good =
        "First name,Last name,Email,Tags,Shoe size\nDan,Ok,dan@x.com,new tag,40\nEve,Fine,eve@x.com,,39\n";
    let r = app.call("import_contacts", &[("csv", good)], Some(&admin)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(r.body.contains("\"created\":2"), "{}", r.body);
    let csv = app.get("/contacts.csv", Some(&admin)).await;
    assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
    assert!(csv.body.contains("Dan,Ok,dan@x.com,,new tag,40"), "{}", csv.body);
    let r = app
        .call("import_contacts", &[("csv", good)], Some(&builder))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn a_user_action_is_one_of_its_words_and_anything_else_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.sign_up("ann@acme.com").await;
    let team = app
        .team_user("ann@acme.com", "bo@acme.com", DefaultRole::Builder)
        .await;
    let bo = accounts::find_login(&app.services.db, "bo@acme.com")
        .await
        .expect("db")
        .expect("bo")
        .id;

    let unknown = app
        .call("user_action", &[("id", &bo), ("action", "fly")], Some(&admin))
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
    let me = app.call("current_user", &[], Some(&team)).await;
    assert!(me.body.contains("bo@acme.com"), "still logged in: {}", me.body);

    let logout = app
        .call(
            "user_action",
            &[("id", &bo), ("action", "force_logout")],
            Some(&admin),
        )
        .await;
    assert_eq!(logout.status, StatusCode::OK, "{}", logout.body);
    let me = app.call("current_user", &[], Some(&team)).await;
    assert_eq!(me.body, "null", "force logout ended the session");
}

#[tokio::test]
async fn the_audit_log_exports_csv_with_its_filters_and_verify_names_a_changed_entry() {
    let app = TestApp::new().await;
    let ann = app.sign_up("ann@acme.com").await;
    let builder = app
        .team_user("ann@acme.com", "bo@acme.com", DefaultRole::Builder)
        .await;
    let saved = app
        .call(
            "save_contact",
            &[
                ("id", ""),
                ("first_name", "Audrey"),
                ("last_name", "Audited"),
                ("email", ""),
                ("phone", ""),
                ("tags", ""),
            ],
            Some(&ann),
        )
        .await;
    assert!(saved.status.is_success(), "{} {}", saved.status, saved.body);

    let csv = app.get("/audit-log.csv?action=contact.created", Some(&ann)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(lines[0].starts_with("When (UTC),Who"), "{}", csv.body);
    assert!(
        lines[1].contains("contact.created") && lines[1].contains("Audrey"),
        "{}",
        csv.body
    );
    let bad = app.get("/audit-log.csv?from=23.11.2026", Some(&ann)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body, "Enter a date as YYYY-MM-DD.");
    assert_eq!(
        app.get("/audit-log.csv", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/audit-log.csv", Some(&builder)).await.status,
        StatusCode::FORBIDDEN
    );

    // The page renders on the server with its filters and the export link.
    let page = app.get("/audit-log?action=contact.created", Some(&ann)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"audit-action\""), "{}", page.body);
    assert!(
        page.body.contains("/audit-log.csv?action=contact.created"),
        "{}",
        page.body
    );

    // `steward audit verify`: intact, then an entry changed behind Steward's back is named.
    app::audit::chain::seal_all(&app.services).await.expect("seal");
    let (text, intact) = server::audit_report(&app.services).await.expect("report");
    assert!(intact, "{text}");
    assert!(text.contains("every chain is intact"), "{text}");
    let changed: Option<String> = app
        .services
        .db
        .query(
            "UPDATE audit SET detail = 'Nothing to see' WHERE action = 'contact.created' RETURN VALUE record::id(id)",
        )
        .await
        .expect("tamper")
        .take::<Vec<String>>(0)
        .expect("ids")
        .pop();
    let changed = changed.expect("an entry changed");
    let (text, intact) = server::audit_report(&app.services).await.expect("report");
    assert!(!intact);
    assert!(
        text.contains(&format!("(audit:{changed}): changed after it was written")),
        "{text}"
    );
}

#[test]
fn steward_audit_verify_runs_from_the_command_line() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["audit", "verify"])
        .env("STEWARD_DATABASE_URL", "mem://")
        .env("STEWARD_LOG", "warn")
        .output()
        .expect("run steward");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("0 entries checked") && stdout.contains("every chain is intact"),
        "{stdout}"
    );
}

/// Issue 13: `/live` is a session's channel of server-sent events; without a session it is
/// refused, and when the server stops, every open channel ends (a graceful shutdown doesn't wait
/// for open pages).
#[tokio::test]
async fn the_live_channel_needs_a_session_and_ends_when_the_server_stops() {
    let app = TestApp::new().await;
    let get = |cookie: Option<&str>| {
        let mut req = Request::get("/live").header(header::HOST, "localhost:3000");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        app.router
            .clone()
            .oneshot(req.body(Body::empty()).expect("request"))
    };
    let anonymous = get(None).await.expect("response");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let stale = get(Some("steward_session=not-a-session"))
        .await
        .expect("response");
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);

    let cookie = app.sign_up("ann@example.com").await;
    let open = get(Some(&cookie)).await.expect("response");
    assert_eq!(open.status(), StatusCode::OK);
    assert_eq!(
        open.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    assert_eq!(
        open.headers()
            .get("x-accel-buffering")
            .and_then(|v| v.to_str().ok()),
        Some("no"),
        "a proxy passes it on unbuffered"
    );
    app.services.live.close();
    let body = tokio::time::timeout(std::time::Duration::from_secs(5), open.into_body().collect())
        .await
        .expect("the channel ends when the server stops")
        .expect("body");
    assert!(
        !String::from_utf8_lossy(&body.to_bytes()).contains("event: ended"),
        "a stopping server is not a logged-out session"
    );
}

/// `/healthz` says whether the database answers, for a load balancer; it needs no session.
#[tokio::test]
async fn healthz_answers_ok_while_the_database_answers() {
    let app = TestApp::new().await;
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/healthz")
                .header(header::HOST, "localhost:3000")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let body = axum::body::to_bytes(res.into_body(), 1024).await.expect("body");
    assert_eq!(&body[..], b"ok\n");
}

/// `/metrics` (with `STEWARD_METRICS`): requests by route and status, their latency, the outbox
/// queue and the open live channels; without the setting it is not there.
#[tokio::test]
async fn metrics_count_requests_by_route_and_read_the_outbox_and_channels() {
    let get = |app: &TestApp, path: &'static str| {
        app.router.clone().oneshot(
            Request::get(path)
                .header(header::HOST, "localhost:3000")
                .body(Body::empty())
                .expect("request"),
        )
    };
    let off = TestApp::new().await;
    assert_eq!(
        get(&off, "/metrics").await.expect("response").status(),
        StatusCode::NOT_FOUND
    );

    let app = TestApp::with_args(&["--dev", "--login-burst", "1000", "--metrics"]).await;
    // A sign-up (its link waits in the outbox: no SMTP here), a page, an unknown address.
    let _cookie = app.sign_up("ann@example.com").await;
    get(&app, "/login").await.expect("response");
    get(&app, "/no-such-page/123").await.expect("response");
    let res = get(&app, "/metrics").await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let text = String::from_utf8(
        axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body")
            .to_vec(),
    )
    .expect("utf-8");
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start} in:\n{text}"))
            .to_string()
    };
    assert!(
        line("steward_http_requests_total{method=\"POST\",route=\"/api/sign_up\",status=").ends_with(" 1")
    );
    assert!(
        line("steward_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}").ends_with(" 1")
    );
    assert!(
        line("steward_http_requests_total{method=\"GET\",route=\"other\",status=\"404\"}").ends_with(" 1")
    );
    assert!(line("steward_http_request_duration_seconds_count{route=\"/login\"}").ends_with(" 1"));
    // Sign-up link and welcome email wait: no SMTP in tests.
    let pending: i64 = line("steward_outbox_pending ")
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number");
    assert!(pending >= 1, "{pending}");
    assert_eq!(line("steward_live_channels "), "steward_live_channels 0");
}
