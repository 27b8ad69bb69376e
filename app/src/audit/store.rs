//! The audit log of an account, newest first.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError};

#[derive(Debug, Clone, SurrealValue)]
pub struct AuditRow {
    pub at: String,
    pub actor_name: String,
    pub via_account: Option<String>,
    pub action: String,
    pub detail: String,
}

pub async fn recent(db: &Db, account_key: &str, start: i64, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    let res = db
        .query(
            "SELECT <string> at AS at, actor_name, via_account.name AS via_account, action, detail
             FROM audit WHERE account = $account ORDER BY at DESC LIMIT $limit START $start",
        )
        .bind(("account", rid("account", account_key)))
        .bind(("limit", limit))
        .bind(("start", start))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}
