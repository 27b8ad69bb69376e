//! Custom fields of an account, and the values contacts hold for them.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct FieldRow {
    pub id: String,
    pub name: String,
    pub kind: String,
}

pub async fn list(db: &Db, account_key: &str) -> Result<Vec<FieldRow>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS id, name, kind, created_at FROM custom_field
             WHERE account = $account ORDER BY created_at, name",
        )
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

pub fn create(tx: &mut Tx, account_key: &str, field_key: &str, name: &str, kind: &str) {
    tx.bind("cf_account", rid("account", account_key));
    tx.bind("cf", rid("custom_field", field_key));
    tx.bind("cf_name", name.to_string());
    tx.bind("cf_kind", kind.to_string());
    tx.push("CREATE $cf SET account = $cf_account, name = $cf_name, kind = $cf_kind");
}

/// Adds to `tx` the removal of a field of the account, of its values on contacts and of its
/// links from messages; throws when the field is not in the account.
pub fn delete(tx: &mut Tx, account_key: &str, field_key: &str) {
    tx.bind("cf_account", rid("account", account_key));
    tx.bind("cf", rid("custom_field", field_key));
    tx.push("IF (SELECT VALUE id FROM custom_field WHERE id = $cf AND account = $cf_account) = [] { THROW 'field not found' }");
    tx.push(
        "UPDATE contact SET fields = fields.filter(|$f| $f.field != $cf)
         WHERE account = $cf_account AND fields.any(|$f| $f.field = $cf) RETURN NONE",
    );
    tx.push("UPDATE message SET fields = fields.filter(|$f| $f != $cf) WHERE account = $cf_account AND $cf IN fields RETURN NONE");
    tx.push("DELETE $cf");
}
