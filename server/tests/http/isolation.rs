//! Table-driven isolation: every server function, called by each kind of user of account A with
//! the record ids of account B, is refused and leaves B as it was; what A may read shows nothing
//! of B. The table must name every registered server function.
use super::*;

/// Account B, with one record of every kind, and what would give B away in an answer.
pub(super) struct Foreign {
    pub(super) account: String,
    pub(super) owner_email: String,
    user: String,
    role: String,
    contact: String,
    note: String,
    field: String,
    message: String,
    grant: String,
    session: String,
    api_key: String,
    webhook: String,
    delivery: String,
    markers: Vec<String>,
}

/// How a call must end.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// 4xx: it names a record of B (or a token that is not the caller's).
    Refused,
    /// Anything but 5xx, and a success shows nothing of B: a read of A's own data, or a write
    /// that names no record of B.
    NothingOfB,
    /// A bulk action answers row by row: none of B's rows was done.
    NoneDone,
}

pub(super) struct Call {
    pub(super) function: &'static str,
    pub(super) form: Vec<(String, String)>,
    expect: Expect,
}

fn call(function: &'static str, form: &[(&str, &str)], expect: Expect) -> Call {
    Call {
        function,
        form: form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        expect,
    }
}

/// The table: every server function, with B's ids wherever it takes an id.
pub(super) fn table(b: &Foreign) -> Vec<Call> {
    use Expect::*;
    let (user, role, contact, note, field, message, grant, session, account) = (
        b.user.as_str(),
        b.role.as_str(),
        b.contact.as_str(),
        b.note.as_str(),
        b.field.as_str(),
        b.message.as_str(),
        b.grant.as_str(),
        b.session.as_str(),
        b.account.as_str(),
    );
    let mut calls = vec![
        call("current_user", &[], NothingOfB),
        call("dashboard", &[], NothingOfB),
        call("managed_accounts", &[("search", &b.owner_email)], NothingOfB),
        call(
            "request_access",
            &[("client_email", &b.owner_email), ("role", role)],
            Refused,
        ),
        call(
            "create_client_account",
            &[
                ("name", "Taken Over"),
                ("level", "basic"),
                ("cms_plan", "none"),
                ("login_email", "new-owner@else.com"),
                ("template", account),
            ],
            Refused,
        ),
        call("unlink_managed_account", &[("id", grant)], Refused),
        call("resend_access_request", &[("id", grant)], Refused),
        call("switch_targets", &[], NothingOfB),
        call("switch_managed_account", &[("id", grant)], Refused),
        call("resend_password_link", &[("id", grant)], Refused),
        call("log_in_to_managed_account", &[("id", grant)], Refused),
        call("access_request", &[("token", grant)], Refused),
        call(
            "answer_access_request",
            &[("token", grant), ("answer", "grant")],
            Refused,
        ),
        call(
            "set_password",
            &[("token", user), ("password", "a brand new password")],
            Refused,
        ),
        // Anyone may ask for a reset link for any email: it goes to that inbox, not the caller
        // (the snapshot leaves that one email out).
        call("forgot_password", &[("email", &b.owner_email)], NothingOfB),
        // Sign-up links are nobody's but their email's: an unknown one is refused.
        call(
            "sign_up_link",
            &[("token", "0123456789abcdef0123456789abcdef")],
            Refused,
        ),
        call(
            "confirm_sign_up",
            &[("token", "0123456789abcdef0123456789abcdef")],
            Refused,
        ),
        call("account_managers", &[], NothingOfB),
        call(
            "invite_account_manager",
            &[("email", "spy@else.com"), ("role", role)],
            Refused,
        ),
        call("delete_account_manager", &[("id", grant)], Refused),
        call(
            "edit_account_manager",
            &[("id", grant), ("role", role), ("access_until", "")],
            Refused,
        ),
        call("invitation", &[("token", grant)], Refused),
        // Only an invitation sent to the caller's own email can be answered from their list.
        call(
            "answer_my_invitation",
            &[("id", grant), ("answer", "accept")],
            Refused,
        ),
        call(
            "answer_invitation",
            &[("token", grant), ("answer", "accept")],
            Refused,
        ),
        call("list_users", &[], NothingOfB),
        call(
            "save_user",
            &[
                ("id", user),
                ("first_name", "Taken"),
                ("last_name", "Over"),
                ("email", "spy@else.com"),
                ("password", "a brand new password"),
                ("role", role),
            ],
            Refused,
        ),
        call(
            "save_user",
            &[
                ("id", ""),
                ("first_name", "Planted"),
                ("last_name", "User"),
                ("email", "planted@else.com"),
                ("password", "a brand new password"),
                ("role", role),
            ],
            Refused,
        ),
        call(
            "users_action",
            &[("ids[0]", user), ("action", "force_logout")],
            NoneDone,
        ),
        call(
            "users_action",
            &[("ids[0]", user), ("action", "delete")],
            NoneDone,
        ),
        call(
            "user_action",
            &[("id", user), ("action", "force_logout")],
            Refused,
        ),
        call("user_action", &[("id", user), ("action", "delete")], Refused),
        call("make_primary_admin", &[("id", user)], Refused),
        call("my_sessions", &[], NothingOfB),
        // Two-factor is about the caller's own log-in: nothing of B is named or shown.
        call("two_factor", &[], NothingOfB),
        call("turn_on_two_factor", &[("code", "000000")], NothingOfB),
        call(
            "turn_off_two_factor",
            &[("password", "not the password")],
            NothingOfB,
        ),
        call("log_in_challenge", &[], NothingOfB),
        // Without the log-in's own cookie there is no second step to complete.
        call("log_in_code", &[("code", "000000")], Refused),
        call("end_session", &[("id", session)], Refused),
        call("audit_log", &[("query[user]", user)], NothingOfB),
        call("mailbox", &[], NothingOfB),
        call("templates", &[], NothingOfB),
        call(
            "convert_to_template",
            &[("sandbox", account), ("name", "Stolen")],
            Refused,
        ),
        call("refresh_template", &[("id", account)], Refused),
        call("rename_template", &[("id", account), ("name", "Stolen")], Refused),
        call("delete_template", &[("id", account)], Refused),
        call("contact_notes", &[("contact", contact)], Refused),
        call(
            "save_note",
            &[("contact", contact), ("id", ""), ("body", "planted")],
            Refused,
        ),
        call(
            "save_note",
            &[("contact", contact), ("id", note), ("body", "changed")],
            Refused,
        ),
        call("delete_note", &[("id", note)], Refused),
        call("list_contacts", &[], NothingOfB),
        call(
            "save_contact",
            &[
                ("id", contact),
                ("first_name", "Changed"),
                ("last_name", "Contact"),
                ("email", ""),
                ("phone", ""),
                ("tags", ""),
            ],
            Refused,
        ),
        call("delete_contact", &[("id", contact)], Refused),
        call(
            "create_custom_field",
            &[("field_name", "Harmless"), ("kind", "text")],
            NothingOfB,
        ),
        call("delete_custom_field", &[("id", field)], Refused),
        call(
            "import_contacts",
            &[("csv", "First name,Last name,Email\nIm,Ported,im@else.com\n")],
            NothingOfB,
        ),
        call("business_information", &[], NothingOfB),
        call(
            "save_business_information",
            &[
                ("business_name", "Renamed"),
                ("address", "1 Road"),
                ("time_zone", "UTC"),
            ],
            NothingOfB,
        ),
        call("localization", &[], NothingOfB),
        call("api_keys", &[], NothingOfB),
        call(
            "create_api_key",
            &[("name", "Mine"), ("role", role), ("expires", "90")],
            Refused,
        ),
        call("revoke_api_key", &[("id", &b.api_key)], Refused),
        call("webhooks", &[], NothingOfB),
        call(
            "add_webhook_endpoint",
            &[
                ("url", "https://hooks.example.com/a"),
                ("events[user.added]", "on"),
            ],
            NothingOfB,
        ),
        call(
            "set_webhook_enabled",
            &[("id", &b.webhook), ("enabled", "false")],
            Refused,
        ),
        call("delete_webhook_endpoint", &[("id", &b.webhook)], Refused),
        call("webhook_secret", &[("id", &b.webhook)], Refused),
        call("retry_webhook_delivery", &[("id", &b.delivery)], Refused),
        call(
            "save_localization",
            &[
                ("language", "en"),
                ("date_format", "YYYY-MM-DD"),
                ("currency", "USD"),
            ],
            NothingOfB,
        ),
        // Billing acts on the account acted in only: no id of another account is taken.
        call("billing", &[], NothingOfB),
        call("start_subscription", &[], NothingOfB),
        call(
            "change_plan",
            &[("level", "pro"), ("cms_plan", "starter")],
            NothingOfB,
        ),
        call("hand_over_payment", &[], NothingOfB),
        call("take_over_payment", &[], NothingOfB),
        call("account_settings", &[], NothingOfB),
        call("save_account_settings", &[("login_notify", "never")], NothingOfB),
        call("roles", &[], NothingOfB),
        call("copy_role", &[("id", role)], Refused),
        call(
            "save_role",
            &[("id", role), ("name", "Stolen"), ("perms[contacts]", "on")],
            Refused,
        ),
        call("delete_role", &[("id", role)], Refused),
        call("messages", &[], NothingOfB),
        call(
            "save_message",
            &[
                ("id", message),
                ("name", "Changed"),
                ("subject", "Changed"),
                ("body", "Changed"),
            ],
            Refused,
        ),
        call("copy_message", &[("id", message)], Refused),
        call("delete_message", &[("id", message)], Refused),
        call("send_test_message", &[("id", message)], Refused),
    ];
    for action in ["revoke", "grant_again", "resend", "approve", "deny"] {
        calls.push(call(
            "change_account_manager",
            &[("id", grant), ("action", action)],
            Refused,
        ));
    }
    // These change or end the caller's own session (a log in ends the one it was sent with): last.
    calls.push(call("back_to_my_account", &[], NothingOfB));
    calls.extend([
        call(
            "sign_up",
            &[
                ("first_name", "Second"),
                ("last_name", "Owner"),
                ("email", &b.owner_email),
                ("password", "correct horse battery"),
                ("account_name", "Copy"),
            ],
            // Answered as any sign-up (B's owner is emailed), and B is untouched.
            NothingOfB,
        ),
        call(
            "log_in",
            &[("email", &b.owner_email), ("password", "not the password")],
            Refused,
        ),
    ]);
    calls.push(call("log_out", &[], NothingOfB));
    calls
}

/// B as stored: every record of B, read with the fields a change would show in.
pub(super) async fn snapshot(app: &TestApp, account: &str) -> String {
    let mut res = app
        .services
        .db
        .query(
            "LET $b = type::record('account', $key);
             LET $users = SELECT VALUE user FROM membership WHERE account = $b;
             RETURN <string> {
                 account: (SELECT * OMIT team_version FROM $b),
                 roles: (SELECT * FROM role WHERE account = $b ORDER BY id),
                 memberships: (SELECT * FROM membership WHERE account = $b ORDER BY id),
                 users: (SELECT * FROM user WHERE id IN $users ORDER BY id),
                 sessions: (SELECT id, user, acting_account, expires_at, auth_version FROM session WHERE acting_account = $b ORDER BY id),
                 grants: (SELECT * FROM grant WHERE client_account = $b OR managing_account = $b ORDER BY id),
                 contacts: (SELECT * FROM contact WHERE account = $b ORDER BY id),
                 notes: (SELECT * FROM note WHERE account = $b ORDER BY id),
                 fields: (SELECT * FROM custom_field WHERE account = $b ORDER BY id),
                 messages: (SELECT * FROM message WHERE account = $b ORDER BY id),
                 tags: (SELECT * FROM tag WHERE account = $b ORDER BY id),
                 audit: (SELECT id, action, detail, actor_name FROM audit WHERE account = $b ORDER BY id),
                 api_keys: (SELECT * FROM api_key WHERE account = $b ORDER BY id),
                 webhooks: (SELECT * FROM webhook_endpoint WHERE account = $b ORDER BY id),
                 deliveries: (SELECT id, endpoint, event_type, payload FROM webhook_delivery WHERE account = $b ORDER BY id),
                 -- A reset link, or the notice of a sign-up with their email, that anyone may have
                 -- sent to B's own inbox (one a minute) are the mail a stranger can cause; they
                 -- give the stranger nothing.
                 mail: (SELECT id, to, subject FROM outbox WHERE to IN (SELECT VALUE email FROM user WHERE id IN $users)
                     AND subject NOT IN ['Choose a new Steward password', 'Someone tried to sign up with your email']
                     ORDER BY id),
             };",
        )
        .bind(("key", account.to_string()))
        .await
        .expect("snapshot")
        .check()
        .expect("snapshot");
    let text: Option<String> = res.take(2).expect("snapshot");
    let text = text.expect("snapshot");
    assert!(
        text.contains("Bertha") && text.contains("BravoMessage"),
        "B's records are read: {text}"
    );
    text
}

async fn key_of(app: &TestApp, sql: &str, account: &str) -> String {
    app.services
        .db
        .query(sql)
        .bind(("b", db::rid("account", account)))
        .await
        .expect("query")
        .take::<Vec<String>>(0)
        .expect("ids")
        .pop()
        .unwrap_or_else(|| panic!("nothing for {sql}"))
}

async fn ok(app: &TestApp, function: &str, form: &[(&str, &str)], cookie: &str) -> Reply {
    let r = app.call(function, form, Some(cookie)).await;
    assert!(r.status.is_success(), "{function}: {} {}", r.status, r.body);
    r
}

pub(super) async fn account_b(app: &TestApp) -> Foreign {
    let owner_email = "bea@bravo.com";
    let bea = app.sign_up(owner_email).await;
    let account = {
        let login = accounts::find_login(&app.services.db, owner_email)
            .await
            .expect("db")
            .expect("bea");
        accounts::home_account(&app.services.db, &login.id)
            .await
            .expect("db")
            .expect("home")
    };
    let builder = accounts::default_role_key(&account, DefaultRole::Builder).to_string();
    ok(
        app,
        "save_contact",
        &[
            ("id", ""),
            ("first_name", "Bertha"),
            ("last_name", "Bravo-Contact"),
            ("email", "bertha@bravo-clients.com"),
            ("phone", ""),
            ("tags", "bravo-tag"),
        ],
        &bea,
    )
    .await;
    let contact = key_of(
        app,
        "SELECT VALUE record::id(id) FROM contact WHERE account = $b",
        &account,
    )
    .await;
    ok(
        app,
        "save_note",
        &[("contact", &contact), ("id", ""), ("body", "bravo-note-secret")],
        &bea,
    )
    .await;
    let note = key_of(
        app,
        "SELECT VALUE record::id(id) FROM note WHERE account = $b",
        &account,
    )
    .await;
    ok(
        app,
        "create_custom_field",
        &[("field_name", "BravoField"), ("kind", "text")],
        &bea,
    )
    .await;
    let field = key_of(
        app,
        "SELECT VALUE record::id(id) FROM custom_field WHERE account = $b",
        &account,
    )
    .await;
    let role = ok(app, "copy_role", &[("id", &builder)], &bea)
        .await
        .body
        .trim_matches('"')
        .to_string();
    ok(
        app,
        "save_message",
        &[
            ("id", ""),
            ("name", "BravoMessage"),
            ("subject", "Bravo news"),
            ("body", "Hello"),
        ],
        &bea,
    )
    .await;
    let message = key_of(
        app,
        "SELECT VALUE record::id(id) FROM message WHERE account = $b AND name = 'BravoMessage'",
        &account,
    )
    .await;
    ok(
        app,
        "save_user",
        &[
            ("id", ""),
            ("first_name", "Bob"),
            ("last_name", "Bravo"),
            ("email", "bob@bravo.com"),
            ("password", "a fine long password"),
            ("role", &builder),
        ],
        &bea,
    )
    .await;
    let user = accounts::find_login(&app.services.db, "bob@bravo.com")
        .await
        .expect("db")
        .expect("bob")
        .id;
    // B's webhook endpoint hears of the invitation below: B then has a delivery too.
    ok(
        app,
        "add_webhook_endpoint",
        &[
            ("url", "https://hooks.bravo-systems.com/steward"),
            ("description", "BravoHook"),
            ("events[grant.invited]", "on"),
        ],
        &bea,
    )
    .await;
    let webhook = key_of(
        app,
        "SELECT VALUE record::id(id) FROM webhook_endpoint WHERE account = $b",
        &account,
    )
    .await;
    ok(
        app,
        "invite_account_manager",
        &[("email", "gil@golf-agency.com"), ("role", &builder)],
        &bea,
    )
    .await;
    let grant = key_of(
        app,
        "SELECT VALUE record::id(id) FROM grant WHERE client_account = $b",
        &account,
    )
    .await;
    let session = key_of(
        app,
        "SELECT VALUE record::id(id) FROM session WHERE acting_account = $b",
        &account,
    )
    .await;
    ok(
        app,
        "create_api_key",
        &[("name", "BravoKey"), ("role", &builder), ("expires", "90")],
        &bea,
    )
    .await;
    let api_key = key_of(
        app,
        "SELECT VALUE record::id(id) FROM api_key WHERE account = $b",
        &account,
    )
    .await;
    let delivery = key_of(
        app,
        "SELECT VALUE record::id(id) FROM webhook_delivery WHERE account = $b",
        &account,
    )
    .await;
    let markers = [
        account.clone(),
        owner_email.to_string(),
        "bob@bravo.com".into(),
        user.clone(),
        role.clone(),
        contact.clone(),
        note.clone(),
        field.clone(),
        message.clone(),
        grant.clone(),
        session.clone(),
        "Bertha".into(),
        "bravo-note-secret".into(),
        "BravoField".into(),
        "BravoMessage".into(),
        "gil@golf-agency.com".into(),
        "bravo-tag".into(),
        api_key.clone(),
        "BravoKey".into(),
        webhook.clone(),
        delivery.clone(),
        "BravoHook".into(),
        "bravo-systems".into(),
    ]
    .to_vec();
    Foreign {
        account,
        owner_email: owner_email.into(),
        user,
        role,
        contact,
        note,
        field,
        message,
        grant,
        session,
        api_key,
        webhook,
        delivery,
        markers,
    }
}

/// A manager of a new agency logged in to A through a grant with `role`.
async fn manager_in(app: &TestApp, a_owner: &str, a_email: &str, role: DefaultRole, n: usize) -> String {
    let agency = app.sign_up(&format!("pat{n}@agency{n}.com")).await;
    ok(
        app,
        "request_access",
        &[("client_email", a_email), ("role", role.key())],
        &agency,
    )
    .await;
    let agency_key = {
        let login = accounts::find_login(&app.services.db, &format!("pat{n}@agency{n}.com"))
            .await
            .expect("db")
            .expect("pat");
        accounts::home_account(&app.services.db, &login.id)
            .await
            .expect("db")
            .expect("home")
    };
    let grant = key_of(
        app,
        "SELECT VALUE record::id(id) FROM grant WHERE managing_account = $b",
        &agency_key,
    )
    .await;
    ok(
        app,
        "change_account_manager",
        &[("id", &grant), ("action", "approve")],
        a_owner,
    )
    .await;
    let r = ok(app, "log_in_to_managed_account", &[("id", &grant)], &agency).await;
    r.cookie.unwrap_or(agency)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_another_accounts_records() {
    let app = TestApp::with_args(&["--login-burst", "1000"]).await;
    let b = account_b(&app).await;

    let a_email = "ann@alpha.com";
    let mut personas: Vec<(String, String)> = vec![("owner".into(), app.sign_up(a_email).await)];
    let a_owner = personas[0].1.clone();
    for (i, role) in DefaultRole::ALL.into_iter().enumerate() {
        let cookie = app.team_user(a_email, &format!("team{i}@alpha.com"), role).await;
        personas.push((format!("team {}", role.name()), cookie));
    }
    for (i, role) in DefaultRole::ALL.into_iter().enumerate() {
        let cookie = manager_in(&app, &a_owner, a_email, role, i).await;
        personas.push((format!("manager with {}", role.name()), cookie));
    }

    // The table covers every registered server function.
    let calls = table(&b);
    let covered: std::collections::BTreeSet<String> =
        calls.iter().map(|c| format!("/api/{}", c.function)).collect();
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "server functions the table does not cover: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "the table names functions that are not registered: {unknown:?}"
    );

    app::audit::chain::seal_all(&app.services).await.expect("seal");
    let before = snapshot(&app, &b.account).await;
    let mut failures = Vec::new();
    for (who, cookie) in &personas {
        for c in &calls {
            let form: Vec<(&str, &str)> = c.form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let r = app.call(c.function, &form, Some(cookie)).await;
            // What the answer shows of B beyond the ids the caller sent itself.
            let leaked: Vec<&String> = if r.status.is_success() {
                b.markers
                    .iter()
                    .filter(|m| r.body.contains(m.as_str()) && !c.form.iter().any(|(_, v)| v == *m))
                    .collect()
            } else {
                Vec::new()
            };
            let bad = r.status.is_server_error()
                || !leaked.is_empty()
                || (c.expect == Expect::Refused && !r.status.is_client_error())
                || (c.expect == Expect::NoneDone
                    && r.status.is_success()
                    && !r.body.contains("\"succeeded\":0"));
            if bad {
                failures.push(format!(
                    "{who} {} {:?}: {} {} {:?}",
                    c.function,
                    c.form,
                    r.status,
                    r.body.chars().take(200).collect::<String>(),
                    leaked
                ));
            }
        }
    }
    app::audit::chain::seal_all(&app.services).await.expect("seal");
    let after = snapshot(&app, &b.account).await;
    assert!(
        failures.is_empty(),
        "{} calls went wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(before, after, "account B changed");
    println!(
        "{} server functions, {} calls each for {} personas: {:?}",
        registered.len(),
        calls.len(),
        personas.len(),
        personas.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>()
    );
}
