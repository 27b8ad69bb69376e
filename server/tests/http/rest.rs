//! The JSON API under /api/v1 (issue 17), over HTTP: a key made on the API manager page reads
//! the agency's list page by page through cursors; every refusal is JSON with a code, the
//! status it documents, and never a 5xx.
use super::*;

struct JsonReply {
    status: StatusCode,
    authenticate: Option<String>,
    body: serde_json::Value,
}

async fn get(app: &TestApp, path: &str, key: Option<&str>) -> JsonReply {
    let mut req = Request::get(path).header(header::HOST, "localhost:3000");
    if let Some(key) = key {
        req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let mut req = req.body(Body::empty()).expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = app.router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let authenticate = res
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert_eq!(
        res.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{path}"
    );
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    JsonReply {
        status,
        authenticate,
        body,
    }
}

fn code(reply: &JsonReply) -> &str {
    reply.body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_reads_the_managed_accounts_by_cursor_and_refusals_are_json() {
    let app = TestApp::new().await;
    let pat = app.sign_up("pat@agency.com").await;
    for i in 0..30 {
        let r = app
            .call(
                "create_client_account",
                &[
                    ("name", &format!("Client {i:02}")),
                    ("level", "basic"),
                    ("cms_plan", "none"),
                    ("payer", "client"),
                    ("login_email", &format!("owner{i}@clients.com")),
                    ("data", "blank"),
                ],
                Some(&pat),
            )
            .await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
    }
    let roles = app.call("api_keys", &[], Some(&pat)).await;
    let roles: serde_json::Value = serde_json::from_str(&roles.body).expect("json");
    let admin = roles["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "Admin")
        .expect("Admin")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let made = app
        .call(
            "create_api_key",
            &[("name", "Sync"), ("role", &admin), ("expires", "30")],
            Some(&pat),
        )
        .await;
    assert!(made.status.is_success(), "{} {}", made.status, made.body);
    let made: serde_json::Value = serde_json::from_str(&made.body).expect("json");
    let key = made["key"].as_str().expect("the key, once").to_string();

    // No key, a wrong key: 401 with a code, and how to authenticate.
    let none = get(&app, "/api/v1/managed_accounts", None).await;
    assert_eq!(
        (none.status, code(&none)),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    assert_eq!(none.authenticate.as_deref(), Some("Bearer"));
    // The scheme in any case.
    let mut req = Request::get("/api/v1/managed_accounts")
        .header(header::AUTHORIZATION, format!("bearer {key}"))
        .body(Body::empty())
        .expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    assert_eq!(
        app.router.clone().oneshot(req).await.expect("response").status(),
        StatusCode::OK
    );
    let wrong = get(&app, "/api/v1/managed_accounts", Some("stw_not_a_key")).await;
    assert_eq!(
        (wrong.status, code(&wrong)),
        (StatusCode::UNAUTHORIZED, "invalid_api_key")
    );
    // A session cookie is not a key.
    let mut req = Request::get("/api/v1/managed_accounts")
        .header(header::COOKIE, &pat)
        .body(Body::empty())
        .expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = app.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Page by page through the cursors: every account once, in order.
    let mut names = Vec::new();
    let mut path = "/api/v1/managed_accounts?sort=name".to_string();
    let mut pages = 0;
    loop {
        let page = get(&app, &path, Some(&key)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.body["total"], 30);
        for row in page.body["data"].as_array().expect("data") {
            names.push(row["name"].as_str().expect("name").to_string());
        }
        pages += 1;
        let Some(next) = page.body["next_cursor"].as_str() else {
            break;
        };
        path = format!(
            "/api/v1/managed_accounts?sort=name&cursor={}",
            encode(&[("", next)]).trim_start_matches('=')
        );
    }
    assert_eq!(pages, 2);
    let expected: Vec<String> = (0..30).map(|i| format!("Client {i:02}")).collect();
    assert_eq!(names, expected);
    // A search's pages go by number, through the same cursor.
    let found = get(&app, "/api/v1/managed_accounts?search=client%201", Some(&key)).await;
    assert_eq!(found.body["total"], 10);
    assert!(found.body.get("next_cursor").is_none());

    // Bad input: a clear 4xx in JSON.
    let bad = get(&app, "/api/v1/managed_accounts?descending=maybe", Some(&key)).await;
    assert_eq!((bad.status, code(&bad)), (StatusCode::BAD_REQUEST, "bad_request"));
    let cursor = get(&app, "/api/v1/managed_accounts?cursor=junk", Some(&key)).await;
    assert_eq!(
        (cursor.status, code(&cursor)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    assert_eq!(cursor.body["error"]["fields"][0]["field"], "cursor");
    let far = get(
        &app,
        "/api/v1/managed_accounts?cursor=page:99999999999",
        Some(&key),
    )
    .await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    let nowhere = get(&app, "/api/v1/nothing_here", Some(&key)).await;
    assert_eq!(
        (nowhere.status, code(&nowhere)),
        (StatusCode::NOT_FOUND, "no_such_route")
    );

    // Revoked on the page: refused at the next call.
    let listed = app.call("api_keys", &[], Some(&pat)).await;
    let listed: serde_json::Value = serde_json::from_str(&listed.body).expect("json");
    let id = listed["keys"][0]["id"].as_str().expect("id").to_string();
    let revoked = app.call("revoke_api_key", &[("id", &id)], Some(&pat)).await;
    assert!(revoked.status.is_success(), "{}", revoked.body);
    let after = get(&app, "/api/v1/managed_accounts", Some(&key)).await;
    assert_eq!(
        (after.status, code(&after)),
        (StatusCode::UNAUTHORIZED, "invalid_api_key")
    );
}

async fn send(app: &TestApp, method: &str, path: &str, key: &str, body: Option<(&str, &str)>) -> JsonReply {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "localhost:3000")
        .header(header::AUTHORIZATION, format!("Bearer {key}"));
    let body = match body {
        Some((content_type, text)) => {
            req = req.header(header::CONTENT_TYPE, content_type);
            Body::from(text.to_string())
        }
        None => Body::empty(),
    };
    let mut req = req.body(body).expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = app.router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    JsonReply {
        status,
        authenticate: None,
        body,
    }
}

/// A key of the owner's own account with the Admin role, made through the page's functions.
async fn admin_key(app: &TestApp, cookie: &str) -> String {
    let page = app.call("api_keys", &[], Some(cookie)).await;
    let page: serde_json::Value = serde_json::from_str(&page.body).expect("json");
    let admin = page["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "Admin")
        .expect("Admin")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let made = app
        .call(
            "create_api_key",
            &[("name", "Script"), ("role", &admin), ("expires", "0")],
            Some(cookie),
        )
        .await;
    let made: serde_json::Value = serde_json::from_str(&made.body).expect("json");
    made["key"].as_str().expect("key").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_and_the_agency_act_through_the_api_as_on_their_pages() {
    let app = TestApp::new().await;
    let olga = app.sign_up("olga@client.com").await;
    let pat = app.sign_up("pat@agency.com").await;
    let owner_key = admin_key(&app, &olga).await;
    let agency_key = admin_key(&app, &pat).await;
    let json = "application/json";

    // The owner invites; the list shows it Pending; resend, revoke, grant again, delete.
    let roles: serde_json::Value =
        serde_json::from_str(&app.call("api_keys", &[], Some(&olga)).await.body).expect("json");
    let builder = roles["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == "Builder")
        .expect("Builder")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let invited = send(
        &app,
        "POST",
        "/api/v1/account_managers",
        &owner_key,
        Some((
            json,
            &format!(r#"{{"email": "pat@agency.com", "role": "{builder}"}}"#),
        )),
    )
    .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let id = invited.body["id"].as_str().expect("id").to_string();
    let list = send(&app, "GET", "/api/v1/account_managers", &owner_key, None).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["data"][0]["state"], "pending");
    assert!(list.body["data"][0]["invitation_link"].as_str().is_some());
    let again = send(
        &app,
        "POST",
        &format!("/api/v1/account_managers/{id}/grant_again"),
        &owner_key,
        None,
    )
    .await;
    assert_eq!(
        (again.status, code(&again)),
        (StatusCode::CONFLICT, "grant_is_pending"),
        "{}",
        again.body
    );
    let resent = send(
        &app,
        "POST",
        &format!("/api/v1/account_managers/{id}/resend"),
        &owner_key,
        None,
    )
    .await;
    assert_eq!(resent.status, StatusCode::NO_CONTENT, "{}", resent.body);
    let pending = send(
        &app,
        "POST",
        &format!("/api/v1/account_managers/{id}/revoke"),
        &owner_key,
        None,
    )
    .await;
    assert_eq!(pending.status, StatusCode::CONFLICT, "{}", pending.body);
    assert!(pending.body["error"]["message"]
        .as_str()
        .expect("message")
        .contains("delete it instead"));
    let unknown = send(
        &app,
        "POST",
        &format!("/api/v1/account_managers/{id}/explode"),
        &owner_key,
        None,
    )
    .await;
    assert_eq!(
        (unknown.status, code(&unknown)),
        (StatusCode::BAD_REQUEST, "bad_request")
    );
    let gone = send(
        &app,
        "DELETE",
        &format!("/api/v1/account_managers/{id}"),
        &owner_key,
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    let twice = send(
        &app,
        "DELETE",
        &format!("/api/v1/account_managers/{id}"),
        &owner_key,
        None,
    )
    .await;
    assert_eq!(
        (twice.status, code(&twice)),
        (StatusCode::NOT_FOUND, "manager_gone"),
        "{}",
        twice.body
    );
    // Another account's grant is not found for the agency's key either.
    let theirs = send(
        &app,
        "DELETE",
        &format!("/api/v1/managed_accounts/{id}"),
        &agency_key,
        None,
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);

    // The agency asks for access; the owner grants it, revokes it and grants it again.
    let asked = send(
        &app,
        "POST",
        "/api/v1/managed_accounts/requests",
        &agency_key,
        Some((json, r#"{"client_email": "olga@client.com", "role": "builder"}"#)),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let request = asked.body["id"].as_str().expect("id").to_string();
    for action in ["approve", "revoke", "grant_again"] {
        let done = send(
            &app,
            "POST",
            &format!("/api/v1/account_managers/{request}/{action}"),
            &owner_key,
            None,
        )
        .await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{action}: {}", done.body);
    }
    let managers = send(&app, "GET", "/api/v1/account_managers", &owner_key, None).await;
    assert_eq!(managers.body["data"][0]["state"], "active", "{}", managers.body);

    // The agency makes a client account and unlinks it.
    let made = send(
        &app,
        "POST",
        "/api/v1/managed_accounts",
        &agency_key,
        Some((
            json,
            r#"{"name": "Api Client", "level": "pro", "cms_plan": "starter", "login_email": "ann@apiclient.com"}"#,
        )),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let list = send(&app, "GET", "/api/v1/managed_accounts", &agency_key, None).await;
    assert_eq!(list.body["total"], 2);
    let row = list.body["data"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == "Api Client")
        .expect("the new account")
        .clone();
    assert_eq!(row["billing"]["currency"], "USD");
    assert_eq!(row["billing"]["payer"], "client");
    let unlinked = send(
        &app,
        "DELETE",
        &format!("/api/v1/managed_accounts/{}", row["id"].as_str().expect("id")),
        &agency_key,
        None,
    )
    .await;
    assert_eq!(unlinked.status, StatusCode::NO_CONTENT, "{}", unlinked.body);

    // Bodies that can't be read: each a JSON answer with its status.
    for (content_type, body, status, want) in [
        (
            "text/plain",
            "{}",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (json, "{not json", StatusCode::BAD_REQUEST, "bad_request"),
        (
            json,
            r#"{"name": "X", "level": "platinum", "cms_plan": "none", "login_email": "a@b.co"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            json,
            r#"{"name": "", "level": "basic", "cms_plan": "none", "login_email": "nobody"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
    ] {
        let r = send(
            &app,
            "POST",
            "/api/v1/managed_accounts",
            &agency_key,
            Some((content_type, body)),
        )
        .await;
        assert_eq!((r.status, code(&r)), (status, want), "{body}: {}", r.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_names_every_operation_and_the_docs_page_reads_it() {
    let app = TestApp::new().await;
    let doc = get(&app, "/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["openapi"].as_str().expect("version").starts_with("3.1"));
    let mut operations = Vec::new();
    for (path, item) in doc.body["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            operations.push(format!("{} {path}", method.to_uppercase()));
            assert!(op["security"][0].get("api_key").is_some(), "{method} {path}");
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        vec![
            "DELETE /api/v1/account_managers/{id}",
            "DELETE /api/v1/managed_accounts/{id}",
            "DELETE /api/v1/roles/{id}",
            "DELETE /api/v1/templates/{id}",
            "DELETE /api/v1/users/{id}",
            "GET /api/v1/account_managers",
            "GET /api/v1/audit_log",
            "GET /api/v1/billing",
            "GET /api/v1/managed_accounts",
            "GET /api/v1/roles",
            "GET /api/v1/sandboxes",
            "GET /api/v1/templates",
            "GET /api/v1/users",
            "POST /api/v1/account_managers",
            "POST /api/v1/account_managers/{id}/{action}",
            "POST /api/v1/billing/subscription",
            "POST /api/v1/billing/take_over",
            "POST /api/v1/managed_accounts",
            "POST /api/v1/managed_accounts/requests",
            "POST /api/v1/roles/{id}/copy",
            "POST /api/v1/templates",
            "POST /api/v1/templates/{id}/refresh",
            "POST /api/v1/users",
            "POST /api/v1/users/bulk",
            "POST /api/v1/users/{id}/force_logout",
            "PUT /api/v1/billing/plan",
            "PUT /api/v1/roles/{id}",
            "PUT /api/v1/templates/{id}",
            "PUT /api/v1/users/{id}",
        ]
    );
    // Every reference resolves to a schema of the document.
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v.as_str()) {
                        ("$ref", Some(r)) => found.push(r.to_string()),
                        _ => refs(v, found),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc.body, &mut found);
    assert!(found.len() > 20);
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .expect("a schema reference");
        assert!(
            doc.body["components"]["schemas"].get(name).is_some(),
            "{r} does not resolve"
        );
    }
    let mut req = Request::get("/api/docs").body(Body::empty()).expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = app.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let html =
        String::from_utf8(res.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    for op in &operations {
        assert!(html.contains(op.as_str()), "{op} missing from /api/docs");
    }
    assert!(html.contains("<h1>Steward API</h1>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_past_its_burst_waits_with_retry_after_and_other_keys_do_not() {
    let app = TestApp::with_args(&[
        "--dev",
        "--login-burst",
        "1000",
        "--api-burst",
        "5",
        "--api-per-second",
        "1",
    ])
    .await;
    let pat = app.sign_up("pat@agency.com").await;
    let busy = admin_key(&app, &pat).await;
    let quiet = admin_key(&app, &pat).await;
    for i in 0..5 {
        let r = get(&app, "/api/v1/managed_accounts", Some(&busy)).await;
        assert_eq!(r.status, StatusCode::OK, "call {i}");
    }
    let mut req = Request::get("/api/v1/managed_accounts")
        .header(header::AUTHORIZATION, format!("Bearer {busy}"))
        .body(Body::empty())
        .expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = app.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=2).contains(&wait), "{wait}");
    let body: serde_json::Value =
        serde_json::from_slice(&res.into_body().collect().await.expect("body").to_bytes()).expect("json");
    assert_eq!(body["error"]["code"], "rate_limited");
    // Another key of the same account has its own allowance.
    assert_eq!(
        get(&app, "/api/v1/managed_accounts", Some(&quiet)).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_added_edited_logged_out_and_deleted_through_the_api() {
    let app = TestApp::new().await;
    let olga = app.sign_up("olga@client.com").await;
    let key = admin_key(&app, &olga).await;
    let json = "application/json";
    let mut ids = Vec::new();
    for name in ["una", "ivan", "zoe"] {
        let added = send(
            &app,
            "POST",
            "/api/v1/users",
            &key,
            Some((json, &format!(
                r#"{{"first_name": "{name}", "last_name": "User", "email": "{name}@client.com", "password": "a fine long password"}}"#
            ))),
        )
        .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        ids.push(added.body["id"].as_str().expect("id").to_string());
    }
    let taken = send(
        &app,
        "POST",
        "/api/v1/users",
        &key,
        Some((json, r#"{"first_name": "Una", "last_name": "Again", "email": "una@client.com", "password": "a fine long password"}"#)),
    )
    .await;
    assert!(taken.status.is_client_error(), "{}", taken.body);
    let list = send(&app, "GET", "/api/v1/users?sort=email", &key, None).await;
    assert_eq!(list.body["total"], 4, "{}", list.body);
    let emails: Vec<&str> = list.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|u| u["email"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        emails,
        vec![
            "ivan@client.com",
            "olga@client.com",
            "una@client.com",
            "zoe@client.com"
        ]
    );

    let edited = send(
        &app,
        "PUT",
        &format!("/api/v1/users/{}", ids[0]),
        &key,
        Some((
            json,
            r#"{"first_name": "Una", "last_name": "Renamed", "email": "una@client.com"}"#,
        )),
    )
    .await;
    assert_eq!(edited.status, StatusCode::NO_CONTENT, "{}", edited.body);
    let out = send(
        &app,
        "POST",
        &format!("/api/v1/users/{}/force_logout", ids[0]),
        &key,
        None,
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.body);

    // In bulk: two users and the primary admin, who is protected and says why.
    let olga_id = list.body["data"][1]["id"].as_str().expect("id").to_string();
    let bulk = send(
        &app,
        "POST",
        "/api/v1/users/bulk",
        &key,
        Some((
            json,
            &format!(
                r#"{{"action": "delete", "ids": ["{}", "{}", "{olga_id}"]}}"#,
                ids[1], ids[2]
            ),
        )),
    )
    .await;
    assert_eq!(bulk.status, StatusCode::OK, "{}", bulk.body);
    assert_eq!(bulk.body["succeeded"], 2);
    assert_eq!(bulk.body["failed"].as_array().expect("failed").len(), 1);
    let gone = send(&app, "DELETE", &format!("/api/v1/users/{}", ids[0]), &key, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    let again = send(&app, "DELETE", &format!("/api/v1/users/{}", ids[0]), &key, None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
    let list = send(&app, "GET", "/api/v1/users", &key, None).await;
    assert_eq!(list.body["total"], 1);

    // The Audit log names the key on every change made with it, and filters by action.
    let log = send(&app, "GET", "/api/v1/audit_log?action=user.added", &key, None).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let entries = log.body["data"].as_array().expect("data");
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["action"] == "user.added"));
    // Each entry's instant in RFC 3339 (UTC), beside the account's own way of writing it.
    for e in entries {
        let stamp = e["timestamp"].as_str().expect("timestamp");
        let t = chrono::DateTime::parse_from_rfc3339(stamp).unwrap_or_else(|_| panic!("RFC 3339: {stamp}"));
        assert!(
            stamp.ends_with('Z') && (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_seconds() < 120
        );
    }
    assert!(
        entries[0]["who"]
            .as_str()
            .expect("who")
            .contains(r#"with API key "Script""#),
        "{}",
        entries[0]
    );
    let bad = send(&app, "GET", "/api/v1/audit_log?from=yesterday", &key, None).await;
    assert_eq!(
        (bad.status, code(&bad)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_in_json_under_the_api() {
    let app = TestApp::new().await;
    let pat = app.sign_up("pat@agency.com").await;
    let key = admin_key(&app, &pat).await;
    // Declared too large: the limit layer answers before any handler reads it.
    let huge = format!(
        r#"{{"email": "{}@x.com", "role": "r"}}"#,
        "x".repeat(server::BODY_LIMIT)
    );
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/v1/account_managers")
        .header(header::HOST, "localhost:3000")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge))
        .expect("request");
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = app.router.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
    let list = send(&app, "GET", "/api/v1/account_managers", &key, None).await;
    assert_eq!(list.body["total"], 0, "nothing was invited: {}", list.body);
}

#[tokio::test]
async fn one_address_trying_many_keys_is_limited_by_its_address() {
    let app = TestApp::with_args(&["--dev", "--api-burst", "2", "--api-per-second", "1"]).await;
    let burst = 2 * server::API_ADDRESS_FACTOR as usize;
    let call = |key: String, last: u8| {
        let mut req = Request::get("/api/v1/managed_accounts")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, last], 40000))));
        app.router.clone().oneshot(req)
    };
    // A made-up key per call: each key's own allowance is fresh, the address's is not. (The
    // address's allowance refills at 10 calls a second, so the refusal may come a few calls
    // after its burst.)
    let mut refused_at = None;
    for i in 0..burst * 5 {
        let res = call(format!("stw_guess{i:036}"), 1).await.expect("response");
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key(header::RETRY_AFTER));
            refused_at = Some(i);
            break;
        }
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let refused_at = refused_at.expect("the address is held up");
    assert!(refused_at >= burst, "not before its burst: {refused_at}");
    // Another address is not held up.
    let res = call("stw_elsewhere".into(), 2).await.expect("response");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

/// Roles, templates and billing through the API, as their pages do them: the answers, the
/// refusals with their codes, and the changes seen on the next read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_templates_and_billing_are_managed_through_the_api() {
    let app = TestApp::new().await;
    let pat = app.sign_up("pat@agency.com").await;
    let key = admin_key(&app, &pat).await;
    let json = "application/json";

    // Roles: the four defaults; a copy is the way to a custom role, which can be edited.
    let roles = send(&app, "GET", "/api/v1/roles", &key, None).await;
    assert_eq!(roles.status, StatusCode::OK, "{}", roles.body);
    assert_eq!(roles.body["total"], 4);
    let role_id = |body: &serde_json::Value, name: &str| {
        body["data"]
            .as_array()
            .expect("data")
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {body}"))["id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    let builder = role_id(&roles.body, "Builder");
    let fixed = send(
        &app,
        "PUT",
        &format!("/api/v1/roles/{builder}"),
        &key,
        Some((json, r#"{"name": "Builder", "permissions": []}"#)),
    )
    .await;
    assert_eq!(
        (fixed.status, code(&fixed)),
        (StatusCode::CONFLICT, "default_role_fixed"),
        "{}",
        fixed.body
    );
    let copied = send(&app, "POST", &format!("/api/v1/roles/{builder}/copy"), &key, None).await;
    assert_eq!(copied.status, StatusCode::CREATED, "{}", copied.body);
    let custom = copied.body["id"].as_str().expect("id").to_string();
    let unknown = send(
        &app,
        "PUT",
        &format!("/api/v1/roles/{custom}"),
        &key,
        Some((json, r#"{"name": "Writers", "permissions": ["launch.rockets"]}"#)),
    )
    .await;
    assert_eq!(
        (unknown.status, code(&unknown)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        "{}",
        unknown.body
    );
    let saved = send(
        &app,
        "PUT",
        &format!("/api/v1/roles/{custom}"),
        &key,
        Some((
            json,
            r#"{"name": "Writers", "permissions": ["managed_accounts.view", "admin_tools.manage_users"]}"#,
        )),
    )
    .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    let roles = send(&app, "GET", "/api/v1/roles", &key, None).await;
    assert_eq!(roles.body["total"], 5);
    let writers = roles.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|r| r["id"] == custom.as_str())
        .expect("the copy");
    assert_eq!(writers["name"], "Writers");
    assert_eq!(writers["is_default"], false);
    let mut perms: Vec<&str> = writers["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    perms.sort();
    assert_eq!(perms, vec!["admin_tools.manage_users", "managed_accounts.view"]);
    // A role someone holds is kept, and the refusal says who.
    let una = send(
        &app,
        "POST",
        "/api/v1/users",
        &key,
        Some((json, &format!(
            r#"{{"first_name": "Una", "last_name": "Writer", "email": "una@agency.com", "password": "a fine long password", "role": "{custom}"}}"#
        ))),
    )
    .await;
    assert_eq!(una.status, StatusCode::CREATED, "{}", una.body);
    let held = send(&app, "DELETE", &format!("/api/v1/roles/{custom}"), &key, None).await;
    assert_eq!(held.status, StatusCode::CONFLICT, "{}", held.body);
    assert!(
        code(&held) == "in_use"
            && held.body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("una@agency.com"),
        "{}",
        held.body
    );
    let una_id = una.body["id"].as_str().expect("id");
    assert_eq!(
        send(&app, "DELETE", &format!("/api/v1/users/{una_id}"), &key, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let gone = send(&app, "DELETE", &format!("/api/v1/roles/{custom}"), &key, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    let again = send(&app, "DELETE", &format!("/api/v1/roles/{custom}"), &key, None).await;
    assert_eq!((again.status, code(&again)), (StatusCode::NOT_FOUND, "role_gone"));

    // Templates: a sandbox made through the API becomes a template, which a new account copies.
    let sandbox = send(
        &app,
        "POST",
        "/api/v1/managed_accounts",
        &key,
        Some((
            json,
            r#"{"name": "Sandbox", "level": "basic", "cms_plan": "none", "payer": "agency", "login_email": "sandbox@agency.com", "sandbox": true}"#,
        )),
    )
    .await;
    assert_eq!(sandbox.status, StatusCode::CREATED, "{}", sandbox.body);
    let sandboxes = send(&app, "GET", "/api/v1/sandboxes", &key, None).await;
    assert_eq!(sandboxes.status, StatusCode::OK, "{}", sandboxes.body);
    assert_eq!(sandboxes.body["total"], 1);
    let sandbox_id = sandboxes.body["data"][0]["id"].as_str().expect("id").to_string();
    let before = send(&app, "GET", "/api/v1/templates", &key, None).await;
    let built_in = before.body["total"].as_i64().expect("total");
    assert!(built_in > 0, "the built-in templates: {}", before.body);
    assert!(before.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .all(|t| t["built_in"] == true));
    let short = send(
        &app,
        "POST",
        "/api/v1/templates",
        &key,
        Some((json, &format!(r#"{{"sandbox": "{sandbox_id}", "name": "x"}}"#))),
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.body);
    assert_eq!(short.body["error"]["fields"][0]["field"], "name");
    let made = send(
        &app,
        "POST",
        "/api/v1/templates",
        &key,
        Some((
            json,
            &format!(r#"{{"sandbox": "{sandbox_id}", "name": "My CRM", "description": "Our set-up"}}"#),
        )),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let template = made.body["id"].as_str().expect("id").to_string();
    let renamed = send(
        &app,
        "PUT",
        &format!("/api/v1/templates/{template}"),
        &key,
        Some((json, r#"{"name": "Our CRM", "description": "Renamed"}"#)),
    )
    .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT, "{}", renamed.body);
    let refreshed = send(
        &app,
        "POST",
        &format!("/api/v1/templates/{template}/refresh"),
        &key,
        None,
    )
    .await;
    assert_eq!(refreshed.status, StatusCode::NO_CONTENT, "{}", refreshed.body);
    let list = send(&app, "GET", "/api/v1/templates", &key, None).await;
    assert_eq!(list.body["total"].as_i64(), Some(built_in + 1));
    let mine = list.body["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|t| t["id"] == template.as_str())
        .expect("the new template");
    assert_eq!(
        (
            mine["name"].as_str(),
            mine["source_name"].as_str(),
            mine["built_in"].as_bool()
        ),
        (Some("Our CRM"), Some("Sandbox"), Some(false))
    );
    let from_it = send(
        &app,
        "POST",
        "/api/v1/managed_accounts",
        &key,
        Some((json, &format!(
            r#"{{"name": "From CRM", "level": "basic", "cms_plan": "none", "payer": "client", "login_email": "crm@client.com", "template": "{template}"}}"#
        ))),
    )
    .await;
    assert_eq!(from_it.status, StatusCode::CREATED, "{}", from_it.body);
    // Another agency's key finds neither the template nor the sandbox.
    let other = app.sign_up("otto@other.com").await;
    let other_key = admin_key(&app, &other).await;
    let theirs = send(
        &app,
        "DELETE",
        &format!("/api/v1/templates/{template}"),
        &other_key,
        None,
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    let theirs = send(
        &app,
        "POST",
        "/api/v1/templates",
        &other_key,
        Some((
            json,
            &format!(r#"{{"sandbox": "{sandbox_id}", "name": "Stolen"}}"#),
        )),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    let theirs = send(&app, "GET", "/api/v1/templates", &other_key, None).await;
    assert_eq!(theirs.body["total"].as_i64(), Some(built_in));
    let deleted = send(
        &app,
        "DELETE",
        &format!("/api/v1/templates/{template}"),
        &key,
        None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    let deleted = send(
        &app,
        "DELETE",
        &format!("/api/v1/templates/{template}"),
        &key,
        None,
    )
    .await;
    assert_eq!(
        (deleted.status, code(&deleted)),
        (StatusCode::NOT_FOUND, "template_gone")
    );

    // Billing: the key's own account, its trial; the plan changes and the price follows.
    let bill = send(&app, "GET", "/api/v1/billing", &key, None).await;
    assert_eq!(bill.status, StatusCode::OK, "{}", bill.body);
    assert_eq!(
        (
            bill.body["status"].as_str(),
            bill.body["payer"].as_str(),
            bill.body["is_payer"].as_bool()
        ),
        (Some("free_trial"), Some("client"), Some(true)),
        "{}",
        bill.body
    );
    let unknown = send(
        &app,
        "PUT",
        "/api/v1/billing/plan",
        &key,
        Some((json, r#"{"level": "gold", "cms_plan": "starter"}"#)),
    )
    .await;
    assert_eq!(
        (unknown.status, code(&unknown)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
        "{}",
        unknown.body
    );
    let changed = send(
        &app,
        "PUT",
        "/api/v1/billing/plan",
        &key,
        Some((json, r#"{"level": "pro", "cms_plan": "starter"}"#)),
    )
    .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    let started = send(&app, "POST", "/api/v1/billing/subscription", &key, None).await;
    assert_eq!(started.status, StatusCode::NO_CONTENT, "{}", started.body);
    let twice = send(&app, "POST", "/api/v1/billing/subscription", &key, None).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    let bill = send(&app, "GET", "/api/v1/billing", &key, None).await;
    assert_eq!(
        (
            bill.body["status"].as_str(),
            bill.body["level"].as_str(),
            bill.body["cms_plan"].as_str(),
            bill.body["monthly"].as_i64()
        ),
        (Some("active"), Some("pro"), Some("starter"), Some(32_800)),
        "{}",
        bill.body
    );
    // Nothing to take over: the account pays for itself.
    let take = send(&app, "POST", "/api/v1/billing/take_over", &key, None).await;
    assert_eq!(take.status, StatusCode::CONFLICT, "{}", take.body);

    // The Audit log counts what matches.
    let log = send(&app, "GET", "/api/v1/audit_log?action=role.created", &key, None).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert_eq!(
        (log.body["total"].as_i64(), log.body["total_is_exact"].as_bool()),
        (Some(1), Some(true))
    );
    let all = send(&app, "GET", "/api/v1/audit_log", &key, None).await;
    let total = all.body["total"].as_i64().expect("total");
    assert!(total > 10 && total <= 50, "{}", all.body);
    assert_eq!(all.body["data"].as_array().expect("data").len() as i64, total);
}

/// What the log gets: the captured output of a `fmt` subscriber.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every call, reads included, is logged with its key, its account and the answer's status; a
/// change is also in the Audit log with the key's name.
#[tokio::test]
async fn every_call_is_logged_with_its_key() {
    let app = TestApp::new().await;
    let olga = app.sign_up("olga@logged.com").await;
    let key = admin_key(&app, &olga).await;
    let page = app.call("api_keys", &[], Some(&olga)).await;
    let page: serde_json::Value = serde_json::from_str(&page.body).expect("json");
    let key_id = page["keys"][0]["id"].as_str().expect("key id").to_string();

    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_env_filter("steward::api=info")
        .with_writer(move || writer.clone())
        .finish();
    // This test's runtime runs on one thread: the subscriber sees every call.
    let guard = tracing::subscriber::set_default(subscriber);
    let read = send(&app, "GET", "/api/v1/users?search=olga", &key, None).await;
    assert_eq!(read.status, StatusCode::OK);
    let none = send(&app, "DELETE", "/api/v1/users/nobody", &key, None).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let wrong = send(&app, "GET", "/api/v1/users", "stw_not_a_key", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    drop(guard);

    let text = String::from_utf8(log.0.lock().expect("log").clone()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for (line, (method, path, status)) in lines.iter().zip([
        ("GET", "/api/v1/users", 200),
        ("DELETE", "/api/v1/users/nobody", 404),
        ("GET", "/api/v1/users", 401),
    ]) {
        assert!(
            line.contains(&format!("method={method} path={path}"))
                && line.contains(&format!("status={status}")),
            "{line}"
        );
    }
    assert!(lines[0].contains(&format!("key={key_id}")), "{}", lines[0]);
    assert!(lines[1].contains(&format!("key={key_id}")), "{}", lines[1]);
    assert!(
        !lines[2].contains("key="),
        "an unknown key names none: {}",
        lines[2]
    );
    // Never the key itself, nor the query (searches may name people).
    assert!(!text.contains(&key) && !text.contains("search=olga"), "{text}");
}
