//! Messages (email templates) of the account acted in.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::MessageList;

#[server(endpoint = "messages")]
pub async fn list_messages() -> Result<MessageList, AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::messages::list(&services, &actor).await?)
}

/// Creates a message when `id` is empty, else edits it.
#[server(endpoint = "save_message")]
pub async fn save_message(id: String, name: String, subject: String, body: String) -> Result<(), AppError> {
    use crate::service::messages::{save, MessageInput};
    let (services, actor) = super::context::actor().await?;
    save(&services, &actor, &id, MessageInput { name, subject, body }).await?;
    Ok(())
}

#[server(endpoint = "copy_message")]
pub async fn copy_message(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    crate::service::messages::copy(&services, &actor, &id).await?;
    Ok(())
}

#[server(endpoint = "delete_message")]
pub async fn delete_message(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::messages::delete(&services, &actor, &id).await?)
}

#[server(endpoint = "send_test_message")]
pub async fn send_test_message(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::messages::send_test(&services, &actor, &id).await?)
}
