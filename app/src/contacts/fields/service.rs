//! Custom fields of the account acted in, governed by `contacts.manage_fields`.
use super::store;
use crate::contacts::service::ContactRefusal;
use crate::core::db::{self, StoreError, Tx};
use crate::core::domain::{Invalid, Permission, FIELD_KINDS};
use crate::core::services::{Actor, ServiceError, Services};

fn parse_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Invalid("Enter a field name.".into()));
    }
    if name.chars().count() > 60 {
        return Err(Invalid("A field name can be at most 60 characters.".into()));
    }
    if name.contains("{{") || name.contains("}}") {
        return Err(Invalid("A field name can't contain {{ or }}.".into()));
    }
    Ok(name.to_string())
}

// Contacts, messages and template copies read the account's fields.
pub use super::store::{list, FieldRow};

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn create(
    services: &Services,
    actor: &Actor,
    name: &str,
    kind: &str,
) -> Result<String, ServiceError> {
    actor.authorize(Permission::CONTACTS_MANAGE_FIELDS)?;
    let name = parse_name(name).map_err(|e| ServiceError::field("field_name", e.0))?;
    if !FIELD_KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(ServiceError::field("kind", "Choose a field type."));
    }
    let key = db::new_key();
    let mut tx = Tx::new();
    store::create(&mut tx, &actor.account_id, &key, &name, kind);
    tx.audit(actor.audit(
        "field.created",
        format!("Created the custom field {name} ({kind})"),
    ));
    services.commit(tx).await.map_err(|e| {
        ServiceError::unique(
            e,
            "custom_field_account_name",
            "field_name",
            "A field with this name already exists.",
        )
    })?;
    Ok(key)
}

/// Deleting a field removes its values from every contact, in the same transaction.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, field_id = %field_id))]
pub async fn delete(services: &Services, actor: &Actor, field_id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_MANAGE_FIELDS)?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, field_id);
    tx.audit(actor.audit("field.deleted", format!("Deleted the custom field {field_id}")));
    match tx.commit(&services.db).await {
        Ok(_) => Ok(()),
        Err(StoreError::Db(e)) if e.to_string().contains("field not found") => {
            Err(ContactRefusal::FieldGone.into())
        }
        Err(e) => Err(e.into()),
    }
}
