//! Notes on contacts: `contacts.notes` to read them, `create_notes` to add, `edit_delete_notes`
//! to change or remove them.
use super::store;
use crate::contacts::model::NoteView;
use crate::contacts::service::ContactRefusal;
use crate::core::db::{self, StoreError, Tx};
use crate::core::domain::{Invalid, Permission};
use crate::core::services::{Actor, ServiceError, Services};

fn parse_body(raw: &str) -> Result<String, ServiceError> {
    let body = raw.trim();
    let check = if body.is_empty() {
        Err(Invalid("Write the note first.".into()))
    } else if body.chars().count() > 5_000 {
        Err(Invalid("A note can be at most 5,000 characters.".into()))
    } else {
        Ok(body.to_string())
    };
    check.map_err(|e| ServiceError::field("body", e.0))
}

fn gone(e: StoreError) -> ServiceError {
    match e {
        StoreError::Db(ref inner) if inner.to_string().contains("not found") => {
            ContactRefusal::NoteGone.into()
        }
        other => other.into(),
    }
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, contact_id = %contact_id))]
pub async fn list(
    services: &Services,
    actor: &Actor,
    contact_id: &str,
) -> Result<Vec<NoteView>, ServiceError> {
    actor.authorize(Permission::CONTACTS_NOTES)?;
    let Some(rows) = store::of_contact(&services.db, &actor.account_id, contact_id).await? else {
        return Err(ContactRefusal::ContactGone.into());
    };
    Ok(rows
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            body: n.body,
            author: n.author,
            created_at: actor.dates.moment_of(&n.created_at),
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, contact_id = %contact_id))]
pub async fn create(
    services: &Services,
    actor: &Actor,
    contact_id: &str,
    body: &str,
) -> Result<String, ServiceError> {
    actor.authorize(Permission::CONTACTS_CREATE_NOTES)?;
    let body = parse_body(body)?;
    let key = db::new_key();
    let mut tx = Tx::new();
    store::create(
        &mut tx,
        &actor.account_id,
        contact_id,
        &key,
        &body,
        &actor.audit_name(),
    );
    tx.audit(actor.audit("note.created", format!("Added a note to contact {contact_id}")));
    tx.commit(&services.db).await.map_err(gone)?;
    Ok(key)
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, note_id = %note_id))]
pub async fn update(
    services: &Services,
    actor: &Actor,
    note_id: &str,
    body: &str,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_EDIT_DELETE_NOTES)?;
    let body = parse_body(body)?;
    let mut tx = Tx::new();
    store::update(&mut tx, &actor.account_id, note_id, &body);
    tx.audit(actor.audit("note.updated", format!("Edited note {note_id}")));
    tx.commit(&services.db).await.map_err(gone)?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, note_id = %note_id))]
pub async fn delete(services: &Services, actor: &Actor, note_id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_EDIT_DELETE_NOTES)?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, note_id);
    tx.audit(actor.audit("note.deleted", format!("Deleted note {note_id}")));
    tx.commit(&services.db).await.map_err(gone)?;
    Ok(())
}
