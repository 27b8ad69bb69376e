//! Contacts and tags. Every query is scoped to one account.
use surrealdb::types::{RecordId, SurrealValue};

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct ContactRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub tags: Vec<String>,
    pub fields: Vec<FieldValueRow>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct FieldValueRow {
    pub field: String,
    pub value: String,
}

/// A contact's value for one custom field, as stored.
#[derive(Debug, Clone, SurrealValue)]
pub struct FieldValue {
    pub field: RecordId,
    pub value: String,
}

pub struct ContactFields {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub values: Vec<FieldValue>,
}

/// A tag's key is derived from its account and name, so that saving a tag twice is one tag.
pub fn tag_id(account_key: &str, name: &str) -> RecordId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{account_key}\u{0}{name}").as_bytes());
    rid("tag", &hex::encode(&digest[..12]))
}

/// How many contacts the Contacts page shows, newest first.
pub const PAGE_LIMIT: i64 = 500;

/// The newest contacts of the account, at most `limit` (`None`: all of them, for an export).
pub async fn list(db: &Db, account_key: &str, limit: Option<i64>) -> Result<Vec<ContactRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, first_name, last_name, email, phone,
                    tags.map(|$t| $t.name) AS tags,
                    fields.map(|$f| {{ field: record::id($f.field), value: $f.value }}) AS fields, created_at
             FROM contact WHERE account = $account ORDER BY created_at DESC{}",
            if limit.is_some() { " LIMIT $limit" } else { "" }
        ))
        .bind(("account", rid("account", account_key)))
        .bind(("limit", limit.unwrap_or(0)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// The tag names that already exist in the account, among `names`.
pub async fn existing_tags(db: &Db, account_key: &str, names: &[String]) -> Result<Vec<String>, StoreError> {
    let res = db
        .query("SELECT VALUE name FROM tag WHERE account = $account AND name IN $names")
        .bind(("account", rid("account", account_key)))
        .bind(("names", names.to_vec()))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Tags currently on a contact of the account; `None` when the contact is not in the account.
pub async fn tags_of(
    db: &Db,
    account_key: &str,
    contact_key: &str,
) -> Result<Option<Vec<String>>, StoreError> {
    let res = db
        .query("SELECT VALUE tags.map(|$t| $t.name) FROM contact WHERE id = $contact AND account = $account")
        .bind(("account", rid("account", account_key)))
        .bind(("contact", rid("contact", contact_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<Vec<String>> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

fn upsert_tags(tx: &mut Tx, account_key: &str, tags: &[String]) -> Vec<RecordId> {
    let mut ids = Vec::with_capacity(tags.len());
    for (i, name) in tags.iter().enumerate() {
        let id = tag_id(account_key, name);
        tx.push(format!(
            "UPSERT $tag_{i} SET account = $account, name = $tag_{i}_name"
        ));
        tx.bind(&format!("tag_{i}"), id.clone());
        tx.bind(&format!("tag_{i}_name"), name.clone());
        ids.push(id);
    }
    ids
}

/// Adds to `tx` the creation of a contact with its tags.
pub fn create(tx: &mut Tx, account_key: &str, contact_key: &str, fields: ContactFields, tags: &[String]) {
    tx.bind("account", rid("account", account_key));
    let tag_ids = upsert_tags(tx, account_key, tags);
    tx.push(
        "CREATE $contact SET account = $account, first_name = $first_name, last_name = $last_name, \
         email = $email, phone = $phone, tags = $tags, fields = $values",
    );
    bind_fields(tx, contact_key, fields, tag_ids);
}

/// Adds to `tx` the update of a contact of the account. Throws when it is not there, so that
/// nothing else in the transaction happens.
pub fn update(
    tx: &mut Tx,
    account_key: &str,
    contact_key: &str,
    fields: ContactFields,
    tags: Option<&[String]>,
) {
    tx.bind("account", rid("account", account_key));
    tx.push("IF (SELECT VALUE id FROM contact WHERE id = $contact AND account = $account) = [] { THROW 'contact not found' }");
    let set_tags = match tags {
        Some(tags) => {
            let ids = upsert_tags(tx, account_key, tags);
            tx.bind("tags", ids);
            ", tags = $tags"
        }
        None => "",
    };
    tx.push(format!(
        "UPDATE $contact SET first_name = $first_name, last_name = $last_name, email = $email, \
         phone = $phone, fields = $values, updated_at = time::now(){set_tags} WHERE account = $account"
    ));
    tx.bind("contact", rid("contact", contact_key));
    tx.bind("first_name", fields.first_name);
    tx.bind("last_name", fields.last_name);
    tx.bind("email", fields.email);
    tx.bind("phone", fields.phone);
    tx.bind("values", fields.values);
}

fn bind_fields(tx: &mut Tx, contact_key: &str, fields: ContactFields, tags: Vec<RecordId>) {
    tx.bind("contact", rid("contact", contact_key));
    tx.bind("first_name", fields.first_name);
    tx.bind("last_name", fields.last_name);
    tx.bind("email", fields.email);
    tx.bind("phone", fields.phone);
    tx.bind("values", fields.values);
    tx.bind("tags", tags);
}

/// Adds to `tx` the deletion of a contact of the account; throws when it is not there.
pub fn delete(tx: &mut Tx, account_key: &str, contact_key: &str) {
    tx.bind("account", rid("account", account_key));
    tx.bind("contact", rid("contact", contact_key));
    tx.push("IF (SELECT VALUE id FROM contact WHERE id = $contact AND account = $account) = [] { THROW 'contact not found' }");
    tx.push("DELETE note WHERE contact = $contact AND account = $account");
    tx.push("DELETE $contact WHERE account = $account");
}

/// Adds to `tx` many contacts of the account at once, with their tags (an import).
pub fn create_many(tx: &mut Tx, account_key: &str, contacts: Vec<(String, ContactFields, Vec<String>)>) {
    #[derive(SurrealValue)]
    struct NewContact {
        id: RecordId,
        account: RecordId,
        first_name: String,
        last_name: String,
        email: String,
        phone: String,
        tags: Vec<RecordId>,
        fields: Vec<FieldValue>,
    }
    let mut names: Vec<String> = Vec::new();
    for (_, _, tags) in &contacts {
        for t in tags {
            if !names.contains(t) {
                names.push(t.clone());
            }
        }
    }
    tx.bind("account", rid("account", account_key));
    upsert_tags(tx, account_key, &names);
    let rows: Vec<NewContact> = contacts
        .into_iter()
        .map(|(key, f, tags)| NewContact {
            id: rid("contact", &key),
            account: rid("account", account_key),
            first_name: f.first_name,
            last_name: f.last_name,
            email: f.email,
            phone: f.phone,
            tags: tags.iter().map(|t| tag_id(account_key, t)).collect(),
            fields: f.values,
        })
        .collect();
    tx.bind("import_rows", rows);
    tx.push("INSERT INTO contact $import_rows RETURN NONE");
}
