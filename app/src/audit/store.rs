//! The audit log of an account: its entries, its hash chain and its filter lists.
use std::fmt::Write as _;

use surrealdb::types::{RecordId, SurrealValue};

use crate::core::db::{checked, db_err, key, rid, Db, StoreError};

#[derive(Debug, Clone, SurrealValue)]
pub struct AuditRow {
    pub at: String,
    pub actor_name: String,
    pub via_account: Option<String>,
    pub action: String,
    pub detail: String,
}

/// Which entries of an account a reader asked for; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The key of the user who acted.
    pub user: Option<String>,
    pub action: Option<String>,
    /// From this instant (inclusive), RFC 3339.
    pub from: Option<String>,
    /// Until this instant (exclusive), RFC 3339.
    pub until: Option<String>,
}

/// The `WHERE` of a filtered read; with a user or an action it pages through that index
/// (`audit_by_user`, `audit_by_action`), else through `audit_account`.
fn filtered(filter: &Filter) -> String {
    let mut sql = String::from("account = $account");
    if filter.user.is_some() {
        sql.push_str(" AND actor_user = $user");
    }
    if filter.action.is_some() {
        sql.push_str(" AND action = $action");
    }
    if filter.from.is_some() {
        sql.push_str(" AND at >= <datetime> $from");
    }
    if filter.until.is_some() {
        sql.push_str(" AND at < <datetime> $until");
    }
    sql
}

/// Binds what `filtered` refers to.
fn bind_filter<'r>(
    query: surrealdb::method::Query<'r, surrealdb::engine::any::Any>,
    account_key: &str,
    filter: &Filter,
) -> surrealdb::method::Query<'r, surrealdb::engine::any::Any> {
    query
        .bind(("account", rid("account", account_key)))
        .bind(("user", filter.user.clone().map(|u| rid("user", &u))))
        .bind(("action", filter.action.clone()))
        .bind(("from", filter.from.clone()))
        .bind(("until", filter.until.clone()))
}

/// One page of an account's entries, newest first.
pub async fn recent(
    db: &Db,
    account_key: &str,
    filter: &Filter,
    start: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let query = db.query(format!(
        "SELECT <string> at AS at, actor_name, via_account.name AS via_account, action, detail
         FROM audit WHERE {} ORDER BY at DESC LIMIT $limit START $start",
        filtered(filter)
    ));
    let res = bind_filter(query, account_key, filter)
        .bind(("limit", limit))
        .bind(("start", start))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// How many entries match, counted through the filter's index up to `cap` and no further.
pub async fn count_upto(db: &Db, account_key: &str, filter: &Filter, cap: i64) -> Result<i64, StoreError> {
    let query = db.query(format!(
        "RETURN array::len((SELECT VALUE id FROM audit WHERE {} LIMIT $cap))",
        filtered(filter)
    ));
    let res = bind_filter(query, account_key, filter)
        .bind(("cap", cap))
        .await
        .map_err(db_err)?;
    let n: Option<i64> = checked(res)?.take(0).map_err(db_err)?;
    Ok(n.unwrap_or(0))
}

/// A row of the export, with its id so that entries of one instant are not written twice.
#[derive(Debug, Clone, SurrealValue)]
pub struct ExportRow {
    pub id: RecordId,
    pub at: String,
    pub actor_name: String,
    pub via_account: Option<String>,
    pub action: String,
    pub detail: String,
    pub seq: Option<i64>,
    pub hash: Option<String>,
}

/// Up to `limit` entries at or before `upto` (all when `None`), newest first.
pub async fn export_batch(
    db: &Db,
    account_key: &str,
    filter: &Filter,
    upto: Option<&str>,
    limit: i64,
) -> Result<Vec<ExportRow>, StoreError> {
    let mut cond = filtered(filter);
    if upto.is_some() {
        cond.push_str(" AND at <= <datetime> $upto");
    }
    let query = db.query(format!(
        "SELECT id, <string> at AS at, actor_name, via_account.name AS via_account, action, detail
         FROM audit WHERE {cond} ORDER BY at DESC LIMIT $limit"
    ));
    let res = bind_filter(query, account_key, filter)
        .bind(("upto", upto.map(str::to_string)))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    let mut rows: Vec<ExportRow> = checked(res)?.take(0).map_err(db_err)?;
    // Each entry's place in the chain, read by key (an entry not chained yet has none).
    let links: Vec<RecordId> = rows.iter().map(|r| rid("audit_link", &key(&r.id))).collect();
    let res = db
        .query("SELECT id, seq, prev_hash, hash FROM $links")
        .bind(("links", links))
        .await
        .map_err(db_err)?;
    let found: Vec<LinkRow> = checked(res)?.take(0).map_err(db_err)?;
    let found: std::collections::HashMap<String, LinkRow> =
        found.into_iter().map(|l| (key(&l.id), l)).collect();
    for row in &mut rows {
        if let Some(link) = found.get(&key(&row.id)) {
            row.seq = Some(link.seq);
            row.hash = Some(link.hash.clone());
        }
    }
    Ok(rows)
}

/// An entry's place in its account's chain (`audit_link`, keyed as the entry).
#[derive(Debug, Clone, SurrealValue)]
struct LinkRow {
    id: RecordId,
    seq: i64,
    prev_hash: String,
    hash: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct FacetRow {
    pub kind: String,
    pub value: String,
    pub label: String,
}

/// Who has acted in the account and which actions happened there: the filter lists the sealer
/// keeps, and the values of entries it has not chained yet (a few, written this last moment).
pub async fn facets(db: &Db, account_key: &str) -> Result<Vec<FacetRow>, StoreError> {
    let res = db
        .query(
            "SELECT kind, value, label FROM audit_facet WHERE account = $account
                 ORDER BY kind, label LIMIT 1000;
             SELECT action, actor_user, actor_name FROM (SELECT VALUE type::record('audit', record::id(id))
                 FROM audit_pending WHERE account = $account LIMIT 1000);",
        )
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let mut facets: Vec<FacetRow> = res.take(0).map_err(db_err)?;
    let fresh: Vec<FreshRow> = res.take(1).map_err(db_err)?;
    for f in fresh {
        let mut add = |kind: &str, value: String, label: String| {
            if !facets.iter().any(|x| x.kind == kind && x.value == value) {
                facets.push(FacetRow {
                    kind: kind.into(),
                    value,
                    label,
                });
            }
        };
        add("action", f.action.clone(), f.action);
        if let Some(user) = f.actor_user {
            add("user", key(&user), f.actor_name);
        }
    }
    Ok(facets)
}

#[derive(Debug, Clone, SurrealValue)]
struct FreshRow {
    action: String,
    actor_user: Option<RecordId>,
    actor_name: String,
}

/// An entry with everything its hash covers.
#[derive(Debug, Clone, SurrealValue)]
pub struct ChainRow {
    pub id: RecordId,
    pub account: RecordId,
    /// The instant in nanoseconds since 1970: a number, so that no change in how SurrealDB
    /// writes a datetime as text can break an old chain.
    pub at_ns: i64,
    pub actor_user: Option<RecordId>,
    pub actor_name: String,
    pub via_account: Option<RecordId>,
    pub action: String,
    pub detail: String,
}

const CHAIN_COLUMNS: &str = "id, account, time::nano(at) AS at_ns, actor_user, \
                             actor_name, via_account, action, detail";

/// What the sealer found to chain: the keys of the marks it read, the entries behind them (a
/// deleted entry has none) and the heads of their accounts.
pub struct Unsealed {
    pub marks: Vec<String>,
    pub rows: Vec<ChainRow>,
    pub heads: std::collections::HashMap<String, Head>,
}

/// Entries no sealer has chained yet (any accounts, any order), with the heads of their
/// accounts, read in one transaction: one moment's view, so that an entry another sealer chained
/// after it shows as a head moved past what was read.
pub async fn unsealed(db: &Db, limit: i64) -> Result<Unsealed, StoreError> {
    let res = db
        .query(format!(
            "BEGIN TRANSACTION;
             LET $marks = SELECT VALUE record::id(id) FROM audit_pending LIMIT $limit;
             LET $rows = SELECT {CHAIN_COLUMNS} FROM $marks.map(|$k| type::record('audit', $k));
             LET $heads = array::distinct($rows.account).map(|$a| type::record('audit_head', record::id($a)));
             $marks;
             $rows;
             SELECT id, seq, hash FROM $heads;
             COMMIT TRANSACTION;"
        ))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    // Result 0 is BEGIN's, 1 to 3 the LETs'.
    let mut res = checked(res)?;
    let marks: Vec<String> = res.take(4).map_err(db_err)?;
    let rows: Vec<ChainRow> = res.take(5).map_err(db_err)?;
    let heads: Vec<HeadRow> = res.take(6).map_err(db_err)?;
    Ok(Unsealed {
        marks,
        rows,
        heads: heads_by_account(heads),
    })
}

fn heads_by_account(rows: Vec<HeadRow>) -> std::collections::HashMap<String, Head> {
    rows.into_iter()
        .map(|r| {
            (
                key(&r.id),
                Head {
                    seq: r.seq,
                    hash: r.hash,
                },
            )
        })
        .collect()
}

pub async fn unsealed_count(db: &Db) -> Result<i64, StoreError> {
    let res = db
        .query("RETURN (SELECT count() AS n FROM audit_pending GROUP ALL)[0].n ?? 0")
        .await
        .map_err(db_err)?;
    let count: Option<i64> = checked(res)?.take(0).map_err(db_err)?;
    Ok(count.unwrap_or(0))
}

/// The newest sealed entry of an account: its place and its hash.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct HeadRow {
    id: RecordId,
    seq: i64,
    hash: String,
}

/// The heads of these accounts, by account key (an account with no sealed entry has none).
pub async fn heads(
    db: &Db,
    account_keys: &[String],
) -> Result<std::collections::HashMap<String, Head>, StoreError> {
    let ids: Vec<RecordId> = account_keys.iter().map(|k| rid("audit_head", k)).collect();
    let res = db
        .query("SELECT id, seq, hash FROM $ids")
        .bind(("ids", ids))
        .await
        .map_err(db_err)?;
    let rows: Vec<HeadRow> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                key(&r.id),
                Head {
                    seq: r.seq,
                    hash: r.hash,
                },
            )
        })
        .collect())
}

/// Which of these filter-list values (account key, kind, value) are there already.
pub async fn known_facets(
    db: &Db,
    wanted: &[(String, String, String)],
) -> Result<std::collections::HashSet<(String, String, String)>, StoreError> {
    let keys: Vec<Vec<String>> = wanted
        .iter()
        .map(|(a, k, v)| vec![a.clone(), k.clone(), v.clone()])
        .collect();
    let res = db
        .query(
            "SELECT account, kind, value FROM $keys.map(|$k| type::record('audit_facet', $k)) WHERE kind != NONE",
        )
        .bind(("keys", keys))
        .await
        .map_err(db_err)?;
    let rows: Vec<FacetKey> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|f| (key(&f.account), f.kind, f.value))
        .collect())
}

#[derive(Debug, Clone, SurrealValue)]
struct FacetKey {
    account: RecordId,
    kind: String,
    value: String,
}

/// Every account that has a log to check: the accounts, and heads of accounts no longer there.
pub async fn chained_accounts(db: &Db) -> Result<Vec<String>, StoreError> {
    let res = db
        .query("SELECT VALUE id FROM account; SELECT VALUE id FROM audit_head;")
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let accounts: Vec<RecordId> = res.take(0).map_err(db_err)?;
    let heads: Vec<RecordId> = res.take(1).map_err(db_err)?;
    let mut keys: Vec<String> = accounts.iter().chain(heads.iter()).map(key).collect();
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// A place in an account's chain, with the entry there (none when it was deleted).
#[derive(Debug, Clone)]
pub struct Link {
    pub key: String,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub entry: Option<ChainRow>,
}

/// The places of an account's chain after `after_seq`, in chain order, with their entries.
pub async fn chain_after(
    db: &Db,
    account_key: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<Link>, StoreError> {
    let res = db
        .query(format!(
            "LET $links = SELECT id, seq, prev_hash, hash FROM audit_link
                 WHERE account = $account AND seq > $after ORDER BY seq LIMIT $limit;
             $links;
             SELECT {CHAIN_COLUMNS} FROM $links.map(|$l| type::record('audit', record::id($l.id)));"
        ))
        .bind(("account", rid("account", account_key)))
        .bind(("after", after_seq))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let links: Vec<LinkRow> = res.take(1).map_err(db_err)?;
    let entries: Vec<ChainRow> = res.take(2).map_err(db_err)?;
    let mut entries: std::collections::HashMap<String, ChainRow> =
        entries.into_iter().map(|e| (key(&e.id), e)).collect();
    Ok(links
        .into_iter()
        .map(|l| {
            let key = key(&l.id);
            Link {
                entry: entries.remove(&key),
                key,
                seq: l.seq,
                prev_hash: l.prev_hash,
                hash: l.hash,
            }
        })
        .collect())
}

/// What one sealing round writes, all in one transaction.
#[derive(Default)]
pub struct Sealing {
    sql: String,
    vars: Vec<(String, surrealdb::types::Value)>,
    n: usize,
}

impl Sealing {
    fn var(&mut self, value: impl SurrealValue) -> String {
        self.n += 1;
        let name = format!("v{}", self.n);
        self.vars.push((name.clone(), value.into_value()));
        name
    }

    /// The account's head must still be at `expected` (0: none yet) when this commits; another
    /// sealer that moved it meanwhile makes this round fail and start again.
    pub fn expect_head(&mut self, account_key: &str, expected: i64) {
        let h = self.var(rid("audit_head", account_key));
        let x = self.var(expected);
        let _ = writeln!(
            self.sql,
            "IF (array::first(SELECT VALUE seq FROM ${h}) ?? 0) != ${x} {{ THROW '{}' }};",
            super::chain::CHAIN_MOVED
        );
    }

    /// The entry `entry_key` of the account takes place `seq`; its mark goes.
    pub fn entry(&mut self, account_key: &str, entry_key: &str, seq: i64, prev_hash: &str, hash: &str) {
        let (l, a, s, p, h) = (
            self.var(rid("audit_link", entry_key)),
            self.var(rid("account", account_key)),
            self.var(seq),
            self.var(prev_hash.to_string()),
            self.var(hash.to_string()),
        );
        // The head check of this round is the guard: rows and heads were read at one moment.
        let _ = writeln!(
            self.sql,
            "CREATE ${l} SET account = ${a}, seq = ${s}, prev_hash = ${p}, hash = ${h} RETURN NONE;"
        );
        self.unmark(entry_key);
    }

    /// Drops the sealer's mark of an entry (chained, or deleted before it could be).
    pub fn unmark(&mut self, entry_key: &str) {
        let m = self.var(rid("audit_pending", entry_key));
        let _ = writeln!(self.sql, "DELETE ${m} RETURN NONE;");
    }

    /// A value of the page's filter lists not seen before in this account.
    pub fn facet(&mut self, account_key: &str, kind: &str, value: &str, label: &str) {
        let (a, k, v, l) = (
            self.var(account_key.to_string()),
            self.var(kind.to_string()),
            self.var(value.to_string()),
            self.var(label.to_string()),
        );
        let _ = writeln!(
            self.sql,
            "INSERT IGNORE INTO audit_facet {{ id: [${a}, ${k}, ${v}], account: type::record('account', ${a}), \
             kind: ${k}, value: ${v}, label: ${l} }};"
        );
    }

    pub fn head(&mut self, account_key: &str, seq: i64, hash: &str) {
        let (h, s, x) = (
            self.var(rid("audit_head", account_key)),
            self.var(seq),
            self.var(hash.to_string()),
        );
        let _ = writeln!(self.sql, "UPSERT ${h} SET seq = ${s}, hash = ${x} RETURN NONE;");
    }

    pub async fn commit(self, db: &Db) -> Result<(), StoreError> {
        let mut query = db.query(format!("BEGIN TRANSACTION;\n{}COMMIT TRANSACTION;", self.sql));
        for (name, value) in self.vars {
            query = query.bind((name, value));
        }
        checked(query.await.map_err(db_err)?)?;
        Ok(())
    }
}
