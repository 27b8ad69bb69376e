//! The perimeter (issue 15): security headers and the Content-Security-Policy's nonce, request
//! body limits, the server secret's file mode, and CSV cells a spreadsheet would run.
use super::*;

/// A GET of `path`, with the response's headers.
async fn get_with_headers(app: &TestApp, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::HOST, "localhost:3000")
                .body(Body::empty())
                .expect("req"),
        )
        .await
        .expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn header_of(headers: &axum::http::HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(&name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{name} missing"))
}

#[tokio::test]
async fn pages_carry_a_nonced_policy_and_every_answer_the_security_headers() {
    let app = TestApp::new().await;
    let (status, headers, html) = get_with_headers(&app, "/login").await;
    assert_eq!(status, StatusCode::OK);
    let csp = header_of(&headers, header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
    // Every script of the page, the hydration script among them, carries the policy's nonce.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "{html}");
    for script in &scripts {
        let tag = script.split('>').next().unwrap_or_default();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "<script{tag}> in {html}"
        );
    }
    assert_eq!(header_of(&headers, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(header_of(&headers, header::X_FRAME_OPTIONS), "DENY");
    // Pages are never cached (the two-factor set-up shows a secret).
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), "no-store");
    // Only this site learns where a visitor came from; a page with a token in its address
    // tells nobody.
    assert_eq!(header_of(&headers, header::REFERRER_POLICY), "same-origin");
    for page in [
        "/invitations/sometoken",
        "/requests/sometoken",
        "/set-password/sometoken",
        "/signup/confirm/sometoken",
    ] {
        let (_, token_page, _) = get_with_headers(&app, page).await;
        assert_eq!(
            header_of(&token_page, header::REFERRER_POLICY),
            "no-referrer",
            "{page}"
        );
    }
    assert!(
        headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "no HSTS over http"
    );
    // A second page gets another nonce.
    let (_, again, _) = get_with_headers(&app, "/login").await;
    assert_ne!(header_of(&again, header::CONTENT_SECURITY_POLICY), csp);

    // Not a page: nothing may run.
    let (_, headers, _) = get_with_headers(&app, "/contacts.csv").await;
    assert_eq!(
        header_of(&headers, header::CONTENT_SECURITY_POLICY),
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(header_of(&headers, header::X_CONTENT_TYPE_OPTIONS), "nosniff");

    // Development mode lets pages reach the reload socket of `cargo leptos watch`; production
    // pages reach this site only.
    assert!(csp.contains("connect-src 'self' ws://127.0.0.1:*"), "{csp}");
    // Behind https, browsers are told to stay on https.
    let https = TestApp::with_args(&["--base-url", "https://steward.example.com"]).await;
    let (_, headers, _) = get_with_headers(&https, "/login").await;
    assert!(header_of(&headers, header::STRICT_TRANSPORT_SECURITY).starts_with("max-age="));
    let csp = header_of(&headers, header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("connect-src 'self';"), "{csp}");
}

#[tokio::test]
async fn a_body_over_its_limit_is_refused_with_413_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.sign_up("ann@acme.com").await;
    let huge = "x".repeat(server::BODY_LIMIT + 1);
    let r = app
        .call(
            "save_contact",
            &[
                ("id", ""),
                ("first_name", "Huge"),
                ("last_name", &huge),
                ("email", "huge@x.com"),
                ("phone", ""),
                ("tags", ""),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    let list = app.call("list_contacts", &[], Some(&admin)).await;
    assert!(!list.body.contains("huge@x.com"), "{}", list.body);

    // A contact import may be larger: 2,000 rows (about 100 KB) come in.
    let mut csv = String::from("First name,Last name,Email\n");
    for i in 0..2000 {
        csv.push_str(&format!("Row{i},Imported,row{i}@import.example.com\n"));
    }
    assert!(csv.len() > server::BODY_LIMIT);
    let r = app.call("import_contacts", &[("csv", &csv)], Some(&admin)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(r.body.contains("\"created\":2000"), "{}", r.body);
    // ... up to its own limit.
    let too_big = "y".repeat(server::IMPORT_BODY_LIMIT + 1);
    let r = app
        .call("import_contacts", &[("csv", &too_big)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
}

#[tokio::test]
async fn a_new_server_secret_is_readable_by_its_owner_only() {
    let dir = std::env::temp_dir().join(format!("steward-secret-{}", app::core::db::new_key()));
    let db = format!("surrealkv://{}/db", dir.display());
    let config = Config::parse_from(["steward", "--database-url", db.as_str()]);
    let services = server::start_services(&config).await.expect("start");
    let secret = dir.join("secret.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret)
            .expect("secret written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let text = std::fs::read_to_string(&secret).expect("read");
    assert_eq!(text.trim().len(), 64, "32 bytes, hex");
    drop(services);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn exported_cells_never_run_as_formulas_and_import_back_as_they_were() {
    let app = TestApp::new().await;
    let admin = app.sign_up("ann@acme.com").await;
    let r = app
        .call(
            "save_contact",
            &[
                ("id", ""),
                ("first_name", "=HYPERLINK(\"http://evil.example\",\"Click\")"),
                ("last_name", "@SUM(A1)"),
                ("email", "formula@x.com"),
                ("phone", "+1 555 0100"),
                ("tags", ""),
            ],
            Some(&admin),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let csv = app.get("/contacts.csv", Some(&admin)).await.body;
    let row = csv.lines().find(|l| l.contains("formula@x.com")).expect("row");
    assert!(row.starts_with("\"'=HYPERLINK("), "{row}");
    assert!(row.contains(",'@SUM(A1),"), "{row}");
    assert!(row.contains(",'+1 555 0100,"), "{row}");
    // Imported again (into another account), the cells are what was typed.
    let other = app.sign_up("bob@other.com").await;
    let r = app.call("import_contacts", &[("csv", &csv)], Some(&other)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let again = app.get("/contacts.csv", Some(&other)).await.body;
    assert_eq!(again, csv);
}

/// A log-in attempt from `peer`, relayed with this X-Forwarded-For; its status. Each attempt
/// names another email, so that the per-email lock (five failures) never answers instead.
async fn log_in_from(app: &TestApp, peer: [u8; 4], forwarded_for: Option<&str>) -> StatusCode {
    let email = format!("nobody{}@acme.com", app::core::db::new_key());
    let headers: Vec<(&str, &str)> = forwarded_for
        .map(|f| ("x-forwarded-for", f))
        .into_iter()
        .collect();
    app.call_from(
        peer,
        &headers,
        "log_in",
        &[("email", email.as_str()), ("password", "not the password")],
        None,
    )
    .await
    .status
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_limit_is_per_client_and_nobody_else_can_pick_an_address() {
    const PROXY: [u8; 4] = [10, 0, 0, 2];
    let app = TestApp::with_args(&["--login-burst", "2", "--trusted-proxies", "10.0.0.2"]).await;
    // Two clients behind the proxy: each has its own burst.
    for client in ["198.51.100.7", "198.51.100.8"] {
        for _ in 0..2 {
            assert_eq!(
                log_in_from(&app, PROXY, Some(client)).await,
                StatusCode::UNPROCESSABLE_ENTITY
            );
        }
        assert_eq!(
            log_in_from(&app, PROXY, Some(client)).await,
            StatusCode::TOO_MANY_REQUESTS,
            "{client} used its burst"
        );
    }
    // A client talking to Steward directly can't pick an address: X-Forwarded-For is ignored.
    const DIRECT: [u8; 4] = [203, 0, 113, 9];
    for fake in ["1.1.1.1", "2.2.2.2"] {
        assert_eq!(
            log_in_from(&app, DIRECT, Some(fake)).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        log_in_from(&app, DIRECT, Some("3.3.3.3")).await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Without STEWARD_TRUSTED_PROXIES, everyone behind the proxy is the proxy.
    let untrusting = TestApp::with_args(&["--login-burst", "2"]).await;
    for client in ["198.51.100.7", "198.51.100.8"] {
        assert_eq!(
            log_in_from(&untrusting, PROXY, Some(client)).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        log_in_from(&untrusting, PROXY, Some("198.51.100.9")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
