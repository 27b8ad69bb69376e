//! Notes on contacts.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::NoteView;

#[server(endpoint = "contact_notes")]
pub async fn contact_notes(contact: String) -> Result<Vec<NoteView>, AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::notes::list(&services, &actor, &contact).await?)
}

/// Adds a note to `contact` when `id` is empty, else edits note `id`.
#[server(endpoint = "save_note")]
pub async fn save_note(contact: String, id: String, body: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    if id.is_empty() {
        crate::service::notes::create(&services, &actor, &contact, &body).await?;
    } else {
        crate::service::notes::update(&services, &actor, &id, &body).await?;
    }
    Ok(())
}

#[server(endpoint = "delete_note")]
pub async fn delete_note(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::notes::delete(&services, &actor, &id).await?)
}
