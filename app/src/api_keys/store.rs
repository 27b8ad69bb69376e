//! API keys: made, listed, revoked, and read back from the hash of the key a call came with.
use surrealdb::types::{Datetime, SurrealValue};

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

/// Adds a new key to `tx`.
pub struct NewKey<'a> {
    pub id: &'a str,
    pub account: &'a str,
    pub user: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub hash: &'a str,
    pub prefix: &'a str,
    /// Seconds from now, or none.
    pub lasts_secs: Option<i64>,
}

pub fn create(tx: &mut Tx, key: NewKey<'_>) {
    tx.push(
        "CREATE $key_id SET account = $key_account, created_by = $key_user, name = $key_name, role = $key_role,
            token_hash = $key_hash, prefix = $key_prefix,
            expires_at = IF $key_lasts THEN time::now() + type::duration($key_lasts) ELSE NONE END",
    );
    tx.bind("key_id", rid("api_key", key.id));
    tx.bind("key_account", rid("account", key.account));
    tx.bind("key_user", rid("user", key.user));
    tx.bind("key_name", key.name.to_string());
    tx.bind("key_role", rid("role", key.role));
    tx.bind("key_hash", key.hash.to_string());
    tx.bind("key_prefix", key.prefix.to_string());
    tx.bind("key_lasts", key.lasts_secs.map(|secs| format!("{secs}s")));
}

/// Revokes the key, if it is the account's and still unrevoked.
pub fn revoke(tx: &mut Tx, account: &str, id: &str) {
    tx.push("UPDATE $key_id SET revoked_at = time::now() WHERE account = $key_account AND revoked_at = NONE");
    tx.bind("key_id", rid("api_key", id));
    tx.bind("key_account", rid("account", account));
}

#[derive(Debug, Clone, SurrealValue)]
pub struct KeyRecord {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub role_name: Option<String>,
    pub made_by: Option<String>,
    pub created_at: Datetime,
    pub expires_at: Option<Datetime>,
    pub revoked_at: Option<Datetime>,
}

/// At most this many keys are listed, newest first.
pub const LIST_CAP: i64 = 200;

/// The account's keys, newest first (through its (account, created_at) index), or only `only`.
pub async fn list(db: &Db, account: &str, only: Option<&str>) -> Result<Vec<KeyRecord>, StoreError> {
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, name, prefix, role.name AS role_name, created_by.email AS made_by,
                created_at, expires_at, revoked_at
             FROM api_key WHERE account = $account{} ORDER BY created_at DESC LIMIT $cap",
            if only.is_some() { " AND id = $only" } else { "" }
        ))
        .bind(("account", rid("account", account)))
        .bind(("only", rid("api_key", only.unwrap_or_default())))
        .bind(("cap", LIST_CAP))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// What a call with a key acts as: the key, its maker in the account, their role and the key's.
#[derive(Debug, Clone, SurrealValue)]
pub struct KeyHolder {
    pub id: String,
    pub name: String,
    pub account: String,
    pub user: String,
    /// Neither revoked nor expired.
    pub usable: bool,
    pub role_name: Option<String>,
    pub key_permissions: Option<Vec<String>>,
    /// The maker's own role in the account today: the key never acts beyond it.
    pub maker_permissions: Option<Vec<String>>,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub account_name: String,
    pub date_format: Option<String>,
    pub time_zone: Option<String>,
    pub currency: Option<String>,
}

/// The key whose hash is `hash`, with what it acts as; `None` when there is no such key or its
/// maker no longer belongs to its account. One round trip, by the unique hash index.
pub async fn holder(db: &Db, hash: &str) -> Result<Option<KeyHolder>, StoreError> {
    let res = db
        .query(
            "LET $k = (SELECT * FROM api_key WHERE token_hash = $hash LIMIT 1)[0];
             LET $m = IF $k THEN (SELECT account, role FROM membership WHERE user = $k.created_by LIMIT 1)[0] ELSE NONE END;
             LET $a = IF $k THEN $k.account.* ELSE NONE END;
             LET $u = IF $k THEN $k.created_by.* ELSE NONE END;
             RETURN IF $k = NONE OR $m = NONE OR $a = NONE OR $u = NONE OR $m.account != $k.account
                 OR $k.role.account != $k.account THEN NONE ELSE {
                 id: record::id($k.id),
                 name: $k.name,
                 account: record::id($k.account),
                 user: record::id($k.created_by),
                 usable: $k.revoked_at = NONE AND ($k.expires_at = NONE OR $k.expires_at > time::now()),
                 role_name: $k.role.name,
                 key_permissions: $k.role.permissions,
                 maker_permissions: $m.role.permissions,
                 email: $u.email, first_name: $u.first_name, last_name: $u.last_name,
                 account_name: $a.name,
                 date_format: $a.date_format, time_zone: $a.time_zone, currency: $a.currency,
             } END;",
        )
        .bind(("hash", hash.to_string()))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let last = res.num_statements().saturating_sub(1);
    res.take(last).map_err(db_err)
}
