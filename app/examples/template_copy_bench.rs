//! How fast is creating an account from a large template?
//!
//! `cargo run -p app --features ssr --example template_copy_bench --release -- [contacts...]`
//! For each size (default 1000 10000 100000) it fills an embedded on-disk database (surrealkv)
//! with a template of 100 custom fields, 50 tags, 200 messages and that many contacts (each with
//! 3 tags and 5 field values), then creates client accounts from it through the same service
//! call the "Create account" button makes, 5 times, and prints the median and the spread.
use std::time::{Duration, Instant};

use app::core::db;
use app::core::services::{Services, Settings};
use app::identity::service::{self as identity, SignUp};
use app::managed_accounts::service::{self as managed, NewClientAccount};

// The server's allocator (server/src/main.rs): glibc's malloc took a third of a copy's time here.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() {
    // The server runs with a tracing subscriber. Without any, tracing falls back to `log` and
    // SurrealDB's storage-level trace spans format every key they name: 6% of a copy's time here.
    tracing::subscriber::set_global_default(tracing::subscriber::NoSubscriber::default())
        .expect("the only subscriber");
    let sizes: Vec<i64> = {
        let args: Vec<i64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
        if args.is_empty() {
            vec![1_000, 10_000, 100_000]
        } else {
            args
        }
    };
    println!("contacts | fill | copy median (min-max of 5) | per contact");
    for contacts in sizes {
        run(contacts).await;
    }
}

async fn run(contacts: i64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("surrealkv://{}", dir.path().join("bench.db").display());
    let services = Services::new(app::connect(&url).await.expect("db"), Settings::default());
    identity::sign_up(
        &services,
        SignUp {
            first_name: "Bench".into(),
            last_name: "Agency".into(),
            email: "bench@agency.com".into(),
            password: "correct horse battery".into(),
            account_name: "Bench Agency".into(),
        },
        "",
    )
    .await
    .expect("sign up");
    // The emailed link, opened as the person would.
    let links: Vec<String> = services
        .db
        .query(
            "SELECT VALUE link FROM outbox WHERE link != NONE AND string::contains(link, '/signup/confirm/')",
        )
        .await
        .expect("outbox")
        .take(0)
        .expect("link");
    let link = links[0].rsplit('/').next().expect("token");
    let (token, _) = identity::confirm_sign_up(&services, link).await.expect("confirm");
    let agency = identity::actor_for_token(&services, &token)
        .await
        .expect("lookup")
        .expect("actor");

    let filled = Instant::now();
    services
        .db
        .query(
            "BEGIN TRANSACTION;
             CREATE account:bench_tpl SET name = 'Bench template', status = 'free_trial', is_template = true;
             CREATE template:bench SET name = 'Bench', owner_account = $agency, content_account = account:bench_tpl;
             FOR $i IN 0..100 {
                 CREATE type::record('custom_field', 'bf' + <string> $i) SET account = account:bench_tpl,
                     name = 'Field ' + <string> $i, kind = 'text';
             };
             FOR $i IN 0..50 {
                 CREATE type::record('tag', 'bt' + <string> $i) SET account = account:bench_tpl, name = 'Tag ' + <string> $i;
             };
             FOR $i IN 0..200 {
                 CREATE message SET account = account:bench_tpl, name = 'Message ' + <string> $i,
                     subject = 'Hello {{Field ' + <string> ($i % 100) + '}}', body = 'Body of message ' + <string> $i,
                     fields = [type::record('custom_field', 'bf' + <string> ($i % 100))];
             };
             COMMIT TRANSACTION;",
        )
        .bind(("agency", db::rid("account", &agency.account_id)))
        .await
        .expect("fill")
        .check()
        .expect("fill ok");
    for batch in 0..(contacts + 9_999) / 10_000 {
        let from = batch * 10_000;
        let to = (from + 10_000).min(contacts);
        services
            .db
            .query("INSERT INTO contact $rows")
            .bind(("rows", rows(from, to)))
            .await
            .expect("contacts")
            .check()
            .expect("contacts ok");
    }
    let fill = filled.elapsed();

    let mut times: Vec<Duration> = Vec::new();
    for run in 0..5 {
        let started = Instant::now();
        managed::create_account(
            &services,
            &agency,
            NewClientAccount {
                name: format!("Copy {run}"),
                level: "basic".into(),
                cms_plan: "none".into(),
                payer: "agency".into(),
                login_email: format!("copy{run}@clients.com"),
                data: "template".into(),
                template: "bench".into(),
                sandbox: false,
            },
        )
        .await
        .expect("create from template");
        times.push(started.elapsed());
    }
    let copied: Option<i64> = services
        .db
        .query("RETURN count(SELECT id FROM contact WHERE account.name = 'Copy 0')")
        .await
        .expect("count")
        .take(0)
        .expect("take");
    assert_eq!(copied, Some(contacts), "every contact copied");
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{contacts:>8} | {:>6.1} s | {:>7.0} ms ({:.0}-{:.0}) | {:.1} µs",
        fill.as_secs_f64(),
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / contacts as f64
    );
}

/// Contacts `from..to` of the template, each with 3 tags and 5 custom field values.
fn rows(from: i64, to: i64) -> Vec<surrealdb::types::Value> {
    use surrealdb::types::SurrealValue;
    #[derive(SurrealValue)]
    struct Row {
        account: surrealdb::types::RecordId,
        first_name: String,
        last_name: String,
        email: String,
        phone: String,
        tags: Vec<surrealdb::types::RecordId>,
        fields: Vec<app::contacts::service::FieldValue>,
    }
    (from..to)
        .map(|i| {
            Row {
                account: db::rid("account", "bench_tpl"),
                first_name: format!("First{i}"),
                last_name: format!("Last{i}"),
                email: format!("contact{i}@example.com"),
                phone: format!("+1 555 {i:07}"),
                tags: (0..3)
                    .map(|t| db::rid("tag", &format!("bt{}", (i + t * 17) % 50)))
                    .collect(),
                fields: (0..5)
                    .map(|f| app::contacts::service::FieldValue {
                        field: db::rid("custom_field", &format!("bf{}", (i + f * 23) % 100)),
                        value: format!("value {i}-{f}"),
                    })
                    .collect(),
            }
            .into_value()
        })
        .collect()
}
