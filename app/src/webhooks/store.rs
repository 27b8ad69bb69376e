//! Webhook endpoints and deliveries: the page's lists, the sender's queue and its outcomes.
use surrealdb::types::{Datetime, SurrealValue};

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

/// An account has at most this many endpoints; the page lists them all.
pub const ENDPOINT_CAP: i64 = 20;
/// The page shows this many of the newest deliveries.
pub const DELIVERY_LIST: i64 = 50;

#[derive(Debug, Clone, SurrealValue)]
pub struct EndpointRecord {
    pub id: String,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub secret_nonce: String,
    pub created_at: Datetime,
}

/// The account's endpoints, oldest first (its (account, created_at) index), or only `only`.
pub async fn endpoints(
    db: &Db,
    account: &str,
    only: Option<&str>,
) -> Result<Vec<EndpointRecord>, StoreError> {
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, url, description, events, enabled, secret_nonce, created_at
             FROM webhook_endpoint WHERE account = $account{} ORDER BY created_at ASC LIMIT $cap",
            if only.is_some() { " AND id = $only" } else { "" }
        ))
        .bind(("account", rid("account", account)))
        .bind(("only", rid("webhook_endpoint", only.unwrap_or_default())))
        .bind(("cap", ENDPOINT_CAP))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

pub struct NewEndpoint<'a> {
    pub id: &'a str,
    pub account: &'a str,
    pub user: &'a str,
    pub url: &'a str,
    pub description: &'a str,
    pub events: Vec<String>,
    pub nonce: &'a str,
}

/// The error a transaction throws when an add would pass the cap of endpoints.
pub const OVER_CAP: &str = "webhook endpoints over the cap";

/// Creates the endpoint and counts it; throws [`OVER_CAP`] when the account would have more than
/// `cap`. A duplicate URL fails on the `webhook_endpoint_url` index.
pub fn create(tx: &mut Tx, e: NewEndpoint<'_>, cap: i64) {
    tx.push(
        "CREATE $hook_id SET account = $hook_account, created_by = $hook_user, url = $hook_url,
            description = $hook_description, events = $hook_events, secret_nonce = $hook_nonce RETURN NONE",
    );
    tx.push("IF (UPSERT $hook_count SET n += 1 RETURN VALUE n)[0] > $hook_cap { THROW $hook_over_cap }");
    tx.bind("hook_count", rid("webhook_endpoint_count", e.account));
    tx.bind("hook_cap", cap);
    tx.bind("hook_over_cap", OVER_CAP);
    tx.bind("hook_id", rid("webhook_endpoint", e.id));
    tx.bind("hook_account", rid("account", e.account));
    tx.bind("hook_user", rid("user", e.user));
    tx.bind("hook_url", e.url.to_string());
    tx.bind("hook_description", e.description.to_string());
    tx.bind("hook_events", e.events);
    tx.bind("hook_nonce", e.nonce.to_string());
}

pub fn set_enabled(tx: &mut Tx, account: &str, id: &str, enabled: bool) {
    tx.push("UPDATE $hook_id SET enabled = $hook_enabled WHERE account = $hook_account RETURN NONE");
    tx.bind("hook_id", rid("webhook_endpoint", id));
    tx.bind("hook_account", rid("account", account));
    tx.bind("hook_enabled", enabled);
}

/// Deletes the endpoint and its deliveries (through their endpoint index): nothing is sent to
/// it any more.
pub fn delete(tx: &mut Tx, account: &str, id: &str) {
    tx.push("DELETE webhook_delivery WHERE endpoint = $hook_id RETURN NONE");
    tx.push(
        "IF (DELETE $hook_id WHERE account = $hook_account RETURN BEFORE) {
            UPSERT $hook_count SET n -= 1 RETURN NONE
        }",
    );
    tx.bind("hook_count", rid("webhook_endpoint_count", account));
    tx.bind("hook_id", rid("webhook_endpoint", id));
    tx.bind("hook_account", rid("account", account));
}

/// A failed delivery of the account is tried again now, from a fresh count.
pub fn retry(tx: &mut Tx, account: &str, id: &str) {
    tx.push(
        "UPDATE $delivery SET status = 'pending', attempts = 0, next_attempt_at = time::now()
            WHERE account = $hook_account AND status = 'failed' RETURN NONE",
    );
    tx.bind("delivery", rid("webhook_delivery", id));
    tx.bind("hook_account", rid("account", account));
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AttemptRecord {
    pub at: Datetime,
    pub status: Option<i64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct DeliveryRecord {
    pub id: String,
    pub event_type: String,
    pub endpoint_url: Option<String>,
    pub status: String,
    pub attempt_log: Vec<AttemptRecord>,
    pub next_attempt_at: Datetime,
    pub created_at: Datetime,
}

/// The account's newest deliveries (its (account, created_at) index), or only `only`.
pub async fn deliveries(
    db: &Db,
    account: &str,
    only: Option<&str>,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, event_type, endpoint.url AS endpoint_url, status, attempt_log,
                next_attempt_at, created_at
             FROM webhook_delivery WHERE account = $account{} ORDER BY created_at DESC LIMIT $cap",
            if only.is_some() { " AND id = $only" } else { "" }
        ))
        .bind(("account", rid("account", account)))
        .bind(("only", rid("webhook_delivery", only.unwrap_or_default())))
        .bind(("cap", DELIVERY_LIST))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// A delivery the sender tries now: its body and where, and with what, to sign and send it.
#[derive(Debug, Clone, SurrealValue)]
pub struct Due {
    pub id: String,
    pub endpoint: String,
    /// None when the endpoint is gone (its deletion removes its deliveries, so only by a
    /// change made outside Steward): the delivery is then given up.
    pub url: Option<String>,
    pub secret_nonce: Option<String>,
    pub payload: String,
    pub attempts: i64,
}

/// Deliveries due for a (new) try, oldest due first, through the (status, next_attempt_at) index.
pub async fn due(db: &Db, limit: i64) -> Result<Vec<Due>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS id, record::id(endpoint) AS endpoint, endpoint.url AS url,
                endpoint.secret_nonce AS secret_nonce, payload, attempts
             FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= time::now()
             ORDER BY next_attempt_at ASC LIMIT $limit",
        )
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Claims a due delivery for `lease_secs` (as `core::outbox::claim` does for emails): when
/// several servers share the database, only the one whose conditional update commits sends it.
pub async fn claim(db: &Db, id: &str, lease_secs: i64) -> Result<bool, StoreError> {
    let res = db
        .query(
            "UPDATE $delivery SET next_attempt_at = time::now() + type::duration($lease)
                 WHERE status = 'pending' AND next_attempt_at <= time::now() RETURN VALUE id",
        )
        .bind(("delivery", rid("webhook_delivery", id)))
        .bind(("lease", format!("{lease_secs}s")))
        .await;
    let claimed: Vec<surrealdb::types::RecordId> = match res.map_err(db_err).and_then(checked) {
        Ok(mut res) => res.take(0).map_err(db_err)?,
        Err(StoreError::Conflict(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    Ok(!claimed.is_empty())
}

/// What one try came to.
pub struct Outcome<'a> {
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    pub delivered: bool,
    /// Seconds until the next try; none: given up (failed).
    pub retry_in: Option<i64>,
}

/// Records a try: delivered, due again later, or given up.
pub async fn record(db: &Db, id: &str, outcome: Outcome<'_>) -> Result<(), StoreError> {
    let status = if outcome.delivered {
        "delivered"
    } else if outcome.retry_in.is_some() {
        "pending"
    } else {
        "failed"
    };
    let res = db
        .query(
            "UPDATE $delivery SET status = $status, attempts += 1,
                attempt_log += { at: time::now(), status: $code, error: $error },
                delivered_at = IF $status = 'delivered' THEN time::now() ELSE NONE END,
                next_attempt_at = time::now() + type::duration($delay)
             WHERE status = 'pending' RETURN NONE",
        )
        .bind(("delivery", rid("webhook_delivery", id)))
        .bind(("status", status.to_string()))
        .bind(("code", outcome.status.map(i64::from)))
        .bind(("error", outcome.error.map(str::to_string)))
        .bind(("delay", format!("{}s", outcome.retry_in.unwrap_or(0))))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// How long delivered and given-up deliveries are kept for the page.
pub const KEPT_DAYS: i64 = 30;

/// Deletes up to `limit` delivered or given-up deliveries older than [`KEPT_DAYS`], through the
/// (status, next_attempt_at) index (a delivered one's `next_attempt_at` is when it was settled);
/// returns how many.
pub async fn prune(db: &Db, limit: i64) -> Result<usize, StoreError> {
    let res = db
        .query(
            "LET $old = array::concat(
                 (SELECT VALUE id FROM webhook_delivery WHERE status = 'delivered'
                     AND next_attempt_at < time::now() - type::duration($kept) LIMIT $limit),
                 (SELECT VALUE id FROM webhook_delivery WHERE status = 'failed'
                     AND next_attempt_at < time::now() - type::duration($kept) LIMIT $limit));
             DELETE $old RETURN NONE;
             RETURN array::len($old);",
        )
        .bind(("kept", format!("{KEPT_DAYS}d")))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let n: Option<i64> = res.take(2).map_err(db_err)?;
    Ok(n.unwrap_or(0).max(0) as usize)
}
