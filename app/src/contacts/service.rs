//! Contacts of the account acted in, governed by the `contacts` permissions.
use super::store;
use super::store::ContactFields;
use crate::contacts::fields::service::{self as fields, FieldRow};
use crate::contacts::model::{ContactList, ContactView, CustomFieldView};
use crate::core::db::{self, StoreError, Tx};
use crate::core::domain::names::text;
use crate::core::domain::{Email, Invalid, Permission};
use crate::core::services::{Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};

// The record shapes a template copy writes contacts in (see `templates::store::copy_content`).
pub use super::store::{tag_id, FieldValue, PAGE_LIMIT};

/// Why the contacts use cases (contacts, their notes, custom fields) say no.
#[derive(Debug, thiserror::Error)]
pub enum ContactRefusal {
    #[error("This contact no longer exists.")]
    ContactGone,
    #[error("This note or contact no longer exists.")]
    NoteGone,
    #[error("This field no longer exists.")]
    FieldGone,
}

impl Refusal for ContactRefusal {
    fn kind(&self) -> RefusalKind {
        RefusalKind::NotFound
    }
}

/// What a person typed in the contact form.
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// Comma-separated tag names.
    pub tags: String,
    /// Values typed for custom fields, by field id; empty ones are dropped.
    pub values: Vec<(String, String)>,
}

/// Without `contacts.view` the list is empty: the role may still use other contact items.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list(services: &Services, actor: &Actor) -> Result<ContactList, ServiceError> {
    let contacts = if actor.can(Permission::CONTACTS_VIEW) {
        store::list(&services.db, &actor.account_id, Some(store::PAGE_LIMIT))
            .await?
            .into_iter()
            .map(|c| ContactView {
                id: c.id,
                first_name: c.first_name,
                last_name: c.last_name,
                email: c.email,
                phone: c.phone,
                tags: c.tags,
                values: c.fields.into_iter().map(|v| (v.field, v.value)).collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let fields = fields::list(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .map(|f| CustomFieldView {
            id: f.id,
            name: f.name,
            kind: f.kind,
        })
        .collect();
    Ok(ContactList {
        contacts,
        fields,
        can_manage_fields: actor.can(Permission::CONTACTS_MANAGE_FIELDS),
        can_export: actor.can(Permission::CONTACTS_VIEW) && actor.can(Permission::CONTACTS_EXPORT),
        can_import: actor.can(Permission::CONTACTS_IMPORT),
        can_view_notes: actor.can(Permission::CONTACTS_NOTES),
        can_create_notes: actor.can(Permission::CONTACTS_CREATE_NOTES),
        can_edit_notes: actor.can(Permission::CONTACTS_EDIT_DELETE_NOTES),
        can_create_edit: actor.can(Permission::CONTACTS_CREATE_EDIT),
        can_delete: actor.can(Permission::CONTACTS_DELETE),
        can_manage_tags: actor.can(Permission::CONTACTS_MANAGE_TAGS),
    })
}

fn parse_tags(raw: &str) -> Result<Vec<String>, Invalid> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > 40 {
            return Err(Invalid("A tag can be at most 40 characters.".into()));
        }
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_string());
        }
    }
    if tags.len() > 20 {
        return Err(Invalid("A contact can have at most 20 tags.".into()));
    }
    Ok(tags)
}

/// A value for a custom field of the account, checked against the field's kind.
fn parse_value(field: &FieldRow, raw: &str) -> Result<String, Invalid> {
    let v = raw.trim();
    match field.kind.as_str() {
        "number" if v.parse::<f64>().is_err() => Err(Invalid(format!("{} must be a number.", field.name))),
        "date" if !is_date(v) => Err(Invalid(format!("{} must be a date (YYYY-MM-DD).", field.name))),
        _ if v.chars().count() > 500 => {
            Err(Invalid(format!("{} can be at most 500 characters.", field.name)))
        }
        _ => Ok(v.to_string()),
    }
}

fn is_date(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    let [y, m, d] = parts[..] else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    (1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

pub(super) fn parse_fields(
    input: &ContactInput,
    known: &[FieldRow],
) -> Result<(ContactFields, Vec<String>), ServiceError> {
    let mut errors = FieldErrors::default();
    let text = |raw: &str, what: &str, max: usize| text(raw, what, 0, max);
    let first_name = errors.check("first_name", text(&input.first_name, "first name", 80));
    let last_name = errors.check("last_name", text(&input.last_name, "last name", 80));
    let email = errors.check(
        "email",
        if input.email.trim().is_empty() {
            Ok(String::new())
        } else {
            Email::parse(&input.email).map(|e| e.to_string())
        },
    );
    let phone = errors.check("phone", text(&input.phone, "phone", 40));
    let tags = errors.check("tags", parse_tags(&input.tags));
    let mut values = Vec::new();
    for (field_id, raw) in &input.values {
        if raw.trim().is_empty() {
            continue;
        }
        let name = format!("field_{field_id}");
        let Some(field) = known.iter().find(|f| &f.id == field_id) else {
            errors.check::<()>(&name, Err(Invalid("This field no longer exists.".into())));
            continue;
        };
        if let Some(value) = errors.check(&name, parse_value(field, raw)) {
            values.push(store::FieldValue {
                field: db::rid("custom_field", field_id),
                value,
            });
        }
    }
    if first_name.as_deref() == Some("") && last_name.as_deref() == Some("") && email.as_deref() == Some("") {
        errors.check::<()>(
            "first_name",
            Err(Invalid("Enter a name or an email address.".into())),
        );
    }
    errors.finish()?;
    Ok((
        ContactFields {
            first_name: first_name.unwrap_or_default(),
            last_name: last_name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            phone: phone.unwrap_or_default(),
            values,
        },
        tags.unwrap_or_default(),
    ))
}

/// New tag names need `create_delete_tags`; putting tags on a contact needs `manage_tags`.
pub(crate) async fn authorize_tags(
    services: &Services,
    actor: &Actor,
    tags: &[String],
    before: &[String],
) -> Result<(), ServiceError> {
    let changed = tags.len() != before.len() || tags.iter().any(|t| !before.contains(t));
    if !changed {
        return Ok(());
    }
    actor.authorize(Permission::CONTACTS_MANAGE_TAGS)?;
    let existing = store::existing_tags(&services.db, &actor.account_id, tags).await?;
    if tags.iter().any(|t| !existing.contains(t)) {
        actor.authorize(Permission::CONTACTS_CREATE_DELETE_TAGS)?;
    }
    Ok(())
}

fn not_found(e: StoreError) -> ServiceError {
    match e {
        StoreError::Db(ref inner) if inner.to_string().contains("contact not found") => {
            ContactRefusal::ContactGone.into()
        }
        other => other.into(),
    }
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn create(services: &Services, actor: &Actor, input: ContactInput) -> Result<String, ServiceError> {
    actor.authorize(Permission::CONTACTS_CREATE_EDIT)?;
    let known = fields::list(&services.db, &actor.account_id).await?;
    let (fields, tags) = parse_fields(&input, &known)?;
    authorize_tags(services, actor, &tags, &[]).await?;
    let key = db::new_key();
    let detail = format!(
        "Created contact {} {} {}",
        fields.first_name, fields.last_name, fields.email
    );
    let mut tx = Tx::new();
    store::create(&mut tx, &actor.account_id, &key, fields, &tags);
    tx.audit(actor.audit("contact.created", detail));
    tx.commit(&services.db).await?;
    Ok(key)
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, contact_id = %contact_id))]
pub async fn update(
    services: &Services,
    actor: &Actor,
    contact_id: &str,
    input: ContactInput,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_CREATE_EDIT)?;
    let known = fields::list(&services.db, &actor.account_id).await?;
    let (fields, tags) = parse_fields(&input, &known)?;
    let Some(before) = store::tags_of(&services.db, &actor.account_id, contact_id).await? else {
        return Err(ContactRefusal::ContactGone.into());
    };
    authorize_tags(services, actor, &tags, &before).await?;
    let tags_changed = tags != before;
    let detail = format!(
        "Edited contact {} {} {}",
        fields.first_name, fields.last_name, fields.email
    );
    let mut tx = Tx::new();
    store::update(
        &mut tx,
        &actor.account_id,
        contact_id,
        fields,
        tags_changed.then_some(&tags[..]),
    );
    tx.audit(actor.audit("contact.updated", detail));
    tx.commit(&services.db).await.map_err(not_found)?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, contact_id = %contact_id))]
pub async fn delete(services: &Services, actor: &Actor, contact_id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_DELETE)?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, contact_id);
    tx.audit(actor.audit("contact.deleted", format!("Deleted contact {contact_id}")));
    tx.commit(&services.db).await.map_err(not_found)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_split_trimmed_and_deduplicated() {
        assert_eq!(parse_tags(" vip, lead ,VIP,, ").expect("ok"), vec!["vip", "lead"]);
        assert!(parse_tags(&"x".repeat(41)).is_err());
    }

    #[test]
    fn field_values_follow_the_field_kind() {
        let field = |kind: &str| FieldRow {
            id: "f".into(),
            name: "Due".into(),
            kind: kind.into(),
        };
        assert!(parse_value(&field("number"), "12.5").is_ok());
        assert!(parse_value(&field("number"), "twelve").is_err());
        assert!(parse_value(&field("date"), "2026-11-22").is_ok());
        assert!(parse_value(&field("date"), "22/11/2026").is_err());
        assert!(parse_value(&field("text"), "anything").is_ok());
    }
}
