//! `/api/v1/users`: the account's team users, as the Users page manages them.
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{key_actor, numbered, ApiError, ChangeErrors, CommonErrors, Created, ListQuery};
use crate::core::services::{ServiceError, Services};
use crate::users::model::{UserAction, UserView, UsersQuery};
use crate::users::service::{self as users, UserInput};

/// A team user of the account.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role_id: String,
    pub role_name: String,
    /// When they were last active, as the account writes dates; none if never.
    pub last_active: Option<String>,
    pub is_primary_admin: bool,
    /// "manager X of agency Y", for a user an account manager added.
    pub added_by: Option<String>,
}

impl From<UserView> for User {
    fn from(u: UserView) -> Self {
        Self {
            id: u.id,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email,
            role_id: u.role_id,
            role_name: u.role_name,
            last_active: u.last_active,
            is_primary_admin: u.is_primary_admin,
            added_by: u.added_by,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub data: Vec<User>,
    pub total: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_cursor: Option<String>,
}

/// The account's users, 25 a page. `sort`: `name` (default), `email`, `role`, `last_active`;
/// `search`: the start of a first name, a last name or an email.
#[utoipa::path(
    get, path = "/api/v1/users", operation_id = "list_users", tag = "Users",
    params(ListQuery),
    security(("api_key" = [])),
    responses((status = 200, body = UserList), CommonErrors)
)]
pub async fn list(
    State(services): State<Services>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<UserList>, ApiError> {
    let Query(q) = query?;
    let actor = key_actor(&services, &headers).await?;
    let page = super::page_number(&q.cursor)?;
    let list = users::list_page(
        &services,
        &actor,
        &UsersQuery {
            search: q.search,
            sort: q.sort,
            descending: q.descending,
            page,
        },
    )
    .await?;
    let (next, previous) = numbered(page, list.total, list.page_size);
    Ok(Json(UserList {
        data: list.users.into_iter().map(User::from).collect(),
        total: list.total,
        next_cursor: next,
        previous_cursor: previous,
    }))
}

/// A user to add, or a user's new details (an empty password keeps theirs).
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserDetails {
    #[schema(min_length = 1, max_length = 80)]
    pub first_name: String,
    #[schema(min_length = 1, max_length = 80)]
    pub last_name: String,
    #[schema(pattern = r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length = 254)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    /// A role's id of this account; none for Admin.
    #[serde(default)]
    pub role: String,
}

impl From<UserDetails> for UserInput {
    fn from(d: UserDetails) -> Self {
        Self {
            first_name: d.first_name,
            last_name: d.last_name,
            email: d.email,
            password: d.password,
            role_id: d.role,
        }
    }
}

/// "Add new user".
#[utoipa::path(
    post, path = "/api/v1/users", operation_id = "add_user", tag = "Users",
    request_body = UserDetails,
    security(("api_key" = [])),
    responses((status = 201, description = "The new user's id", body = Created), CommonErrors, ChangeErrors)
)]
pub async fn add(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<UserDetails>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Json(details) = body?;
    let actor = key_actor(&services, &headers).await?;
    let id = users::add(&services, &actor, details.into()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// "Edit" a user.
#[utoipa::path(
    put, path = "/api/v1/users/{id}", operation_id = "edit_user", tag = "Users",
    params(("id" = String, Path, description = "The user's id")),
    request_body = UserDetails,
    security(("api_key" = [])),
    responses((status = 204, description = "Saved"), CommonErrors, ChangeErrors)
)]
pub async fn edit(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<UserDetails>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let Json(details) = body?;
    let actor = key_actor(&services, &headers).await?;
    users::edit(&services, &actor, &id.into(), details.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Force logout": every session of the user ends.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/force_logout", operation_id = "force_logout_user", tag = "Users",
    params(("id" = String, Path, description = "The user's id")),
    security(("api_key" = [])),
    responses((status = 204, description = "Logged out everywhere"), CommonErrors, ChangeErrors)
)]
pub async fn force_logout(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let actor = key_actor(&services, &headers).await?;
    users::act(&services, &actor, &id.into(), UserAction::ForceLogout).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Delete" a user (their audit entries stay).
#[utoipa::path(
    delete, path = "/api/v1/users/{id}", operation_id = "delete_user", tag = "Users",
    params(("id" = String, Path, description = "The user's id")),
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
    users::act(&services, &actor, &id.into(), UserAction::Delete).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The bulk action of the Users list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    ForceLogout,
    Delete,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Bulk {
    pub action: BulkAction,
    /// The users' ids, at most 500.
    #[schema(max_items = 500)]
    pub ids: Vec<String>,
}

/// What a bulk action did: how many succeeded, and why each other did not.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub succeeded: usize,
    pub failed: Vec<BulkFailure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkFailure {
    pub user: String,
    pub message: String,
}

/// The same action for every user listed; each one succeeds or says why not.
#[utoipa::path(
    post, path = "/api/v1/users/bulk", operation_id = "bulk_users", tag = "Users",
    request_body = Bulk,
    security(("api_key" = [])),
    responses((status = 200, body = BulkResult), CommonErrors, ChangeErrors)
)]
pub async fn bulk(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<Bulk>, JsonRejection>,
) -> Result<Json<BulkResult>, ApiError> {
    let Json(input) = body?;
    if input.ids.len() > 500 {
        return Err(ServiceError::Invalid(vec![("ids".into(), "At most 500 users at once.".into())]).into());
    }
    let actor = key_actor(&services, &headers).await?;
    let action = match input.action {
        BulkAction::ForceLogout => UserAction::ForceLogout,
        BulkAction::Delete => UserAction::Delete,
    };
    let ids: Vec<crate::core::ids::UserId> = input.ids.into_iter().map(Into::into).collect();
    let outcome = users::act_in_bulk(&services, &actor, &ids, action).await?;
    Ok(Json(BulkResult {
        succeeded: outcome.succeeded,
        failed: outcome
            .failed
            .into_iter()
            .map(|(user, message)| BulkFailure { user, message })
            .collect(),
    }))
}
