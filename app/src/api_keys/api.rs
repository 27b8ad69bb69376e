//! Server functions of the API manager page.
use leptos::prelude::*;

use crate::api_keys::model::{ApiKeysPage, NewApiKey};
use crate::core::error::AppError;

#[server(endpoint = "api_keys")]
pub async fn list_api_keys() -> Result<ApiKeysPage, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let mut page = crate::api_keys::service::page(&services, &actor).await?;
    page.just_made = crate::api_keys::reveal::take(&services, &actor);
    Ok(page)
}

#[server(endpoint = "create_api_key")]
pub async fn create_api_key(name: String, role: String, expires: i64) -> Result<NewApiKey, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let made = crate::api_keys::service::create(&services, &actor, &name, &role.into(), expires).await?;
    if crate::identity::context::is_plain_form() {
        crate::api_keys::reveal::keep(&services, &actor, &made);
    }
    Ok(made)
}

#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::api_keys::service::revoke(&services, &actor, &id).await?)
}
