//! Server functions of the Webhooks page.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::webhooks::model::{NewWebhookEndpoint, WebhooksPage};

#[server(endpoint = "webhooks")]
pub async fn list_webhooks() -> Result<WebhooksPage, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::webhooks::service::page(&services, &actor).await?)
}

/// `events` are the checked boxes, named `events[<event>]` in the form.
#[server(endpoint = "add_webhook_endpoint")]
pub async fn add_webhook_endpoint(
    url: String,
    #[server(default)] description: String,
    #[server(default)] events: std::collections::HashMap<String, String>,
) -> Result<NewWebhookEndpoint, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let events: Vec<String> = events.into_keys().collect();
    Ok(crate::webhooks::service::add(&services, &actor, &url, &description, &events).await?)
}

#[server(endpoint = "set_webhook_enabled")]
pub async fn set_webhook_enabled(id: String, enabled: bool) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::webhooks::service::set_enabled(&services, &actor, &id, enabled).await?)
}

#[server(endpoint = "delete_webhook_endpoint")]
pub async fn delete_webhook_endpoint(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::webhooks::service::delete(&services, &actor, &id).await?)
}

#[server(endpoint = "webhook_secret")]
pub async fn webhook_secret(id: String) -> Result<String, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::webhooks::service::secret(&services, &actor, &id).await?)
}

#[server(endpoint = "retry_webhook_delivery")]
pub async fn retry_webhook_delivery(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::webhooks::service::retry(&services, &actor, &id).await?)
}
