//! Account templates of the agency.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::TemplatesPage;

#[server(endpoint = "templates")]
pub async fn list_templates() -> Result<TemplatesPage, AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::templates::page(&services, &actor).await?)
}

/// "Convert to template".
#[server(endpoint = "convert_to_template")]
pub async fn convert_to_template(
    sandbox: String,
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    crate::service::templates::convert(&services, &actor, &sandbox, &name, &description).await?;
    Ok(())
}

#[server(endpoint = "refresh_template")]
pub async fn refresh_template(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::templates::refresh(&services, &actor, &id).await?)
}

#[server(endpoint = "rename_template")]
pub async fn rename_template(
    id: String,
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::templates::rename(&services, &actor, &id, &name, &description).await?)
}

#[server(endpoint = "delete_template")]
pub async fn delete_template(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::templates::delete(&services, &actor, &id).await?)
}
