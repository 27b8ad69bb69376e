//! Notes on contacts.
use leptos::prelude::*;

use crate::contacts::model::NoteView;
use crate::core::error::AppError;

#[server(endpoint = "contact_notes")]
pub async fn contact_notes(contact: String) -> Result<Vec<NoteView>, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::contacts::notes::service::list(&services, &actor, &contact).await?)
}

/// Adds a note to `contact` when `id` is empty, else edits note `id`.
#[server(endpoint = "save_note")]
pub async fn save_note(contact: String, id: String, body: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    if id.is_empty() {
        crate::contacts::notes::service::create(&services, &actor, &contact, &body).await?;
    } else {
        crate::contacts::notes::service::update(&services, &actor, &id, &body).await?;
    }
    Ok(())
}

#[server(endpoint = "delete_note")]
pub async fn delete_note(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::contacts::notes::service::delete(&services, &actor, &id).await?)
}
