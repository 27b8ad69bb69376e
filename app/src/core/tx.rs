//! One SurrealDB transaction built statement by statement, with its audit entries, outbox emails
//! and webhook deliveries.
use surrealdb::types::{SurrealValue, Value};
use surrealdb::IndexedResults;

use crate::core::db::{checked, Db, StoreError};

/// An email to be delivered after the transaction that reports it commits.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
}

/// Who did what, for the audit log. `account` is where it happened.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub account: surrealdb::types::RecordId,
    pub actor_user: Option<surrealdb::types::RecordId>,
    pub actor_name: String,
    pub via_account: Option<surrealdb::types::RecordId>,
    pub action: String,
    pub detail: String,
}

/// A webhook event: one delivery is queued for each endpoint of `accounts` subscribed to its
/// type, in the transaction of the change it reports; `webhooks::delivery` sends them after
/// the commit. Nothing is queued for a change that does not commit, and nothing is lost when a
/// server stops before sending.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: crate::core::domain::events::EventType,
    /// The accounts (keys) whose endpoints hear of it, e.g. the client's and the agency's.
    pub accounts: Vec<String>,
    pub data: serde_json::Value,
}

impl Event {
    pub fn new(kind: crate::core::domain::events::EventType, data: serde_json::Value) -> Self {
        Self {
            kind,
            accounts: Vec::new(),
            data,
        }
    }

    /// Adds an account that hears of it (none for `None`, once for a repeat).
    pub fn to(mut self, account: Option<&str>) -> Self {
        if let Some(account) = account {
            if !self.accounts.iter().any(|a| a == account) {
                self.accounts.push(account.to_string());
            }
        }
        self
    }
}

/// A value bound to a transaction's statements, given to each run of it.
enum Bound {
    /// Cloned for each run.
    Value(Value),
    /// Built for each run: a large value (a template's thousands of contacts) costs no copy on
    /// the first run, which is nearly always the only one.
    Built(Box<dyn Fn() -> Value + Send + Sync>),
}

impl Bound {
    fn value(&self) -> Value {
        match self {
            Bound::Value(value) => value.clone(),
            Bound::Built(build) => build(),
        }
    }
}

#[derive(Default)]
pub struct Tx {
    statements: Vec<String>,
    vars: Vec<(String, Bound)>,
    counter: usize,
    has_mail: bool,
    has_audit: bool,
    has_event: bool,
}

impl Tx {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, statement: impl Into<String>) -> &mut Self {
        self.statements.push(statement.into());
        self
    }

    pub fn bind(&mut self, name: &str, value: impl SurrealValue) -> &mut Self {
        self.vars
            .push((name.to_string(), Bound::Value(value.into_value())));
        self
    }

    /// Binds the value `build` makes, built again for each run rather than kept and copied.
    pub fn bind_built(&mut self, name: &str, build: impl Fn() -> Value + Send + Sync + 'static) -> &mut Self {
        self.vars.push((name.to_string(), Bound::Built(Box::new(build))));
        self
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{}", self.counter)
    }

    pub fn mail(&mut self, mail: Mail) -> &mut Self {
        self.has_mail = true;
        let p = self.fresh("mail");
        self.push(format!(
            "CREATE outbox SET to = ${p}_to, subject = ${p}_subject, body = ${p}_body, link = ${p}_link, status = 'pending'"
        ));
        self.bind(&format!("{p}_to"), mail.to);
        self.bind(&format!("{p}_subject"), mail.subject);
        self.bind(&format!("{p}_body"), mail.body);
        self.bind(&format!("{p}_link"), mail.link);
        self
    }

    /// Adds an audit entry and its mark for the sealer, which chains it after the commit
    /// (`audit::chain`): the entry itself is never written again.
    pub fn audit(&mut self, entry: AuditEntry) -> &mut Self {
        self.has_audit = true;
        let p = self.fresh("audit");
        let key = crate::core::db::new_key();
        self.push(format!(
            "CREATE ${p}_id SET account = ${p}_account, actor_user = ${p}_user, actor_name = ${p}_name, \
             via_account = ${p}_via, action = ${p}_action, detail = ${p}_detail RETURN NONE"
        ));
        self.push(format!(
            "CREATE ${p}_pending SET account = ${p}_account RETURN NONE"
        ));
        self.bind(&format!("{p}_id"), crate::core::db::rid("audit", &key));
        self.bind(
            &format!("{p}_pending"),
            crate::core::db::rid("audit_pending", &key),
        );
        self.bind(&format!("{p}_account"), entry.account);
        self.bind(&format!("{p}_user"), entry.actor_user);
        self.bind(&format!("{p}_name"), entry.actor_name);
        self.bind(&format!("{p}_via"), entry.via_account);
        self.bind(&format!("{p}_action"), entry.action);
        self.bind(&format!("{p}_detail"), entry.detail);
        self
    }

    /// Queues `event` for the subscribed endpoints of its accounts. The body is fixed here (the
    /// signature is over these bytes); `id` is the event's, shared by its deliveries.
    pub fn event(&mut self, event: Event) -> &mut Self {
        if event.accounts.is_empty() {
            return self;
        }
        self.has_event = true;
        let p = self.fresh("event");
        let body = serde_json::json!({
            "id": format!("evt_{}", crate::core::db::new_key()),
            "type": event.kind.as_str(),
            "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "data": event.data,
        });
        // One statement for all the accounts concerned, through the endpoints' (account,
        // created_at) index (a union of one lookup per account): an account without endpoints
        // costs an empty lookup. Fewer statements matter: each is parsed and run in every
        // transaction that reports an event.
        self.push(format!(
            "FOR $ep IN (SELECT id, account FROM webhook_endpoint WHERE account IN ${p}_accounts \
                 AND enabled = true AND events CONTAINS ${p}_type) {{
                 CREATE webhook_delivery SET endpoint = $ep.id, account = $ep.account,
                     event_type = ${p}_type, payload = ${p}_body RETURN NONE;
             }}"
        ));
        // Each account once: an account concerned twice hears of the event once.
        let mut accounts: Vec<surrealdb::types::RecordId> = Vec::new();
        for a in &event.accounts {
            let id = crate::core::db::rid("account", a);
            if !accounts.contains(&id) {
                accounts.push(id);
            }
        }
        self.bind(&format!("{p}_accounts"), accounts);
        self.bind(&format!("{p}_type"), event.kind.as_str().to_string());
        self.bind(&format!("{p}_body"), body.to_string());
        self
    }

    /// Whether committing queues webhook deliveries (the sender is then woken).
    pub fn has_event(&self) -> bool {
        self.has_event
    }

    /// Whether committing queues an email (the sender is then woken).
    pub fn has_mail(&self) -> bool {
        self.has_mail
    }

    /// Whether committing writes an audit entry (the sealer is then woken).
    pub fn has_audit(&self) -> bool {
        self.has_audit
    }

    /// The first statement on one line, cut at 120 characters: which work a log line is about.
    fn opening(&self) -> String {
        let first = self.statements.first().map_or("", String::as_str);
        first
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(120)
            .collect()
    }

    /// Runs every statement in one transaction: all of them take effect, or none. A transaction
    /// refused for a write conflict wrote nothing and is run again, after a short random pause, so
    /// that two requests touching one record (two log-ins of one user) both succeed.
    pub async fn commit(self, db: &Db) -> Result<IndexedResults, StoreError> {
        let sql = format!(
            "BEGIN TRANSACTION;\n{};\nCOMMIT TRANSACTION;",
            self.statements.join(";\n")
        );
        let mut attempt = 0;
        loop {
            let mut query = db.query(sql.as_str());
            for (name, bound) in &self.vars {
                query = query.bind((name.clone(), bound.value()));
            }
            match query.await.map_err(crate::core::db::db_err).and_then(checked) {
                Err(StoreError::Conflict(_)) if attempt + 1 < CONFLICT_ATTEMPTS => {
                    attempt += 1;
                    // Each run again repeats the whole transaction's work: worth counting under
                    // load, by the statement it starts with (bound values are not in it).
                    tracing::debug!(
                        target: "steward::tx",
                        attempt,
                        first = %self.opening(),
                        "write conflict: running the transaction again"
                    );
                    tokio::time::sleep(conflict_pause(attempt)).await;
                }
                done => return done,
            }
        }
    }
}

/// How many times a transaction is run before a write conflict is reported. On a SurrealDB
/// server a transaction holds its records longer (a network round trip), and six tries of one
/// user's log-ins under load still met (13 of 483 in the benchmark): ten tries wait up to about
/// a second in all before the "busy" answer.
const CONFLICT_ATTEMPTS: u32 = 10;

/// Up to 2, 4, 8 ... ms, at random, so that the transactions that met do not meet again.
fn conflict_pause(attempt: u32) -> std::time::Duration {
    use rand::Rng;
    let most = 1u64 << attempt.min(10);
    std::time::Duration::from_micros(rand::thread_rng().gen_range(0..=most * 1000))
}

#[cfg(test)]
mod tests {
    use super::Tx;

    #[test]
    fn a_conflict_is_logged_by_its_first_statement_on_one_line_and_short() {
        let mut tx = Tx::new();
        assert_eq!(tx.opening(), "");
        tx.push(format!(
            "UPDATE $grant\n    SET state = $to,\n    note = '{}'",
            "x".repeat(200)
        ));
        tx.push("CREATE audit");
        let opening = tx.opening();
        assert!(
            opening.starts_with("UPDATE $grant SET state = $to, note = 'xx"),
            "{opening}"
        );
        assert_eq!(opening.chars().count(), 120);
        assert!(!opening.contains('\n') && !opening.contains("CREATE"));
    }
}
