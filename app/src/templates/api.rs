//! Account templates of the agency.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::templates::model::TemplatesPage;

#[server(endpoint = "templates")]
pub async fn list_templates() -> Result<TemplatesPage, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::templates::service::page(&services, &actor).await?)
}

/// "Convert to template".
#[server(endpoint = "convert_to_template")]
pub async fn convert_to_template(
    sandbox: String,
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::templates::service::convert(&services, &actor, &sandbox, &name, &description).await?;
    Ok(())
}

#[server(endpoint = "refresh_template")]
pub async fn refresh_template(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::templates::service::refresh(&services, &actor, &id).await?)
}

#[server(endpoint = "rename_template")]
pub async fn rename_template(
    id: String,
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::templates::service::rename(&services, &actor, &id, &name, &description).await?)
}

#[server(endpoint = "delete_template")]
pub async fn delete_template(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::templates::service::delete(&services, &actor, &id).await?)
}
