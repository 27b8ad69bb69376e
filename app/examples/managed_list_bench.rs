//! How fast is the Managed accounts list with 10,000 managed accounts?
//!
//! `cargo run -p app --features ssr --example managed_list_bench [--release] -- [rows]`
//! Fills an embedded on-disk database (surrealkv) with one agency managing `rows` client accounts,
//! then times the list's queries (first page, a far page, each sort, a search), 7 runs each, and
//! prints the median.
use std::time::{Duration, Instant};

use app::core::db;
use app::core::services::{Services, Settings};
use app::identity::service::{self as identity, SignUp};
use app::managed_accounts::service as managed;

// The server's allocator (server/src/main.rs): glibc's malloc took a third of a copy's time here.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() {
    let rows: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
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
    // Client accounts with a primary admin and an Admin role, each with an Active grant to the
    // agency: the same records the app makes, written in batches.
    for batch in 0..(rows + 999) / 1000 {
        let from = batch * 1000;
        let to = (from + 1000).min(rows);
        services
            .db
            .query(
                "BEGIN TRANSACTION;
                 FOR $i IN $from..$to {
                     LET $key = string::concat('bench', <string> $i);
                     LET $acc = type::record('account', $key);
                     LET $usr = type::record('user', $key);
                     LET $role = type::record('role', string::concat($key, '_admin'));
                     CREATE $acc SET name = string::concat('Client ', <string> $i), status = IF $i % 3 = 0 THEN 'active' ELSE 'free_trial' END;
                     CREATE $usr SET email = string::concat('owner', <string> $i, '@clients.com'), first_name = 'O', last_name = 'Wner', password_hash = 'x';
                     CREATE $role SET account = $acc, name = 'Admin', default_key = 'admin', permissions = ['dashboard'];
                     CREATE membership SET user = $usr, account = $acc, role = $role;
                     UPDATE $acc SET primary_admin = $usr;
                     CREATE grant SET client_account = $acc, managing_account = $agency, manager_email = 'bench@agency.com',
                         role = $role, state = 'active', initiated_by = 'agency', live_key = string::concat($key, '|bench');
                 };
                 COMMIT TRANSACTION;",
            )
            .bind(("from", from))
            .bind(("to", to))
            .bind(("agency", db::rid("account", &agency.account_id)))
            .await
            .expect("fill")
            .check()
            .expect("fill ok");
    }
    println!(
        "filled {rows} managed accounts in {:.1} s",
        filled.elapsed().as_secs_f64()
    );

    // The pager's Next and Previous read page 200 from the page next to it: their cursors.
    let next_of = |sort: &'static str, desc: bool, page: i64| {
        let (services, agency) = (&services, &agency);
        async move {
            managed::list(services, agency, "", sort, desc, page)
                .await
                .expect("list")
        }
    };
    let after_199 = next_of("name", false, 199).await.next.expect("a page 200");
    let before_201 = next_of("name", false, 201).await.previous.expect("a page 200");
    let after_199_desc = next_of("name", true, 199).await.next.expect("a page 200");
    let after_199_state = next_of("state", false, 199).await.next.expect("a page 200");

    let cases: [(&str, &str, &str, bool, i64, &str); 14] = [
        ("first page, by name", "", "name", false, 0, ""),
        ("page 200, by name", "", "name", false, 200, ""),
        ("page 200 from 199's Next", "", "name", false, 200, &after_199),
        (
            "page 200 from 201's Previous",
            "",
            "name",
            false,
            200,
            &before_201,
        ),
        ("page 200 desc. from Next", "", "name", true, 200, &after_199_desc),
        (
            "page 200 by access from Next",
            "",
            "state",
            false,
            200,
            &after_199_state,
        ),
        ("by name, descending", "", "name", true, 0, ""),
        ("by owner email", "", "owner_email", false, 0, ""),
        ("by owner email, descending", "", "owner_email", true, 0, ""),
        ("by role", "", "role_name", false, 0, ""),
        ("by account access", "", "state", false, 0, ""),
        ("by account status", "", "account_status", false, 0, ""),
        ("search 'client 12' (111 rows)", "client 12", "name", false, 0, ""),
        ("search 'owner77@' (1 row)", "owner77@", "name", false, 0, ""),
    ];
    for (label, search, sort, desc, page, cursor) in cases {
        let mut times: Vec<Duration> = Vec::new();
        let mut total = 0;
        for _ in 0..7 {
            let t = Instant::now();
            let list = managed::list_from(&services, &agency, search, sort, desc, page, cursor)
                .await
                .expect("list");
            times.push(t.elapsed());
            total = list.total;
        }
        times.sort();
        println!(
            "{label:<32} {total:>6} rows  median {:>7.1} ms",
            times[3].as_secs_f64() * 1000.0
        );
    }
}
