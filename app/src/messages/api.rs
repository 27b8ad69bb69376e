//! Messages (email templates) of the account acted in.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::messages::model::MessageList;

#[server(endpoint = "messages")]
pub async fn list_messages() -> Result<MessageList, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::messages::service::list(&services, &actor).await?)
}

/// Creates a message when `id` is empty, else edits it.
#[server(endpoint = "save_message")]
pub async fn save_message(id: String, name: String, subject: String, body: String) -> Result<(), AppError> {
    use crate::messages::service::{save, MessageInput};
    let (services, actor) = crate::identity::context::actor().await?;
    save(&services, &actor, &id, MessageInput { name, subject, body }).await?;
    Ok(())
}

#[server(endpoint = "copy_message")]
pub async fn copy_message(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::messages::service::copy(&services, &actor, &id).await?;
    Ok(())
}

#[server(endpoint = "delete_message")]
pub async fn delete_message(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::messages::service::delete(&services, &actor, &id).await?)
}

#[server(endpoint = "send_test_message")]
pub async fn send_test_message(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::messages::service::send_test(&services, &actor, &id).await?)
}
