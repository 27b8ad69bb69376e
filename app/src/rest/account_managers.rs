//! `/api/v1/account_managers`: the owner side, as the Account managers page does it.
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{key_actor, numbered, ApiError, ChangeErrors, CommonErrors, Created, ListQuery};
use crate::core::services::Services;
use crate::grants::model::{AccountManagerRow, ManagersQuery, OwnerAction};
use crate::grants::service as grants;

/// An agency or expert managing this account, or invited or asking to: the grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountManager {
    /// The grant's id.
    pub id: String,
    pub manager_email: String,
    /// The managing account's name, once it accepted.
    pub managing_account: Option<String>,
    pub role_name: String,
    /// `pending`, `active`, `rejected`, `denied`, `revoked`, `expired`.
    pub state: String,
    /// While pending: the invitation link, to send yourself if you like.
    pub invitation_link: Option<String>,
    /// The agency asked for access (rather than being invited).
    pub requested_by_agency: bool,
    /// The last day of access, YYYY-MM-DD, if there is one.
    pub access_until: Option<String>,
}

impl From<AccountManagerRow> for AccountManager {
    fn from(r: AccountManagerRow) -> Self {
        Self {
            id: r.id,
            manager_email: r.manager_email,
            managing_account: r.managing_account,
            role_name: r.role_name,
            state: r.state.key().to_string(),
            invitation_link: r.invitation_link,
            requested_by_agency: r.requested_by_agency,
            access_until: r.access_until,
        }
    }
}

/// A page of account managers.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountManagerList {
    pub data: Vec<AccountManager>,
    pub total: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_cursor: Option<String>,
}

/// The account's managers, 25 a page, newest first. `sort`: `email`, `role`, `status`,
/// `created_at`; `search`: the start of an email.
#[utoipa::path(
    get, path = "/api/v1/account_managers", operation_id = "list_account_managers", tag = "Account managers",
    params(ListQuery),
    security(("api_key" = [])),
    responses((status = 200, body = AccountManagerList), CommonErrors)
)]
pub async fn list(
    State(services): State<Services>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<AccountManagerList>, ApiError> {
    let Query(q) = query?;
    let actor = key_actor(&services, &headers).await?;
    let page = super::page_number(&q.cursor)?;
    let list = grants::list_page(
        &services,
        &actor,
        &ManagersQuery {
            search: q.search,
            sort: q.sort,
            descending: q.descending,
            page,
        },
    )
    .await?;
    let (next, previous) = numbered(page, list.total, list.page_size);
    Ok(Json(AccountManagerList {
        data: list.rows.into_iter().map(AccountManager::from).collect(),
        total: list.total,
        next_cursor: next,
        previous_cursor: previous,
    }))
}

/// "New account manager": an invitation by email with a role of this account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Invitation {
    #[schema(pattern = r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length = 254)]
    pub email: String,
    /// A role's id of this account.
    pub role: String,
    /// The last day of access, YYYY-MM-DD; none for no end.
    #[serde(default)]
    pub access_until: String,
}

#[utoipa::path(
    post, path = "/api/v1/account_managers", operation_id = "invite_account_manager", tag = "Account managers",
    request_body = Invitation,
    security(("api_key" = [])),
    responses((status = 201, description = "The grant's id", body = Created), CommonErrors, ChangeErrors)
)]
pub async fn invite(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<Invitation>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Json(input) = body?;
    let actor = key_actor(&services, &headers).await?;
    let id = grants::invite(
        &services,
        &actor,
        &input.email,
        &input.role.into(),
        &input.access_until,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// What the owner does to a grant.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantAction {
    Revoke,
    GrantAgain,
    /// Send a pending invitation again.
    Resend,
    /// Grant an agency's request.
    Approve,
    /// Deny an agency's request.
    Deny,
}

/// What the owner does to a grant: `revoke`, `grant_again`, `resend` (a pending invitation),
/// `approve` or `deny` (an agency's request).
#[utoipa::path(
    post, path = "/api/v1/account_managers/{id}/{action}", operation_id = "act_on_account_manager", tag = "Account managers",
    params(
        ("id" = String, Path, description = "The grant's id"),
        ("action" = GrantAction, Path),
    ),
    security(("api_key" = [])),
    responses((status = 204, description = "Done"), CommonErrors, ChangeErrors)
)]
pub async fn act(
    State(services): State<Services>,
    headers: HeaderMap,
    path: Result<Path<(String, GrantAction)>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path((id, action)) = path?;
    let action = match action {
        GrantAction::Revoke => OwnerAction::Revoke,
        GrantAction::GrantAgain => OwnerAction::GrantAgain,
        GrantAction::Resend => OwnerAction::Resend,
        GrantAction::Approve => OwnerAction::Approve,
        GrantAction::Deny => OwnerAction::Deny,
    };
    let actor = key_actor(&services, &headers).await?;
    grants::owner_action(&services, &actor, &id.into(), action).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Delete": the grant is removed and access ends at once.
#[utoipa::path(
    delete, path = "/api/v1/account_managers/{id}", operation_id = "delete_account_manager", tag = "Account managers",
    params(("id" = String, Path, description = "The grant's id")),
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
    grants::delete(&services, &actor, &id.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}
