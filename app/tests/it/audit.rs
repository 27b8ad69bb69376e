//! The audit log: a hash chain per account that shows deleted and edited entries, and the
//! page's filters and CSV export.
use crate::common::{contact, services, sign_up};

use app::audit::chain::{self, Break};
use app::audit::model::AuditQuery;
use app::audit::service as audit;
use app::contacts::service as contacts;
use app::core::accounts;
use app::core::domain::DefaultRole;
use app::core::services::{Actor, ServiceError, Services};
use app::identity::service as identity;
use app::users::service::{self as users, UserInput};

/// An account with `n` contacts created (one audit entry each, after its creation's own).
async fn account_with_entries(s: &Services, email: &str, n: usize) -> Actor {
    let (_, owner) = sign_up(s, email, "Audited Co").await;
    for i in 0..n {
        contacts::create(s, &owner, contact(&format!("C{i}")))
            .await
            .expect("contact");
    }
    owner
}

/// (seq, id key) of an account's entries in chain order.
async fn chain_of(s: &Services, account: &str) -> Vec<(i64, String)> {
    s.db.query("SELECT VALUE [seq, record::id(id)] FROM audit_link WHERE account = $a ORDER BY seq")
        .bind(("a", app::core::db::rid("account", account)))
        .await
        .expect("read")
        .take::<Vec<(i64, String)>>(0)
        .expect("rows")
}

async fn breaks(s: &Services) -> Vec<Break> {
    chain::verify(s).await.expect("verify").breaks
}

#[tokio::test]
async fn every_entry_is_chained_in_its_account_and_the_chains_verify() {
    let s = services().await;
    let a = account_with_entries(&s, "ann@a.com", 5).await;
    let b = account_with_entries(&s, "bob@b.com", 3).await;
    let before = chain::verify(&s).await.expect("verify");
    assert!(before.unsealed >= 8, "written unchained: {}", before.unsealed);
    let sealed = chain::seal_all(&s).await.expect("seal");
    assert!(sealed >= 8);
    let report = chain::verify(&s).await.expect("verify");
    assert_eq!(report.unsealed, 0);
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert!(report.entries >= 8);
    for (who, at_least) in [(&a, 6), (&b, 4)] {
        let chain = chain_of(&s, who.account_id.as_ref()).await;
        assert!(chain.len() >= at_least, "{chain:?}");
        let places: Vec<i64> = chain.iter().map(|(seq, _)| *seq).collect();
        assert_eq!(
            places,
            (1..=chain.len() as i64).collect::<Vec<_>>(),
            "one place each, no gap"
        );
    }
    // More entries later continue the same chain.
    contacts::create(&s, &a, contact("Later")).await.expect("contact");
    chain::seal_all(&s).await.expect("seal");
    assert!(breaks(&s).await.is_empty());
    let hashes: Vec<(Option<String>, Option<String>)> =
        s.db.query("SELECT VALUE [prev_hash, hash] FROM audit_link WHERE account = $a ORDER BY seq")
            .bind(("a", app::core::db::rid("account", a.account_id.as_ref())))
            .await
            .expect("read")
            .take(0)
            .expect("rows");
    for pair in hashes.windows(2) {
        assert_eq!(
            pair[1].0, pair[0].1,
            "each entry carries the hash of the one before"
        );
    }
    assert_eq!(hashes[0].0.as_deref(), Some(""));
}

#[tokio::test]
async fn a_deleted_an_edited_or_a_removed_newest_entry_is_named() {
    let s = services().await;
    let a = account_with_entries(&s, "ann@a.com", 4).await;
    let b = account_with_entries(&s, "bob@b.com", 4).await;
    let c = account_with_entries(&s, "cid@c.com", 4).await;
    let d = account_with_entries(&s, "dee@d.com", 4).await;
    let e = account_with_entries(&s, "eve@e.com", 4).await;
    chain::seal_all(&s).await.expect("seal");
    assert!(breaks(&s).await.is_empty());
    let (a_key, b_key, c_key) = (
        a.account_id.to_string(),
        b.account_id.to_string(),
        c.account_id.to_string(),
    );
    let a_chain = chain_of(&s, &a_key).await;
    let b_chain = chain_of(&s, &b_key).await;
    let c_chain = chain_of(&s, &c_key).await;
    // A: the third entry deleted. B: the second entry's details changed. C: the newest deleted.
    s.db.query(
        "DELETE type::record('audit', $a3);
         UPDATE type::record('audit', $b2) SET detail = 'Nothing happened here';
         DELETE type::record('audit', $cn);",
    )
    .bind(("a3", a_chain[2].1.clone()))
    .bind(("b2", b_chain[1].1.clone()))
    .bind(("cn", c_chain.last().expect("newest").1.clone()))
    .await
    .expect("tamper")
    .check()
    .expect("tampered");
    let mut found = breaks(&s).await;
    found.sort_by(|x, y| x.account.cmp(&y.account));
    assert_eq!(
        found.len(),
        3,
        "{found:?}; D and E are untouched: {} {}",
        d.account_id,
        e.account_id
    );
    let of = |key: &str| found.iter().find(|b| b.account == key).cloned().expect("named");
    let a_break = of(&a_key);
    assert_eq!(a_break.seq, 3);
    assert!(a_break.reason.contains("missing"), "{a_break}");
    let b_break = of(&b_key);
    assert_eq!(
        (b_break.seq, b_break.entry.clone()),
        (2, Some(b_chain[1].1.clone()))
    );
    assert!(b_break.reason.contains("changed"), "{b_break}");
    let c_break = of(&c_key);
    assert_eq!(c_break.seq, c_chain.len() as i64);
    assert!(c_break.reason.contains("missing"), "{c_break}");
    // Moving an entry's text into another and fixing up its hash by hand still breaks the next.
    let d_key = d.account_id.to_string();
    let d_chain = chain_of(&s, &d_key).await;
    s.db.query("UPDATE type::record('audit_link', $d1) SET hash = 'forged'")
        .bind(("d1", d_chain[0].1.clone()))
        .await
        .expect("tamper")
        .check()
        .expect("tampered");
    let d_break = breaks(&s)
        .await
        .into_iter()
        .find(|b| b.account == d_key)
        .expect("D named");
    assert_eq!(d_break.seq, 1);
    // An entry deleted with its place in the chain leaves a gap.
    let e_key = e.account_id.to_string();
    let e_chain = chain_of(&s, &e_key).await;
    s.db.query("DELETE type::record('audit', $e2); DELETE type::record('audit_link', $e2);")
        .bind(("e2", e_chain[1].1.clone()))
        .await
        .expect("tamper")
        .check()
        .expect("tampered");
    let e_break = breaks(&s)
        .await
        .into_iter()
        .find(|b| b.account == e_key)
        .expect("E named");
    assert_eq!(e_break.seq, 2);
    assert!(e_break.reason.contains("from entry 1 to entry 3"), "{e_break}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn entries_written_at_once_while_two_sealers_run_form_one_unbroken_chain() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "ann@a.com", "Busy Co").await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Two sealers, as two servers would run.
    let sealers: Vec<_> = (0..2)
        .map(|_| {
            let (s, stop) = (s.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let _ = chain::seal_pending(&s).await;
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
            })
        })
        .collect();
    let writers: Vec<_> = (0..60)
        .map(|i| {
            let (s, owner) = (s.clone(), owner.clone());
            tokio::spawn(async move { contacts::create(&s, &owner, contact(&format!("P{i}"))).await })
        })
        .collect();
    for w in writers {
        w.await.expect("task").expect("contact");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in sealers {
        t.await.expect("sealer");
    }
    chain::seal_all(&s).await.expect("seal the rest");
    let report = chain::verify(&s).await.expect("verify");
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!(report.unsealed, 0);
    let chain = chain_of(&s, owner.account_id.as_ref()).await;
    let total: i64 =
        s.db.query("RETURN count(SELECT * FROM audit WHERE account = $a)")
            .bind(("a", app::core::db::rid("account", owner.account_id.as_ref())))
            .await
            .expect("count")
            .take::<Option<i64>>(0)
            .expect("n")
            .expect("n");
    assert!(total >= 61);
    assert_eq!(chain.len() as i64, total, "every entry has exactly one place");
}

#[tokio::test]
async fn the_log_filters_by_user_action_and_days_and_exports_what_it_shows() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let admin_role = accounts::default_role_key(&owner.account_id, DefaultRole::Admin);
    let una_id = users::add(
        &s,
        &owner,
        UserInput {
            first_name: "Una".into(),
            last_name: "User".into(),
            email: "una@client.com".into(),
            password: "a fine password".into(),
            role_id: admin_role.to_string(),
        },
    )
    .await
    .expect("add");
    let token = identity::log_in(&s, "una@client.com", "a fine password")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    let una = identity::actor_for_token(&s, &token)
        .await
        .expect("lookup")
        .expect("actor");
    contacts::create(&s, &una, contact("By Una"))
        .await
        .expect("contact");
    contacts::create(&s, &owner, contact("By Olga"))
        .await
        .expect("contact");
    chain::seal_all(&s).await.expect("seal");

    let everything = audit::list(&s, &owner, &AuditQuery::default())
        .await
        .expect("list");
    assert!(everything.entries.len() >= 4, "{:?}", everything.entries);
    assert!(everything
        .users
        .iter()
        .any(|c| c.value == *una_id && c.label.contains("Una")));
    assert!(everything.actions.iter().any(|c| c.value == "contact.created"));

    let by_una = audit::list(
        &s,
        &owner,
        &AuditQuery {
            user: una_id.to_string(),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("by user");
    assert!(!by_una.entries.is_empty());
    assert!(
        by_una.entries.iter().all(|e| e.who.contains("una@client.com")),
        "{:?}",
        by_una.entries
    );

    let created = audit::list(
        &s,
        &owner,
        &AuditQuery {
            action: "contact.created".into(),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("by action");
    assert_eq!(created.entries.len(), 2);
    assert!(created.entries.iter().all(|e| e.action == "contact.created"));

    let both = audit::list(
        &s,
        &owner,
        &AuditQuery {
            user: una_id.to_string(),
            action: "contact.created".into(),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("both");
    assert_eq!(both.entries.len(), 1);
    assert!(both.entries[0].detail.contains("By Una"), "{:?}", both.entries[0]);

    let today = chrono::Utc::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let today_only = audit::list(
        &s,
        &owner,
        &AuditQuery {
            from: day(today),
            to: day(today),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("today");
    assert_eq!(today_only.entries.len(), everything.entries.len());
    let tomorrow = audit::list(
        &s,
        &owner,
        &AuditQuery {
            from: day(today.succ_opt().expect("tomorrow")),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("tomorrow");
    assert!(tomorrow.entries.is_empty());
    let yesterday = audit::list(
        &s,
        &owner,
        &AuditQuery {
            to: day(today.pred_opt().expect("yesterday")),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("yesterday");
    assert!(yesterday.entries.is_empty());
    let bad = audit::list(
        &s,
        &owner,
        &AuditQuery {
            from: "yesterday".into(),
            ..AuditQuery::default()
        },
    )
    .await;
    assert!(
        matches!(bad, Err(ServiceError::Invalid(ref f)) if f[0].0 == "from"),
        "{bad:?}"
    );

    let csv = audit::export_csv(
        &s,
        &owner,
        &AuditQuery {
            action: "contact.created".into(),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "When (UTC),Who,From agency,What,Details,Entry,Hash");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1..].iter().all(|l| l.contains("contact.created")));
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.rsplit(',').next().is_some_and(|h| h.len() == 64)),
        "{csv}"
    );

    // Another account's log is not visible through its user ids.
    let (_, stranger) = sign_up(&s, "sam@other.com", "Other Co").await;
    let peek = audit::list(
        &s,
        &stranger,
        &AuditQuery {
            user: una_id.to_string(),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("own log");
    assert!(peek.entries.is_empty());
    assert!(peek.users.iter().all(|c| c.value != *una_id));
}

#[tokio::test]
async fn an_export_of_many_entries_of_one_instant_writes_each_once() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    // 2,500 entries sharing one instant: more than a batch of the export.
    s.db.query(
        "LET $t = time::now();
         FOR $i IN 1..=2500 {
             LET $e = CREATE ONLY audit SET account = $a, actor_name = 'Script', action = 'test.bulk',
                 detail = <string> $i, at = $t;
             CREATE type::record('audit_pending', record::id($e.id)) SET account = $a;
         };",
    )
    .bind(("a", app::core::db::rid("account", owner.account_id.as_ref())))
    .await
    .expect("write")
    .check()
    .expect("written");
    let csv = audit::export_csv(
        &s,
        &owner,
        &AuditQuery {
            action: "test.bulk".into(),
            ..AuditQuery::default()
        },
    )
    .await
    .expect("csv");
    let mut details: Vec<u32> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).expect("detail").parse().expect("number"))
        .collect();
    details.sort_unstable();
    assert_eq!(details, (1..=2500).collect::<Vec<_>>());
}

#[tokio::test]
async fn log_ins_and_a_managers_way_in_and_out_are_logged() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = crate::common::granted(&s, DefaultRole::Builder).await;
    identity::log_in(&s, "olga@client.com", "correct horse battery")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    let managing = app::managed_accounts::service::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in to the client");
    let inside = crate::common::actor(&s, &managing).await;
    app::managed_accounts::service::back_home(&s, &inside, &managing)
        .await
        .expect("back");
    chain::seal_all(&s).await.expect("seal");
    let log = audit::list(&s, &owner, &AuditQuery::default())
        .await
        .expect("log")
        .entries;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for expected in ["user.logged_in", "manager.logged_in", "manager.back_home"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let back = log
        .iter()
        .find(|e| e.action == "manager.back_home")
        .expect("back");
    assert_eq!(back.via.as_deref(), Some("Agency Inc"));
    assert!(breaks(&s).await.is_empty());
}

/// Migration 0016 moves the chain out of the entries: a log chained by an older Steward (places
/// and hashes on the entries, unchained ones marked `unsealed`) still verifies after it, and its
/// unchained entries are chained by the new sealer after the old ones.
#[tokio::test]
async fn a_log_chained_before_the_links_still_verifies_and_goes_on() {
    let db = surrealdb::engine::any::connect("mem://").await.expect("db");
    db.use_ns("steward").use_db("steward").await.expect("ns");
    app::core::db::migrate_up_to(&db, 15)
        .await
        .expect("schema of 0015");
    db.query(
        "CREATE account:acme SET name = 'Acme', level = 'agency', status = 'active';
         CREATE audit:old1 SET account = account:acme, actor_name = 'Ann', action = 'contact.created',
             detail = 'Added A', at = d'2026-11-01T10:00:00Z';
         CREATE audit:old2 SET account = account:acme, actor_name = 'Ann', action = 'contact.created',
             detail = 'Added B', at = d'2026-11-01T10:00:01Z';
         CREATE audit:old3 SET account = account:acme, actor_name = 'Ann', action = 'contact.created',
             detail = 'Added C', at = d'2026-11-01T10:00:02Z', unsealed = true;",
    )
    .await
    .expect("write")
    .check()
    .expect("old entries");
    // Chained as 0014 did: the place and hashes on the entry itself, and the account's head.
    let ns = |s: u32| 1_793_527_200_000_000_000_i64 + i64::from(s) * 1_000_000_000;
    let mut prev = String::new();
    for (seq, (id, detail)) in [("old1", "Added A"), ("old2", "Added B")].iter().enumerate() {
        let seq = seq as i64 + 1;
        let hash = chain::entry_hash(
            &prev,
            &chain::Fields {
                account: "acme",
                seq,
                at_ns: ns(seq as u32 - 1),
                actor_user: None,
                actor_name: "Ann",
                via_account: None,
                action: "contact.created",
                detail,
            },
        );
        db.query("UPDATE type::record('audit', $id) SET seq = $seq, prev_hash = $prev, hash = $hash")
            .bind(("id", id.to_string()))
            .bind(("seq", seq))
            .bind(("prev", prev.clone()))
            .bind(("hash", hash.clone()))
            .await
            .expect("chain")
            .check()
            .expect("chained");
        prev = hash;
    }
    db.query("UPSERT audit_head:acme SET seq = 2, hash = $hash")
        .bind(("hash", prev))
        .await
        .expect("head")
        .check()
        .expect("head written");

    app::core::db::migrate_up_to(&db, i64::MAX)
        .await
        .expect("the rest");
    let s = Services::new(db, app::core::services::Settings::default());
    let report = chain::verify(&s).await.expect("verify");
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!((report.entries, report.unsealed), (2, 1));
    chain::seal_all(&s).await.expect("seal");
    let report = chain::verify(&s).await.expect("verify");
    assert!(report.breaks.is_empty(), "{:?}", report.breaks);
    assert_eq!((report.entries, report.unsealed), (3, 0));
    assert_eq!(
        chain_of(&s, "acme").await,
        vec![(1, "old1".into()), (2, "old2".into()), (3, "old3".into())]
    );
    // The entries no longer carry chain fields.
    let leftovers: Vec<surrealdb::types::Value> =
        s.db.query("SELECT VALUE seq ?? hash ?? unsealed FROM audit")
            .await
            .expect("read")
            .take(0)
            .expect("values");
    assert!(
        leftovers
            .iter()
            .all(|v| matches!(v, surrealdb::types::Value::None)),
        "{leftovers:?}"
    );
}

/// The API's total: exact up to the cap, then the cap and "not exact"; counted through the
/// filter's index, so another account's entries and other actions don't count.
#[tokio::test]
async fn counts_are_exact_up_to_the_cap_and_say_when_they_stop() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "counted@audit.com", "Counted Co").await;
    let (_, other) = sign_up(&s, "other@audit.com", "Other Co").await;
    let everything = AuditQuery::default();
    let (before, exact) = audit::count(&s, &owner, &everything).await.expect("count");
    assert!(exact && before >= 1, "the sign-up's own entries: {before}");
    // Past the cap, written straight to the table: 1,000 audited changes would take minutes.
    s.db.query(
        "FOR $i IN 0..1010 { CREATE audit SET account = $acc, at = time::now(), actor_name = 'Seeder',
            action = IF $i < 7 { 'seed.rare' } ELSE { 'seed.common' }, detail = '' }",
    )
    .bind(("acc", app::core::db::rid("account", &owner.account_id)))
    .await
    .expect("seed")
    .check()
    .expect("seeded");
    assert_eq!(
        audit::count(&s, &owner, &everything).await.expect("count"),
        (audit::COUNT_CAP, false)
    );
    let rare = AuditQuery {
        action: "seed.rare".into(),
        ..AuditQuery::default()
    };
    assert_eq!(audit::count(&s, &owner, &rare).await.expect("count"), (7, true));
    assert_eq!(audit::count(&s, &other, &rare).await.expect("count"), (0, true));
}
