//! Notes on contacts. Every query is scoped to one account.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct NoteRow {
    pub id: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

/// Notes of a contact of the account, newest first; `None` when the contact is not there.
pub async fn of_contact(
    db: &Db,
    account_key: &str,
    contact_key: &str,
) -> Result<Option<Vec<NoteRow>>, StoreError> {
    let res = db
        .query(
            "SELECT VALUE id FROM contact WHERE id = $contact AND account = $account;
             SELECT record::id(id) AS id, body, author, <string> created_at AS created_at FROM note
             WHERE contact = $contact AND account = $account ORDER BY created_at DESC",
        )
        .bind(("account", rid("account", account_key)))
        .bind(("contact", rid("contact", contact_key)))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let found: Vec<surrealdb::types::RecordId> = res.take(0).map_err(db_err)?;
    if found.is_empty() {
        return Ok(None);
    }
    Ok(Some(res.take(1).map_err(db_err)?))
}

pub fn create(tx: &mut Tx, account_key: &str, contact_key: &str, note_key: &str, body: &str, author: &str) {
    tx.bind("n_account", rid("account", account_key));
    tx.bind("n_contact", rid("contact", contact_key));
    tx.bind("n_note", rid("note", note_key));
    tx.bind("n_body", body.to_string());
    tx.bind("n_author", author.to_string());
    tx.push("IF (SELECT VALUE id FROM contact WHERE id = $n_contact AND account = $n_account) = [] { THROW 'contact not found' }");
    tx.push(
        "CREATE $n_note SET account = $n_account, contact = $n_contact, body = $n_body, author = $n_author",
    );
}

pub fn update(tx: &mut Tx, account_key: &str, note_key: &str, body: &str) {
    tx.bind("n_account", rid("account", account_key));
    tx.bind("n_note", rid("note", note_key));
    tx.bind("n_body", body.to_string());
    tx.push("IF (SELECT VALUE id FROM note WHERE id = $n_note AND account = $n_account) = [] { THROW 'note not found' }");
    tx.push("UPDATE $n_note SET body = $n_body, updated_at = time::now() RETURN NONE");
}

pub fn delete(tx: &mut Tx, account_key: &str, note_key: &str) {
    tx.bind("n_account", rid("account", account_key));
    tx.bind("n_note", rid("note", note_key));
    tx.push("IF (SELECT VALUE id FROM note WHERE id = $n_note AND account = $n_account) = [] { THROW 'note not found' }");
    tx.push("DELETE $n_note");
}
