//! Issue 17: webhooks. Every event of the catalogue reaches the endpoints of the accounts it
//! concerns once, signed the Standard Webhooks way, through a real HTTP receiver on 127.0.0.1;
//! a receiver that fails is tried again and its attempts are shown; endpoints are checked,
//! scoped to their account, and kept from owners' managers.
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use hmac::{Hmac, Mac};

use crate::common::{actor, granted, last_link, sign_up};
use app::core::accounts::default_role_key;
use app::core::domain::events::EventType;
use app::core::domain::DefaultRole;
use app::core::services::{ServiceError, Services, Settings};
use app::grants::service::{self as grants, OwnerAction};
use app::managed_accounts::service::{self as managed, NewClientAccount};
use app::users::service::{self as users, UserAction, UserInput};
use app::webhooks::delivery::{self, Sender};
use app::webhooks::service as webhooks;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// An HTTP receiver on 127.0.0.1 that answers each POST with `status` and keeps what it got.
struct Receiver {
    base: String,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<Mutex<u16>>,
}

impl Receiver {
    async fn start() -> Self {
        Self::on(tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind")).await
    }

    async fn on(listener: tokio::net::TcpListener) -> Self {
        use axum::http::{HeaderMap, StatusCode, Uri};
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(Mutex::new(204u16));
        let (kept, answer) = (got.clone(), status.clone());
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: String| {
            let (kept, answer) = (kept.clone(), answer.clone());
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                kept.lock().expect("lock").push(Received {
                    path: uri.path().to_string(),
                    id: header("webhook-id"),
                    timestamp: header("webhook-timestamp"),
                    signature: header("webhook-signature"),
                    body,
                });
                let code = *answer.lock().expect("lock");
                StatusCode::from_u16(code).expect("status")
            }
        });
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Self { base, got, status }
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }
}

/// Services that may send to 127.0.0.1, as `STEWARD_WEBHOOKS_ALLOW_PRIVATE=true` makes them.
async fn services() -> Services {
    Services::new(
        crate::common::fresh_db().await,
        Settings {
            dev_mode: true,
            webhooks_allow_private: true,
            ..Settings::default()
        },
    )
}

/// Sends until nothing is due now; returns how many were delivered.
async fn send_all(s: &Services) -> usize {
    let sender = Sender::new(true).expect("sender");
    let mut delivered = 0;
    for _ in 0..10 {
        let n = delivery::send_due(s, &sender).await.expect("send");
        if n == 0 {
            break;
        }
        delivered += n;
    }
    delivered
}

/// Checks the signature the way a receiver does, with the secret it was given.
fn verify(secret: &str, r: &Received) {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ secret"))
        .expect("base64 secret");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("key");
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    assert_eq!(r.signature, expected, "the signature of {} checks out", r.id);
    let sent: i64 = r.timestamp.parse().expect("a unix timestamp");
    assert!((chrono::Utc::now().timestamp() - sent).abs() < 60);
}

fn all_events() -> Vec<(String, String)> {
    EventType::ALL
        .iter()
        .map(|e| (format!("events[{}]", e.as_str()), "on".into()))
        .collect()
}

fn names(events: &[(String, String)]) -> Vec<String> {
    events
        .iter()
        .map(|(k, _)| k.trim_start_matches("events[").trim_end_matches(']').to_string())
        .collect()
}

fn una(role: &str) -> UserInput {
    UserInput {
        first_name: "Una".into(),
        last_name: "User".into(),
        email: "una@client.com".into(),
        password: "una's own password".into(),
        role_id: role.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_reaches_the_accounts_it_concerns_once_and_signed() {
    let s = services().await;
    let receiver = Receiver::start().await;
    let (agency_token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let all = names(&all_events());
    let agency_hook = webhooks::add(&s, &agency, &format!("{}/agency", receiver.base), "CRM", &all)
        .await
        .expect("the agency's endpoint");
    let client_hook = webhooks::add(&s, &owner, &format!("{}/client", receiver.base), "", &all)
        .await
        .expect("the client's endpoint");
    assert!(agency_hook.secret.starts_with("whsec_"));
    assert_ne!(agency_hook.secret, client_hook.secret);

    // The agency asks, the owner grants; the manager goes in and back.
    let grant = managed::request_access(&s, &agency, "olga@client.com", "builder")
        .await
        .expect("request");
    let token = last_link(&s, "olga@client.com", "/requests/").await;
    managed::decide_request(&s, &owner, &token, true)
        .await
        .expect("grant");
    let inside = managed::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("log in");
    let manager = actor(&s, &inside).await;
    managed::back_home(&s, &manager, &inside).await.expect("back");
    // The owner revokes and grants again.
    grants::owner_action(&s, &owner, &grant, OwnerAction::Revoke)
        .await
        .expect("revoke");
    grants::owner_action(&s, &owner, &grant, OwnerAction::GrantAgain)
        .await
        .expect("grant again");
    // Users of the client account.
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    let una_id = users::add(&s, &owner, una(&admin)).await.expect("add");
    users::act(&s, &owner, &una_id, UserAction::ForceLogout)
        .await
        .expect("force out");
    users::act(&s, &owner, &una_id, UserAction::Delete)
        .await
        .expect("delete");
    // Invitations: one accepted by a third agency, one rejected, one deleted, one expired.
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);
    let (_, third) = sign_up(&s, "tess@third.com", "Third Agency").await;
    grants::invite(&s, &owner, "tess@third.com", &builder, "")
        .await
        .expect("invite");
    let link = last_link(&s, "tess@third.com", "/invitations/").await;
    grants::answer_invitation(&s, &third, &link, true)
        .await
        .expect("accept");
    let (_, fourth) = sign_up(&s, "finn@fourth.com", "Fourth Agency").await;
    grants::invite(&s, &owner, "finn@fourth.com", &builder, "")
        .await
        .expect("invite");
    let link = last_link(&s, "finn@fourth.com", "/invitations/").await;
    grants::answer_invitation(&s, &fourth, &link, false)
        .await
        .expect("reject");
    let deleted = grants::invite(&s, &owner, "dora@else.com", &builder, "")
        .await
        .expect("invite");
    grants::delete(&s, &owner, &deleted).await.expect("delete");
    grants::invite(&s, &owner, "eve@late.com", &builder, "")
        .await
        .expect("invite");
    s.db.query("UPDATE grant SET token_expires_at = time::now() - 1s WHERE manager_email = 'eve@late.com'")
        .await
        .expect("age the link");
    assert_eq!(grants::sweep(&s).await.expect("sweep").0, 1);
    // The agency: a request denied, a client account made, the client unlinked.
    let (_, other) = sign_up(&s, "omar@other.com", "Other Co").await;
    managed::request_access(&s, &agency, "omar@other.com", "builder")
        .await
        .expect("request");
    let token = last_link(&s, "omar@other.com", "/requests/").await;
    managed::decide_request(&s, &other, &token, false)
        .await
        .expect("deny");
    managed::create_account(
        &s,
        &agency,
        NewClientAccount {
            name: "New Client".into(),
            level: "basic".into(),
            cms_plan: "none".into(),
            payer: "client".into(),
            login_email: "nina@newclient.com".into(),
            data: "blank".into(),
            template: String::new(),
            sandbox: false,
        },
    )
    .await
    .expect("create");
    managed::unlink(&s, &agency, &grant).await.expect("unlink");

    let queued = send_all(&s).await;
    let got = receiver.got();
    assert_eq!(queued, got.len(), "each delivery is one request");
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut ids = std::collections::HashSet::new();
    for r in &got {
        let secret = if r.path == "/agency" {
            &agency_hook.secret
        } else {
            &client_hook.secret
        };
        verify(secret, r);
        assert!(ids.insert(r.id.clone()), "{} arrived once", r.id);
        let body: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
        assert!(body["id"].as_str().is_some_and(|id| id.starts_with("evt_")));
        assert!(body["timestamp"].as_str().is_some());
        let kind = body["type"].as_str().expect("type").to_string();
        seen.entry(if r.path == "/agency" { "agency" } else { "client" })
            .or_default()
            .push(kind);
    }
    let sorted = |mut v: Vec<&str>| {
        v.sort_unstable();
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let mut agency_got = seen.remove("agency").unwrap_or_default();
    let mut client_got = seen.remove("client").unwrap_or_default();
    agency_got.sort_unstable();
    client_got.sort_unstable();
    assert_eq!(
        agency_got,
        sorted(vec![
            "grant.requested",
            "grant.granted",
            "manager.logged_in",
            "manager.back_home",
            "grant.revoked",
            "grant.granted",
            "grant.requested",
            "grant.denied",
            "managed_account.created",
            "managed_account.unlinked",
        ]),
        "the agency hears of its grants, its visits and its client accounts"
    );
    assert_eq!(
        client_got,
        sorted(vec![
            "grant.requested",
            "grant.granted",
            "manager.logged_in",
            "manager.back_home",
            "grant.revoked",
            "grant.granted",
            "user.added",
            "user.forced_out",
            "user.deleted",
            "grant.invited",
            "grant.accepted",
            "grant.invited",
            "grant.rejected",
            "grant.invited",
            "grant.deleted",
            "grant.invited",
            "grant.expired",
            "managed_account.unlinked",
        ]),
        "the client hears of its grants, its managers' visits and its users"
    );
    // What a payload says: the grant, its state and both accounts, once the agency may know them.
    let granted: serde_json::Value = got
        .iter()
        .filter(|r| r.path == "/agency")
        .map(|r| serde_json::from_str::<serde_json::Value>(&r.body).expect("json"))
        .find(|b| b["type"] == "grant.granted")
        .expect("granted");
    assert_eq!(granted["data"]["grant"]["id"], grant.to_string());
    assert_eq!(granted["data"]["grant"]["state"], "active");
    assert_eq!(granted["data"]["grant"]["client_account"]["name"], "Client Co");
    assert_eq!(granted["data"]["grant"]["agency_account"]["name"], "Agency Inc");
    // Before the owner answers, the agency is shown only the email it typed.
    let requested: serde_json::Value = got
        .iter()
        .filter(|r| r.path == "/agency")
        .map(|r| serde_json::from_str::<serde_json::Value>(&r.body).expect("json"))
        .find(|b| b["type"] == "grant.requested")
        .expect("requested");
    assert!(requested["data"]["grant"]["client_account"].is_null());
    assert!(requested["data"]["grant"]["requested_email"].is_string());

    // Nothing is sent twice, and every delivery shows as Delivered on its account's page.
    assert_eq!(send_all(&s).await, 0);
    assert_eq!(receiver.got().len(), got.len());
    let page = webhooks::page(&s, &agency).await.expect("page");
    assert_eq!(page.deliveries.len(), 10);
    assert!(page
        .deliveries
        .iter()
        .all(|d| d.status == "Delivered" && d.attempts.len() == 1));
    assert_eq!(page.deliveries[0].attempts[0].result, "HTTP 204");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_endpoint_is_tried_again_later_with_each_attempt_shown() {
    let s = services().await;
    let receiver = Receiver::start().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    webhooks::add(
        &s,
        &owner,
        &format!("{}/hook", receiver.base),
        "",
        &["user.added".to_string()],
    )
    .await
    .expect("endpoint");
    *receiver.status.lock().expect("lock") = 500;
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    users::add(&s, &owner, una(&admin)).await.expect("add");
    assert_eq!(send_all(&s).await, 0, "a 500 is not a delivery");
    assert_eq!(receiver.got().len(), 1);
    let page = webhooks::page(&s, &owner).await.expect("page");
    let d = &page.deliveries[0];
    assert_eq!((d.status.as_str(), d.attempts.len()), ("Pending", 1));
    assert_eq!(d.attempts[0].result, "HTTP 500");
    assert!(d.next_attempt.is_some(), "the next try is shown");

    // Not again before its time; then again, with the same id and body, and delivered.
    assert_eq!(send_all(&s).await, 0);
    assert_eq!(receiver.got().len(), 1, "the retry waits its 5 s");
    *receiver.status.lock().expect("lock") = 200;
    tokio::time::sleep(std::time::Duration::from_millis(5_200)).await;
    assert_eq!(send_all(&s).await, 1);
    let got = receiver.got();
    assert_eq!(got.len(), 2);
    assert_eq!(
        (got[0].id.as_str(), got[0].body.as_str()),
        (got[1].id.as_str(), got[1].body.as_str())
    );
    let page = webhooks::page(&s, &owner).await.expect("page");
    let d = &page.deliveries[0];
    assert_eq!(d.status, "Delivered");
    assert_eq!(
        d.attempts.iter().map(|a| a.result.as_str()).collect::<Vec<_>>(),
        ["HTTP 500", "HTTP 200"]
    );
    assert!(d.next_attempt.is_none());
}

#[tokio::test]
async fn endpoints_are_checked_kept_to_their_account_and_from_managers() {
    let s = crate::common::services().await; // private addresses refused, as in production
    let (agency_token, agency, _, owner, grant) = granted(&s, DefaultRole::Admin).await;
    let events = ["user.added".to_string()];
    for (url, says) in [
        ("http://127.0.0.1:9/hook", "must start with https://"),
        ("https://127.0.0.1/hook", "public addresses"),
        ("https://localhost/hook", "public addresses"),
        ("https://169.254.169.254/latest", "public addresses"),
        ("not a url", "full URL"),
    ] {
        match webhooks::add(&s, &owner, url, "", &events).await {
            Err(ServiceError::Invalid(fields)) => {
                let message = fields.iter().find(|(f, _)| f == "url").map(|(_, m)| m.clone());
                assert!(
                    message.as_deref().is_some_and(|m| m.contains(says)),
                    "{url}: {message:?}"
                );
            }
            other => panic!("{url} is refused, got {other:?}"),
        }
    }
    assert!(matches!(
        webhooks::add(&s, &owner, "https://hooks.example.com/a", "", &[]).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        webhooks::add(
            &s,
            &owner,
            "https://hooks.example.com/a",
            "",
            &["grant.nothing".into()]
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
    let made = webhooks::add(&s, &owner, "https://hooks.example.com/a", "", &events)
        .await
        .expect("a public https endpoint");
    let page = webhooks::page(&s, &owner).await.expect("page");
    assert_eq!(page.endpoints.len(), 1);
    let id = page.endpoints[0].id.clone();
    assert_eq!(
        webhooks::secret(&s, &owner, &id).await.expect("secret"),
        made.secret
    );
    assert!(matches!(
        webhooks::add(&s, &owner, "https://hooks.example.com/a", "", &events).await,
        Err(ServiceError::Conflict(_))
    ));
    // The secret is derived, never stored.
    let stored: Vec<serde_json::Value> =
        s.db.query("SELECT * FROM webhook_endpoint")
            .await
            .expect("q")
            .take(0)
            .expect("rows");
    let stored = serde_json::to_string(&stored).expect("json");
    assert!(!stored.contains(made.secret.trim_start_matches("whsec_")));

    // Another account sees none of it and can't touch it.
    assert!(webhooks::page(&s, &agency)
        .await
        .expect("page")
        .endpoints
        .is_empty());
    assert!(matches!(
        webhooks::delete(&s, &agency, &id).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        webhooks::secret(&s, &agency, &id).await,
        Err(ServiceError::NotFound(_))
    ));
    // The owner's manager, in the client account, can't add endpoints nor read their secret:
    // an endpoint would go on telling the agency of the account after the grant ends.
    let inside = managed::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("log in");
    let manager = actor(&s, &inside).await;
    for refused in [
        webhooks::add(&s, &manager, "https://hooks.example.com/b", "", &events)
            .await
            .map(|_| ()),
        webhooks::secret(&s, &manager, &id).await.map(|_| ()),
        webhooks::delete(&s, &manager, &id).await,
    ] {
        match refused {
            Err(ServiceError::Forbidden(m)) => {
                assert!(m.contains("Account managers can't change webhooks"), "{m}")
            }
            other => panic!("a manager is refused, got {other:?}"),
        }
    }
    // Pausing and deleting: the paused endpoint is sent nothing new; deleting removes it.
    webhooks::set_enabled(&s, &owner, &id, false)
        .await
        .expect("pause");
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    users::add(&s, &owner, una(&admin)).await.expect("add");
    let queued: Option<i64> =
        s.db.query("RETURN count(SELECT * FROM webhook_delivery)")
            .await
            .expect("q")
            .take(0)
            .expect("n");
    assert_eq!(queued, Some(0), "a paused endpoint is sent nothing new");
    webhooks::delete(&s, &owner, &id).await.expect("delete");
    assert!(webhooks::page(&s, &owner)
        .await
        .expect("page")
        .endpoints
        .is_empty());
    assert!(matches!(
        webhooks::delete(&s, &owner, &id).await,
        Err(ServiceError::NotFound(_))
    ));
}

#[tokio::test]
async fn settled_deliveries_are_deleted_after_thirty_days_and_pending_ones_kept() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    webhooks::add(
        &s,
        &owner,
        "https://hooks.example.com/a",
        "",
        &["user.added".to_string()],
    )
    .await
    .expect("endpoint");
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    users::add(&s, &owner, una(&admin)).await.expect("add");
    let one: Vec<String> =
        s.db.query("SELECT VALUE record::id(id) FROM webhook_delivery")
            .await
            .expect("q")
            .take(0)
            .expect("ids");
    assert_eq!(one.len(), 1);
    // Three more copies of it: delivered 31 days ago, failed 31 days ago, delivered yesterday, and
    // the pending one as it is.
    s.db.query(
        "LET $d = SELECT * FROM ONLY type::record('webhook_delivery', $id);
         FOR $old IN [['delivered', 31d], ['failed', 31d], ['delivered', 1d]] {
             CREATE webhook_delivery SET endpoint = $d.endpoint, account = $d.account,
                 event_type = $d.event_type, payload = $d.payload, status = $old[0],
                 next_attempt_at = time::now() - $old[1];
         };",
    )
    .bind(("id", one[0].clone()))
    .await
    .expect("old deliveries")
    .check()
    .expect("made");
    let statuses = |s: Services| async move {
        let mut v: Vec<String> =
            s.db.query("SELECT VALUE status FROM webhook_delivery")
                .await
                .expect("q")
                .take(0)
                .expect("statuses");
        v.sort_unstable();
        v
    };
    assert_eq!(
        statuses(s.clone()).await,
        ["delivered", "delivered", "failed", "pending"]
    );
    assert_eq!(delivery::prune_old(&s).await.expect("prune"), 2);
    assert_eq!(statuses(s.clone()).await, ["delivered", "pending"]);
}

#[tokio::test]
async fn a_delivery_whose_endpoint_vanished_is_given_up_and_the_rest_go_on() {
    let s = services().await;
    let receiver = Receiver::start().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let events = ["user.added".to_string()];
    for path in ["/kept", "/vanished"] {
        webhooks::add(&s, &owner, &format!("{}{path}", receiver.base), "", &events)
            .await
            .expect("endpoint");
    }
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    users::add(&s, &owner, una(&admin)).await.expect("add");
    // Removed behind Steward's back (a delete through the page takes its deliveries along).
    s.db.query("DELETE webhook_endpoint WHERE string::ends_with(url, '/vanished')")
        .await
        .expect("delete")
        .check()
        .expect("deleted");
    assert_eq!(
        send_all(&s).await,
        1,
        "the other endpoint still gets its delivery"
    );
    assert_eq!(
        receiver.got().iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        ["/kept"]
    );
    let given_up: Vec<String> =
        s.db.query("SELECT VALUE status FROM webhook_delivery WHERE status != 'delivered'")
            .await
            .expect("q")
            .take(0)
            .expect("statuses");
    assert_eq!(given_up, ["failed"], "given up at once, not retried for a day");
}

/// Two adds at the same moment: the account's rules hold as if they came one after the other,
/// whichever server or task runs them. One URL is one endpoint, and the cap is never passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adds_at_the_same_moment_keep_one_endpoint_per_url_and_the_cap() {
    let s = crate::common::services().await;
    let (_, owner) = sign_up(&s, "race@hooks.com", "Race").await;
    let events = ["user.added".to_string()];
    let same_url = (0..8).map(|_| {
        let (s, owner, events) = (s.clone(), owner.clone(), events.clone());
        tokio::spawn(
            async move { webhooks::add(&s, &owner, "https://hooks.example.com/same", "", &events).await },
        )
    });
    let results = futures::future::join_all(same_url).await;
    let added = results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
    assert_eq!(added, 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(Ok(_)) | Ok(Err(ServiceError::Conflict(_))))),
        "the others are refused as a duplicate: {results:?}"
    );

    let cap = 20; // the cap of endpoints per account
    for i in 1..cap - 1 {
        webhooks::add(&s, &owner, &format!("https://hooks.example.com/{i}"), "", &events)
            .await
            .expect("under the cap");
    }
    // One place is left; six adds race for it.
    let racing = (0..6).map(|i| {
        let (s, owner, events) = (s.clone(), owner.clone(), events.clone());
        tokio::spawn(async move {
            webhooks::add(
                &s,
                &owner,
                &format!("https://hooks.example.com/race{i}"),
                "",
                &events,
            )
            .await
        })
    });
    let results = futures::future::join_all(racing).await;
    assert_eq!(
        results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .all(|r| matches!(r, Ok(Ok(_)) | Ok(Err(ServiceError::Conflict(_))))));
    let page = webhooks::page(&s, &owner).await.expect("page");
    assert_eq!(page.endpoints.len() as i64, cap);
    // Deleting one makes room for exactly one more.
    webhooks::delete(&s, &owner, &page.endpoints[0].id)
        .await
        .expect("delete");
    webhooks::add(&s, &owner, "https://hooks.example.com/after", "", &events)
        .await
        .expect("room again");
    assert!(matches!(
        webhooks::add(&s, &owner, "https://hooks.example.com/over", "", &events).await,
        Err(ServiceError::Conflict(_))
    ));
}
