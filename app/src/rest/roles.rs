//! `/api/v1/roles`: the account's team roles, as the Roles page manages them (permission
//! `admin_tools.manage_roles`). As on the page, a new role starts as a copy of another.
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{key_actor, ApiError, ChangeErrors, CommonErrors, Created};
use crate::core::services::{ServiceError, Services};
use crate::roles::model::RoleView;
use crate::roles::service as roles;

/// A team role of the account, with how many hold it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Role {
    pub id: String,
    pub name: String,
    /// Admin, Manager, Builder or Designer/Content writer: fixed, copy it to change it.
    pub is_default: bool,
    /// The permissions it gives, such as `managed_accounts.view` or `admin_tools.manage_users`.
    pub permissions: Vec<String>,
    /// Team users holding it.
    pub users: i64,
    /// Account managers (grants) holding it.
    pub grants: i64,
}

impl From<RoleView> for Role {
    fn from(r: RoleView) -> Self {
        Self {
            id: r.id,
            name: r.name,
            is_default: r.is_default,
            permissions: r.permissions,
            users: r.users,
            grants: r.grants,
        }
    }
}

/// Every role of the account, in one page: an account has a handful.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub data: Vec<Role>,
    pub total: i64,
}

/// The account's roles, the default ones first.
#[utoipa::path(
    get, path = "/api/v1/roles", operation_id = "list_roles", tag = "Roles",
    security(("api_key" = [])),
    responses((status = 200, body = RoleList), CommonErrors)
)]
pub async fn list(State(services): State<Services>, headers: HeaderMap) -> Result<Json<RoleList>, ApiError> {
    let actor = key_actor(&services, &headers).await?;
    let data: Vec<Role> = roles::list(&services, &actor)
        .await?
        .into_iter()
        .map(Role::from)
        .collect();
    Ok(Json(RoleList {
        total: data.len() as i64,
        data,
    }))
}

/// "Copy": a new custom role with the same permissions, named "Copy of …".
#[utoipa::path(
    post, path = "/api/v1/roles/{id}/copy", operation_id = "copy_role", tag = "Roles",
    params(("id" = String, Path, description = "The id of the role to copy")),
    security(("api_key" = [])),
    responses((status = 201, description = "The new role's id", body = Created), CommonErrors, ChangeErrors)
)]
pub async fn copy(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Path(id) = id?;
    let actor = key_actor(&services, &headers).await?;
    let new = roles::copy(&services, &actor, &id.into()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: new.to_string() })))
}

/// A custom role's new name and permissions. What it gives must be held by the key.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleChange {
    /// At most 60 characters.
    #[schema(min_length = 1)]
    pub name: String,
    /// Every permission the role gives from now on (the ones left out are taken away).
    #[schema(max_items = 100)]
    pub permissions: Vec<String>,
}

/// "Save" a custom role. It applies at the next request of everyone holding it.
#[utoipa::path(
    put, path = "/api/v1/roles/{id}", operation_id = "save_role", tag = "Roles",
    params(("id" = String, Path, description = "The role's id")),
    request_body = RoleChange,
    security(("api_key" = [])),
    responses((status = 204, description = "Saved"), CommonErrors, ChangeErrors)
)]
pub async fn save(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<RoleChange>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let Json(change) = body?;
    if change.permissions.len() > 100 {
        return Err(ServiceError::field("permissions", "At most 100 permissions.").into());
    }
    let actor = key_actor(&services, &headers).await?;
    roles::save(&services, &actor, &id.into(), &change.name, &change.permissions).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Delete" a custom role nobody holds; a 409 names who still does.
#[utoipa::path(
    delete, path = "/api/v1/roles/{id}", operation_id = "delete_role", tag = "Roles",
    params(("id" = String, Path, description = "The role's id")),
    security(("api_key" = [])),
    responses((status = 204, description = "Deleted"), CommonErrors, ChangeErrors)
)]
pub async fn delete(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let actor = key_actor(&services, &headers).await?;
    roles::delete(&services, &actor, &id.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}
