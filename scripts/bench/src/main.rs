//! Load driver for `scripts/bench.sh`: seeds a Steward server through its server functions, and
//! runs the flows that take several requests (invite + accept, log in to a managed account +
//! back). Talks only to a loopback address, for a bounded time.
//!
//!   steward-bench seed BASE USERS CLIENTS OWNERS
//!   steward-bench cookie BASE EMAIL            prints a session cookie (for oha)
//!   steward-bench invite-accept BASE SECONDS CONCURRENCY
//!   steward-bench switch BASE SECONDS CONCURRENCY
//!   steward-bench live BASE SERVER_PID CHANNELS ROUNDS   live channels: memory and delay
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

const PASSWORD: &str = "bench password 1";
const ADMIN: &str = "admin@agency.bench";

fn agency_user(i: usize) -> String {
    format!("user{i}@agency.bench")
}
fn owner(i: usize) -> String {
    format!("owner{i}@owner.bench")
}

type Failure = String;

/// The Steward servers under test: one base URL, or several separated by commas (servers on one
/// database), which the requests take turns at as a load balancer would.
#[derive(Clone)]
struct Server {
    http: reqwest::Client,
    bases: Arc<Vec<String>>,
    turn: Arc<AtomicUsize>,
    base: String,
}

impl Server {
    fn new(bases: &str) -> Result<Self, Failure> {
        let bases: Vec<String> = bases
            .split(',')
            .map(|b| b.trim_end_matches('/').to_string())
            .collect();
        for base in &bases {
            let host = base
                .strip_prefix("http://")
                .and_then(|rest| rest.split([':', '/']).next())
                .unwrap_or_default();
            if !matches!(host, "127.0.0.1" | "localhost") {
                return Err(format!("{base}: the driver only talks to 127.0.0.1 or localhost"));
            }
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(256)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            base: bases[0].clone(),
            bases: Arc::new(bases),
            turn: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The server the next request goes to.
    fn next_base(&self) -> &str {
        &self.bases[self.turn.fetch_add(1, Ordering::Relaxed) % self.bases.len()]
    }

    /// Calls a server function; returns its JSON answer and the new session cookie, if one was set.
    async fn call(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> Result<(Value, Option<String>), Failure> {
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.next_base()))
            .header("Accept", "application/json")
            .form(form);
        if let Some(c) = cookie {
            req = req.header("Cookie", format!("steward_session={c}"));
        }
        let res = req.send().await.map_err(|e| format!("{endpoint}: {e}"))?;
        let status = res.status();
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("steward_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .find(|v| !v.is_empty());
        let body = res.text().await.map_err(|e| format!("{endpoint}: {e}"))?;
        if !status.is_success() && !status.is_redirection() {
            return Err(format!("{endpoint}: {status} {body}"));
        }
        let json = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&body).unwrap_or(Value::String(body))
        };
        Ok((json, cookie))
    }

    async fn log_in(&self, email: &str) -> Result<String, Failure> {
        let (_, cookie) = self
            .call("log_in", None, &[("email", email), ("password", PASSWORD)])
            .await?;
        cookie.ok_or_else(|| format!("log in {email}: no session cookie"))
    }

    /// Signs up and opens the emailed link, which the server (in development mode) shows this
    /// client in the Mailbox by the `steward_sign_up` cookie its answer sets.
    async fn sign_up(&self, email: &str, account: &str) -> Result<String, Failure> {
        let res = self
            .http
            .post(format!("{}/api/sign_up", self.base))
            .header("Accept", "application/json")
            .form(&[
                ("first_name", "Bench"),
                ("last_name", "Person"),
                ("email", email),
                ("password", PASSWORD),
                ("account_name", account),
            ])
            .send()
            .await
            .map_err(|e| format!("sign up {email}: {e}"))?;
        let browser = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("steward_sign_up="))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .find(|v| !v.is_empty())
            .ok_or_else(|| format!("sign up {email}: no sign-up cookie (is STEWARD_DEV=true?)"))?;
        let mails: Value = self
            .http
            .post(format!("{}/api/mailbox", self.base))
            .header("Accept", "application/json")
            .header("Cookie", format!("steward_sign_up={browser}"))
            .send()
            .await
            .map_err(|e| format!("mailbox {email}: {e}"))?
            .json()
            .await
            .map_err(|e| format!("mailbox {email}: {e}"))?;
        let link = mails
            .as_array()
            .and_then(|m| m.iter().find_map(|m| m["link"].as_str()))
            .and_then(|l| l.rsplit('/').next())
            .ok_or_else(|| format!("sign up {email}: no link in {mails}"))?
            .to_string();
        let (_, cookie) = self.call("confirm_sign_up", None, &[("token", &link)]).await?;
        cookie.ok_or_else(|| format!("sign up {email}: no session cookie"))
    }
}

/// Runs `count` jobs, `parallel` at a time; stops at the first failure.
async fn in_parallel<F, Fut>(count: usize, parallel: usize, job: F) -> Result<(), Failure>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), Failure>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let job = Arc::new(job);
    let mut tasks: Vec<tokio::task::JoinHandle<Result<(), Failure>>> = Vec::new();
    for _ in 0..parallel {
        let (next, job) = (next.clone(), job.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return Ok(());
                }
                job(i).await?;
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}

/// An agency (its admin and `users` more team users, all Admins) managing `clients` accounts it
/// created, and `owners` other accounts.
async fn seed(s: &Server, users: usize, clients: usize, owners: usize) -> Result<(), Failure> {
    let started = Instant::now();
    let admin = s.sign_up(ADMIN, "Bench Agency").await?;
    let (srv, a) = (s.clone(), admin.clone());
    in_parallel(users, 4, move |i| {
        let (s, a) = (srv.clone(), a.clone());
        async move {
            let email = agency_user(i);
            s.call(
                "save_user",
                Some(&a),
                &[
                    ("first_name", "Team"),
                    ("last_name", &format!("User {i:04}")),
                    ("email", &email),
                    ("password", PASSWORD),
                ],
            )
            .await
            .map(drop)
        }
    })
    .await?;
    eprintln!("seeded {users} team users in {:.1?}", started.elapsed());
    let (srv, a) = (s.clone(), admin.clone());
    in_parallel(clients, 8, move |i| {
        let (s, a) = (srv.clone(), a.clone());
        async move {
            s.call(
                "create_client_account",
                Some(&a),
                &[
                    ("name", &format!("Client {i:06}")),
                    ("level", "basic"),
                    ("cms_plan", "none"),
                    ("payer", if i % 2 == 0 { "agency" } else { "client" }),
                    ("login_email", &format!("client{i}@client.bench")),
                    ("data", "blank"),
                ],
            )
            .await
            .map(drop)
        }
    })
    .await?;
    eprintln!("seeded {clients} client accounts in {:.1?}", started.elapsed());
    let srv = s.clone();
    in_parallel(owners, 4, move |i| {
        let s = srv.clone();
        async move { s.sign_up(&owner(i), &format!("Owner {i:04}")).await.map(drop) }
    })
    .await?;
    eprintln!("seeded {owners} owners in {:.1?}", started.elapsed());
    Ok(())
}

/// Pair latencies of a timed run, and its failures.
#[derive(Default)]
struct Run {
    latencies: Vec<Duration>,
    failures: usize,
    first_failure: Option<String>,
    /// The servers' CPU time over the run, when known.
    cpu_ms: Option<f64>,
}

/// CPU time the servers used so far, in ms: the processes `BENCH_SERVER_PIDS` names (comma
/// separated, as scripts/bench.sh passes them), `BENCH_CLK_TCK` ticks a second. `None` without.
fn servers_cpu_ms() -> Option<f64> {
    let pids = std::env::var("BENCH_SERVER_PIDS").ok()?;
    let hz: f64 = std::env::var("BENCH_CLK_TCK").ok()?.parse().ok()?;
    let mut ticks = 0u64;
    for pid in pids.split(',').filter(|p| !p.is_empty()) {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        ticks += fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    }
    Some(ticks as f64 * 1000.0 / hz)
}

/// Runs `pair` as [`timed`] does and adds the servers' CPU time over the timed part alone (the
/// sessions logged in before it, argon2 and all, are left out).
async fn timed_cpu<S, F, Fut>(seconds: u64, states: Vec<S>, pair: F) -> Run
where
    S: Send + 'static,
    F: Fn(usize, S) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = (S, Result<(), Failure>)> + Send,
{
    let before = servers_cpu_ms();
    let mut run = timed(seconds, states, pair).await;
    run.cpu_ms = before.zip(servers_cpu_ms()).map(|(b, a)| a - b);
    run
}

fn report(flow: &str, requests_per_pair: usize, seconds: f64, run: &Run) {
    let mut l = run.latencies.clone();
    l.sort();
    let cpu = run
        .cpu_ms
        .filter(|_| !l.is_empty())
        .map(|ms| format!("\t{:.2} ms CPU/pair", ms / l.len() as f64))
        .unwrap_or_default();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{flow}\t{:.1} pairs/s\t{:.1} req/s\tp50 {:.1} ms\tp99 {:.1} ms{cpu}\t{} failed{}",
        l.len() as f64 / seconds,
        (l.len() * requests_per_pair) as f64 / seconds,
        pct(0.5),
        pct(0.99),
        run.failures,
        run.first_failure
            .as_ref()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default()
    );
}

/// Runs `pair` from `concurrency` workers for `seconds`; each worker has its own state.
async fn timed<S, F, Fut>(seconds: u64, states: Vec<S>, pair: F) -> Run
where
    S: Send + 'static,
    F: Fn(usize, S) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = (S, Result<(), Failure>)> + Send,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let pair = Arc::new(pair);
    let turn = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for state in states {
        let (pair, turn) = (pair.clone(), turn.clone());
        tasks.push(tokio::spawn(async move {
            let mut run = Run::default();
            let mut state = state;
            while Instant::now() < deadline {
                let t = Instant::now();
                let (next, outcome) = pair(turn.fetch_add(1, Ordering::Relaxed), state).await;
                state = next;
                match outcome {
                    Ok(()) => run.latencies.push(t.elapsed()),
                    Err(e) => {
                        run.failures += 1;
                        run.first_failure.get_or_insert(e);
                    }
                }
            }
            run
        }));
    }
    let mut all = Run::default();
    for t in tasks {
        if let Ok(run) = t.await {
            all.latencies.extend(run.latencies);
            all.failures += run.failures;
            if all.first_failure.is_none() {
                all.first_failure = run.first_failure;
            }
        }
    }
    all
}

/// Owner `i` logged in, and the id of their account's Manager role (what they invite with).
async fn owner_session(s: &Server, i: usize) -> Result<(String, String), Failure> {
    let cookie = s.log_in(&owner(i)).await?;
    let (list, _) = s.call("account_managers", Some(&cookie), &[]).await?;
    let role = list["roles"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["name"] == "Manager"))
        .and_then(|r| r["id"].as_str())
        .ok_or("no Manager role")?
        .to_string();
    Ok((cookie, role))
}

/// Owner `o` invites agency user `u` (a new pair each time), copies the link from their list,
/// and the agency user opens it and accepts: four requests.
async fn invite_accept(
    s: &Server,
    seconds: u64,
    concurrency: usize,
    users: usize,
    owners: usize,
) -> Result<(), Failure> {
    let mut owner_sessions = Vec::new();
    for i in 0..owners {
        let (cookie, role) = owner_session(s, i).await?;
        owner_sessions.push((cookie, role));
    }
    let mut user_sessions = Vec::new();
    for i in 0..users {
        user_sessions.push(s.log_in(&agency_user(i)).await?);
    }
    let (owner_sessions, user_sessions) = (Arc::new(owner_sessions), Arc::new(user_sessions));
    let s2 = s.clone();
    let run = timed_cpu(seconds, vec![(); concurrency], move |k, ()| {
        let (s, os, us) = (s2.clone(), owner_sessions.clone(), user_sessions.clone());
        async move {
            let (o, u) = (k % os.len(), (k / os.len()) % us.len());
            let outcome = async {
                let (owner_cookie, role) = &os[o];
                let email = agency_user(u);
                s.call(
                    "invite_account_manager",
                    Some(owner_cookie),
                    &[("email", &email), ("role", role)],
                )
                .await?;
                let (list, _) = s.call("account_managers", Some(owner_cookie), &[]).await?;
                let link = list["rows"]
                    .as_array()
                    .and_then(|rows| {
                        rows.iter()
                            .find(|r| r["manager_email"] == email.as_str() && r["status"] == "Pending")
                    })
                    .and_then(|r| r["invitation_link"].as_str())
                    .ok_or("no invitation link")?
                    .to_string();
                let token = link.rsplit('/').next().unwrap_or_default().to_string();
                s.call("invitation", Some(&us[u]), &[("token", &token)]).await?;
                s.call(
                    "answer_invitation",
                    Some(&us[u]),
                    &[("token", &token), ("answer", "accept")],
                )
                .await?;
                Ok::<(), Failure>(())
            }
            .await;
            ((), outcome)
        }
    })
    .await;
    report("invite + accept", 4, seconds as f64, &run);
    Ok(())
}

/// Each worker, logged in as its own agency user, logs in to a managed account and goes back.
async fn switch(s: &Server, seconds: u64, concurrency: usize) -> Result<(), Failure> {
    let admin = s.log_in(ADMIN).await?;
    let mut grants = Vec::new();
    for page in 0.. {
        let (list, _) = s
            .call("managed_accounts", Some(&admin), &[("page", &page.to_string())])
            .await?;
        let rows = list["rows"].as_array().cloned().unwrap_or_default();
        if rows.is_empty() || grants.len() >= 500 {
            break;
        }
        grants.extend(
            rows.iter()
                .filter(|r| r["access"] == "Active")
                .filter_map(|r| r["id"].as_str().map(str::to_string)),
        );
    }
    if grants.is_empty() {
        return Err("no active managed account".into());
    }
    let mut sessions = Vec::new();
    for i in 0..concurrency {
        sessions.push(s.log_in(&agency_user(i)).await?);
    }
    let grants = Arc::new(grants);
    let s2 = s.clone();
    let run = timed_cpu(seconds, sessions, move |k, cookie: String| {
        let (s, grants) = (s2.clone(), grants.clone());
        async move {
            let grant = &grants[k % grants.len()];
            let inside = match s
                .call("log_in_to_managed_account", Some(&cookie), &[("id", grant)])
                .await
            {
                Ok((_, Some(c))) => c,
                Ok((_, None)) => return (cookie, Err("log in: no new session".into())),
                Err(e) => return (cookie, Err(e)),
            };
            match s.call("back_to_my_account", Some(&inside), &[]).await {
                Ok((_, Some(home))) => (home, Ok(())),
                Ok((_, None)) => (inside, Err("back: no new session".into())),
                Err(e) => (inside, Err(e)),
            }
        }
    })
    .await;
    report("log in to a managed account + back", 2, seconds as f64, &run);
    Ok(())
}

/// The server's resident memory, MB (it runs on this machine: the driver talks to loopback only).
fn server_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// One page's live channel: every event it receives, with when, sent to `heard`.
async fn listen(
    s: Server,
    cookie: String,
    channel: usize,
    heard: tokio::sync::mpsc::UnboundedSender<(usize, String, Instant)>,
    opened: tokio::sync::mpsc::UnboundedSender<Result<(), Failure>>,
) {
    let res = s
        .http
        .get(format!("{}/live", s.next_base()))
        .header("Accept", "text/event-stream")
        .header("Cookie", format!("steward_session={cookie}"))
        .send()
        .await;
    let mut res = match res {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            let _ = opened.send(Err(format!("live: {}", r.status())));
            return;
        }
        Err(e) => {
            let _ = opened.send(Err(format!("live: {e}")));
            return;
        }
    };
    let _ = opened.send(Ok(()));
    let mut pending = String::new();
    while let Ok(Some(chunk)) = res.chunk().await {
        let at = Instant::now();
        pending.push_str(&String::from_utf8_lossy(&chunk));
        // Events end with a blank line; keep-alive comments name no event.
        while let Some(end) = pending.find("\n\n") {
            let event: String = pending.drain(..end + 2).collect();
            if let Some(name) = event.lines().find_map(|l| l.strip_prefix("event:")) {
                let _ = heard.send((channel, name.trim().to_string(), at));
            }
        }
    }
}

/// Opens `channels` live channels, `per_owner` for each owner's session (tabs of one person),
/// measures the server's memory with them open, then `rounds` times has one owner invite a
/// manager and times the "grants" event on each of that owner's channels from the moment the
/// invitation was sent. Other owners' channels must hear nothing.
async fn live(s: &Server, pid: u32, channels: usize, rounds: usize) -> Result<(), Failure> {
    let per_owner = 5;
    let owners = channels.div_ceil(per_owner);
    let mut sessions = Vec::new();
    for i in 0..owners {
        let (cookie, role) = owner_session(s, i).await?;
        sessions.push((cookie, role));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = server_rss_mb(pid);
    let (heard_tx, mut heard) = tokio::sync::mpsc::unbounded_channel();
    let (opened_tx, mut opened) = tokio::sync::mpsc::unbounded_channel();
    for c in 0..channels {
        tokio::spawn(listen(
            s.clone(),
            sessions[c / per_owner].0.clone(),
            c,
            heard_tx.clone(),
            opened_tx.clone(),
        ));
    }
    for _ in 0..channels {
        opened.recv().await.ok_or("a channel task ended")??;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let open = server_rss_mb(pid);
    while heard.try_recv().is_ok() {}

    let mut first = Vec::new();
    let mut last = Vec::new();
    let mut writes = Vec::new();
    let mut strays = 0;
    let mut missing = 0;
    for round in 0..rounds {
        let o = round % owners;
        let (cookie, role) = &sessions[o];
        let email = format!("live{round}@agency.bench");
        let sent = Instant::now();
        s.call(
            "invite_account_manager",
            Some(cookie),
            &[("email", &email), ("role", role)],
        )
        .await?;
        writes.push(sent.elapsed());
        let mine = (o * per_owner..((o + 1) * per_owner).min(channels)).collect::<Vec<_>>();
        let mut arrived: Vec<Duration> = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while arrived.len() < mine.len() {
            match tokio::time::timeout_at(deadline, heard.recv()).await {
                Ok(Some((channel, name, at))) if name == "grants" && mine.contains(&channel) => {
                    arrived.push(at.duration_since(sent))
                }
                Ok(Some((channel, _, _))) if !mine.contains(&channel) => strays += 1,
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        missing += mine.len() - arrived.len();
        arrived.sort();
        if let (Some(f), Some(l)) = (arrived.first(), arrived.last()) {
            first.push(*f);
            last.push(*l);
        }
        // Whatever else this write caused (its audit entry) goes by before the next one.
        tokio::time::sleep(Duration::from_millis(200)).await;
        while let Ok((channel, _, _)) = heard.try_recv() {
            if !(o * per_owner..(o + 1) * per_owner).contains(&channel) {
                strays += 1;
            }
        }
    }
    let ms = |mut v: Vec<Duration>, p: f64| {
        v.sort();
        v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "live channels\t{channels} open ({per_owner} per owner, {owners} owners)\tserver memory {before:.0} MB before, {open:.0} MB with them open ({:.1} KB each)",
        (open - before) * 1024.0 / channels as f64
    );
    println!(
        "write to update\t{rounds} invitations\tfirst of the owner's {per_owner} pages p50 {:.1} ms, p99 {:.1} ms\tlast p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms\t(the write's own answer p50 {:.1} ms)\t{missing} missed, {strays} to other accounts",
        ms(first.clone(), 0.5),
        ms(first, 0.99),
        ms(last.clone(), 0.5),
        ms(last.clone(), 0.99),
        ms(last, 1.0),
        ms(writes, 0.5),
    );
    Ok(())
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, name: &str) -> Result<T, Failure> {
    args.get(i)
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| format!("missing or bad argument: {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let outcome = async {
        let command: String = arg(&args, 1, "command")?;
        let s = Server::new(&arg::<String>(&args, 2, "base URL")?)?;
        match command.as_str() {
            "seed" => {
                seed(
                    &s,
                    arg(&args, 3, "users")?,
                    arg(&args, 4, "clients")?,
                    arg(&args, 5, "owners")?,
                )
                .await
            }
            "cookie" => {
                println!("{}", s.log_in(&arg::<String>(&args, 3, "email")?).await?);
                Ok(())
            }
            "invite-accept" => {
                invite_accept(
                    &s,
                    arg(&args, 3, "seconds")?,
                    arg(&args, 4, "concurrency")?,
                    arg(&args, 5, "users")?,
                    arg(&args, 6, "owners")?,
                )
                .await
            }
            "switch" => switch(&s, arg(&args, 3, "seconds")?, arg(&args, 4, "concurrency")?).await,
            "live" => {
                live(
                    &s,
                    arg(&args, 3, "server pid")?,
                    arg(&args, 4, "channels")?,
                    arg(&args, 5, "rounds")?,
                )
                .await
            }
            other => Err(format!("unknown command {other}")),
        }
    }
    .await;
    if let Err(e) = outcome {
        eprintln!("steward-bench: {e}");
        std::process::exit(1);
    }
}
