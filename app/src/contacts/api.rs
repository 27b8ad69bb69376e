//! Contacts of the account acted in.
use leptos::prelude::*;

use crate::contacts::model::{ContactList, ImportOutcome};
use crate::core::error::AppError;

#[server(endpoint = "list_contacts")]
pub async fn list_contacts() -> Result<ContactList, AppError> {
    use crate::contacts::service;
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(service::list(&services, &actor).await?)
}

#[server(endpoint = "save_contact")]
/// Creates a contact when `id` is empty, else edits that contact.
pub async fn save_contact(
    id: String,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    tags: String,
    /// Custom field values, named `values[f_<field id>]` in the form (a key starting with a
    /// digit would be read as an array index).
    #[server(default)]
    values: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::contacts::service::{self, ContactInput};
    let (services, actor) = crate::identity::context::actor().await?;
    let input = ContactInput {
        first_name,
        last_name,
        email,
        phone,
        tags,
        values: values
            .into_iter()
            .map(|(k, v)| (k.strip_prefix("f_").unwrap_or(&k).to_string(), v))
            .collect(),
    };
    if id.is_empty() {
        service::create(&services, &actor, input).await?;
    } else {
        service::update(&services, &actor, &id, input).await?;
    }
    Ok(())
}

#[server(endpoint = "delete_contact")]
pub async fn delete_contact(id: String) -> Result<(), AppError> {
    use crate::contacts::service;
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(service::delete(&services, &actor, &id).await?)
}

#[server(endpoint = "create_custom_field")]
pub async fn create_custom_field(field_name: String, kind: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::contacts::fields::service::create(&services, &actor, &field_name, &kind).await?;
    Ok(())
}

#[server(endpoint = "delete_custom_field")]
pub async fn delete_custom_field(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::contacts::fields::service::delete(&services, &actor, &id).await?)
}

/// "Import": contacts from CSV text (pasted, or read from a chosen file in the browser).
#[server(endpoint = "import_contacts")]
pub async fn import_contacts(csv: String) -> Result<ImportOutcome, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::contacts::csv::import(&services, &actor, &csv).await?)
}
