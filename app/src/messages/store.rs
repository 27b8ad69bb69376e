//! Messages (email templates) of an account.
use surrealdb::types::{RecordId, SurrealValue};

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct MessageRow {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub body: String,
    pub fields: Vec<String>,
}

pub async fn list(db: &Db, account_key: &str) -> Result<Vec<MessageRow>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS id, name, subject, body, fields.map(|$f| $f.name) AS fields, created_at
             FROM message WHERE account = $account ORDER BY created_at, name",
        )
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

pub async fn get(db: &Db, account_key: &str, message_key: &str) -> Result<Option<MessageRow>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS id, name, subject, body, fields.map(|$f| $f.name) AS fields
             FROM message WHERE id = $message AND account = $account",
        )
        .bind(("account", rid("account", account_key)))
        .bind(("message", rid("message", message_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<MessageRow> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

pub struct MessageFields {
    pub name: String,
    pub subject: String,
    pub body: String,
    /// The custom fields the subject and body use.
    pub fields: Vec<RecordId>,
}

/// Adds to `tx` a new message (`existing` false) or the edit of one of the account (throws when it
/// is not there).
pub fn save(tx: &mut Tx, account_key: &str, message_key: &str, existing: bool, m: MessageFields) {
    tx.bind("msg_account", rid("account", account_key));
    tx.bind("msg", rid("message", message_key));
    tx.bind("msg_name", m.name);
    tx.bind("msg_subject", m.subject);
    tx.bind("msg_body", m.body);
    tx.bind("msg_fields", m.fields);
    if existing {
        tx.push("IF (SELECT VALUE id FROM message WHERE id = $msg AND account = $msg_account) = [] { THROW 'message not found' }");
        tx.push(
            "UPDATE $msg SET name = $msg_name, subject = $msg_subject, body = $msg_body, fields = $msg_fields,
                updated_at = time::now()",
        );
    } else {
        tx.push(
            "CREATE $msg SET account = $msg_account, name = $msg_name, subject = $msg_subject, body = $msg_body,
                fields = $msg_fields",
        );
    }
}

pub fn delete(tx: &mut Tx, account_key: &str, message_key: &str) {
    tx.bind("msg_account", rid("account", account_key));
    tx.bind("msg", rid("message", message_key));
    tx.push("IF (SELECT VALUE id FROM message WHERE id = $msg AND account = $msg_account) = [] { THROW 'message not found' }");
    tx.push("DELETE $msg");
}
