//! Team roles and permission management.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::roles::model::RoleView;

#[server(endpoint = "roles")]
pub async fn list_roles() -> Result<Vec<RoleView>, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::roles::service::list(&services, &actor).await?)
}

#[server(endpoint = "copy_role")]
pub async fn copy_role(id: String) -> Result<String, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::roles::service::copy(&services, &actor, &id.into())
        .await?
        .into())
}

/// `perms` are the checked boxes, named `perms[<permission>]` in the form.
#[server(endpoint = "save_role")]
pub async fn save_role(
    id: String,
    name: String,
    #[server(default)] perms: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let permissions: Vec<String> = perms.into_keys().collect();
    Ok(crate::roles::service::save(&services, &actor, &id.into(), &name, &permissions).await?)
}

#[server(endpoint = "delete_role")]
pub async fn delete_role(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::roles::service::delete(&services, &actor, &id.into()).await?)
}
