//! Bad input to every server function (issue 15): each field of each call of the isolation
//! table in turn gets an empty, a long, a huge, a unicode, a negative, an overflowing, a
//! malformed and a wrongly typed value. Every answer is a success or a 4xx a person can read;
//! never a 5xx. The calls are made by the owner of the account whose records the table names
//! (so that the input itself is checked, not only whose it is) and by another account's owner.
//! A refused call of the owner changes none of the account's records (the isolation test's
//! snapshot, read before and after it).
use super::isolation::{account_b, snapshot, table};
use super::*;

const BAD: &[&str] = &[
    "",
    "   ",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "[1,2]",
    "{\"a\":1}",
    "a@@b..c",
    "名前🙂\u{202e}txt",
    "\u{0}\u{7}\u{1b}[31m",
    "'; DELETE user; --",
    "../../etc/passwd",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_values_in_every_field_answer_4xx_with_a_message_never_5xx() {
    let app = TestApp::with_args(&["--dev", "--login-burst", "100000"]).await;
    let b = account_b(&app).await;
    let stranger = app.sign_up("ann@alpha.com").await;
    let long = "é".repeat(20_000);
    let huge = "x".repeat(1024 * 1024);
    let mut values: Vec<&str> = BAD.to_vec();
    values.push(&long);
    values.push(&huge);

    let mut failures = Vec::new();
    let mut unchanged_failures = Vec::new();
    let mut answered = 0;
    let mut refused_checked = 0;
    for who in ["the records' owner", "a stranger"] {
        for c in table(&b) {
            // Logged in afresh for each function: one that ends the session (log out, a log in)
            // must not leave the next ones answering 401 only.
            let owner = if who == "a stranger" {
                stranger.clone()
            } else {
                // The table's own wrong-password log-ins locked this email: the harness lifts it.
                app::identity::throttle::succeeded(&app.services.db, &b.owner_email)
                    .await
                    .expect("lift the lock");
                let r = app
                    .call(
                        "log_in",
                        &[
                            ("email", b.owner_email.as_str()),
                            ("password", "correct horse battery"),
                        ],
                        None,
                    )
                    .await;
                r.cookie
                    .unwrap_or_else(|| panic!("B's owner logs in: {} {}", r.status, r.body))
            };
            // The call with no fields at all, then each field spoiled in turn.
            let mut forms: Vec<Vec<(String, String)>> = vec![Vec::new()];
            for (i, _) in c.form.iter().enumerate() {
                for v in &values {
                    let mut form = c.form.clone();
                    form[i].1 = v.to_string();
                    forms.push(form);
                }
            }
            let checks_writes = who == "the records' owner";
            let mut before = if checks_writes {
                Some(snapshot(&app, &b.account).await)
            } else {
                None
            };
            for form in forms {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let r = app.call(c.function, &pairs, Some(&owner)).await;
                answered += 1;
                if let Some(was) = before.take() {
                    let now = snapshot(&app, &b.account).await;
                    if r.status.is_client_error() && now != was {
                        unchanged_failures.push(format!(
                            "{} {:?} answered {} but changed the account's records",
                            c.function,
                            form.iter()
                                .map(|(k, v)| format!("{k}={}", v.chars().take(24).collect::<String>()))
                                .collect::<Vec<_>>(),
                            r.status
                        ));
                    }
                    refused_checked += usize::from(r.status.is_client_error());
                    before = Some(now);
                }
                let readable = r.status.is_success()
                    || r.status.is_redirection()
                    || (r.status.is_client_error() && readable_message(&r.body));
                if !readable {
                    let shown: Vec<String> = form
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.chars().take(24).collect::<String>()))
                        .collect();
                    failures.push(format!(
                        "{who}: {} {:?}: {} {}",
                        c.function,
                        shown,
                        r.status,
                        r.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {answered} answers were not a readable refusal:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(answered > 1000, "{answered}");
    assert!(
        unchanged_failures.is_empty(),
        "{} of {refused_checked} refused calls wrote:\n{}",
        unchanged_failures.len(),
        unchanged_failures.join("\n")
    );
    assert!(refused_checked > 500, "{refused_checked}");
}

/// A refusal a person can read: Steward's JSON error with a message, or a plain sentence (the
/// body limit's and the limiter's answers).
fn readable_message(body: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(json) => {
            let text = json.to_string();
            !text.contains("\"Internal\"") && text.len() > 8
        }
        Err(_) => !body.trim().is_empty() && body.len() < 1000,
    }
}
