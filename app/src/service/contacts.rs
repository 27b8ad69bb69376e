//! Contacts of the account acted in, governed by the `contacts` permissions.
use super::{Actor, FieldErrors, ServiceError, Services};
use crate::domain::{Email, Invalid, Permission};
use crate::model::{ContactList, ContactView};
use crate::store::{self, contacts, contacts::ContactFields, StoreError, Tx};

/// What a person typed in the contact form.
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// Comma-separated tag names.
    pub tags: String,
}

/// Without `contacts.view` the list is empty: the role may still use other contact items.
pub async fn list(services: &Services, actor: &Actor) -> Result<ContactList, ServiceError> {
    let contacts = if actor.can(Permission::CONTACTS_VIEW) {
        contacts::list(&services.db, &actor.account_id)
            .await?
            .into_iter()
            .map(|c| ContactView {
                id: c.id,
                first_name: c.first_name,
                last_name: c.last_name,
                email: c.email,
                phone: c.phone,
                tags: c.tags,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ContactList {
        contacts,
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

fn parse_fields(input: &ContactInput) -> Result<(ContactFields, Vec<String>), ServiceError> {
    let mut errors = FieldErrors::default();
    let text = |raw: &str, what: &str, max: usize| -> Result<String, Invalid> {
        let v = raw.trim();
        if v.chars().count() > max {
            return Err(Invalid(format!("The {what} can be at most {max} characters.")));
        }
        Ok(v.to_string())
    };
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
        },
        tags.unwrap_or_default(),
    ))
}

/// New tag names need `create_delete_tags`; putting tags on a contact needs `manage_tags`.
async fn authorize_tags(
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
    let existing = contacts::existing_tags(&services.db, &actor.account_id, tags).await?;
    if tags.iter().any(|t| !existing.contains(t)) {
        actor.authorize(Permission::CONTACTS_CREATE_DELETE_TAGS)?;
    }
    Ok(())
}

fn not_found(e: StoreError) -> ServiceError {
    match e {
        StoreError::Db(ref inner) if inner.to_string().contains("contact not found") => {
            ServiceError::NotFound("This contact no longer exists.".into())
        }
        other => other.into(),
    }
}

pub async fn create(services: &Services, actor: &Actor, input: ContactInput) -> Result<String, ServiceError> {
    actor.authorize(Permission::CONTACTS_CREATE_EDIT)?;
    let (fields, tags) = parse_fields(&input)?;
    authorize_tags(services, actor, &tags, &[]).await?;
    let key = store::new_key();
    let detail = format!(
        "Created contact {} {} {}",
        fields.first_name, fields.last_name, fields.email
    );
    let mut tx = Tx::new();
    contacts::create(&mut tx, &actor.account_id, &key, fields, &tags);
    tx.audit(actor.audit("contact.created", detail));
    tx.commit(&services.db).await?;
    Ok(key)
}

pub async fn update(
    services: &Services,
    actor: &Actor,
    contact_id: &str,
    input: ContactInput,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_CREATE_EDIT)?;
    let (fields, tags) = parse_fields(&input)?;
    let Some(before) = contacts::tags_of(&services.db, &actor.account_id, contact_id).await? else {
        return Err(ServiceError::NotFound("This contact no longer exists.".into()));
    };
    authorize_tags(services, actor, &tags, &before).await?;
    let tags_changed = tags != before;
    let detail = format!(
        "Edited contact {} {} {}",
        fields.first_name, fields.last_name, fields.email
    );
    let mut tx = Tx::new();
    contacts::update(
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

pub async fn delete(services: &Services, actor: &Actor, contact_id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::CONTACTS_DELETE)?;
    let mut tx = Tx::new();
    contacts::delete(&mut tx, &actor.account_id, contact_id);
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
}
