//! `/api/v1/managed_accounts`: the agency side, as the Managed accounts page does it.
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{key_actor, page_of, ApiError, ChangeErrors, CommonErrors, Created, ListQuery};
use crate::core::services::Services;
use crate::managed_accounts::model::ManagedAccountRow;
use crate::managed_accounts::service::{self as managed, NewClientAccount};

/// A client account the agency manages, or asked to: the grant between them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedAccount {
    /// The grant's id.
    pub id: String,
    /// Empty until the owner grants access to a request.
    pub name: String,
    pub owner_email: String,
    pub role_name: String,
    /// `pending`, `active`, `rejected`, `denied`, `revoked`, `expired`.
    pub access: String,
    /// "Free trial", "Active" or "Trial ended"; empty until the owner grants access.
    pub account_status: String,
    /// While pending: the link the owner was sent; on an account the agency made whose owner
    /// has not set a password: the set-password link.
    pub invitation_link: Option<String>,
    pub requested_by_agency: bool,
    /// On the accounts the agency made: the plan, who pays, and the monthly amount.
    pub billing: Option<ManagedBilling>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedBilling {
    pub plan: String,
    /// `agency` or `client`.
    pub payer: String,
    /// In the currency's minor units (cents; yen have none).
    pub monthly: i64,
    /// ISO 4217: USD, EUR, GBP, AUD, CAD, JPY.
    pub currency: String,
}

impl From<ManagedAccountRow> for ManagedAccount {
    fn from(r: ManagedAccountRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            owner_email: r.owner_email,
            role_name: r.role_name,
            access: r.state.key().to_string(),
            account_status: r.account_status,
            invitation_link: r.invitation_link,
            requested_by_agency: r.requested_by_agency,
            billing: r.billing.map(|b| ManagedBilling {
                plan: b.plan,
                payer: b.payer.key().to_string(),
                monthly: b.monthly,
                currency: b.currency.code().to_string(),
            }),
        }
    }
}

/// A page of managed accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedAccountList {
    pub data: Vec<ManagedAccount>,
    /// How many match in all.
    pub total: i64,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_cursor: Option<String>,
}

/// The agency's managed accounts, 25 a page. `sort`: `name` (default), `owner_email`,
/// `role_name`, `state`, `account_status`, `created_at`.
#[utoipa::path(
    get, path = "/api/v1/managed_accounts", operation_id = "list_managed_accounts", tag = "Managed accounts",
    params(ListQuery),
    security(("api_key" = [])),
    responses((status = 200, body = ManagedAccountList), CommonErrors)
)]
pub async fn list(
    State(services): State<Services>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<ManagedAccountList>, ApiError> {
    let Query(q) = query?;
    let actor = key_actor(&services, &headers).await?;
    let (page, cursor) = page_of(&q.cursor)?;
    let list = managed::list_from(&services, &actor, &q.search, &q.sort, q.descending, page, cursor).await?;
    // A search's pages go by number; the list's own cursors otherwise.
    let (next, previous) = match (list.next, list.previous) {
        (None, None) => super::numbered(page, list.total, list.page_size),
        cursors => cursors,
    };
    Ok(Json(ManagedAccountList {
        data: list.rows.into_iter().map(ManagedAccount::from).collect(),
        total: list.total,
        next_cursor: next,
        previous_cursor: previous,
    }))
}

/// One of the four roles every account has.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefaultRoleName {
    Admin,
    Manager,
    Builder,
    Designer,
}

impl DefaultRoleName {
    fn key(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Builder => "builder",
            Self::Designer => "designer",
        }
    }
}

/// "Request access" to an existing account by its owner's email, with one of its roles.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccessRequest {
    #[schema(pattern = r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length = 254)]
    pub client_email: String,
    pub role: DefaultRoleName,
}

#[utoipa::path(
    post, path = "/api/v1/managed_accounts/requests", operation_id = "request_access", tag = "Managed accounts",
    request_body = AccessRequest,
    security(("api_key" = [])),
    responses((status = 201, body = Created), CommonErrors, ChangeErrors)
)]
pub async fn request_access(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<AccessRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Json(input) = body?;
    let actor = key_actor(&services, &headers).await?;
    let id = managed::request_access(&services, &actor, &input.client_email, input.role.key()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// The account levels of the New account form (`managed_accounts::plans`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Basic,
    Plus,
    Pro,
    Enterprise,
}

/// The CMS plans of the New account form.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CmsPlan {
    None,
    Starter,
    Business,
}

/// Who pays for a new client account.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaidBy {
    Agency,
    #[default]
    Client,
}

pub(super) fn key_of<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// "New account": a client account the agency makes, blank or from a template.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAccount {
    #[schema(min_length = 2, max_length = 120)]
    pub name: String,
    pub level: Level,
    pub cms_plan: CmsPlan,
    #[serde(default)]
    pub payer: PaidBy,
    /// The owner's email: they get a link to set their password.
    #[schema(pattern = r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length = 254)]
    pub login_email: String,
    /// A template's id to copy; none for a blank account.
    #[serde(default)]
    pub template: String,
    /// A sandbox: an account to build templates in.
    #[serde(default)]
    pub sandbox: bool,
}

#[utoipa::path(
    post, path = "/api/v1/managed_accounts", operation_id = "create_client_account", tag = "Managed accounts",
    request_body = NewAccount,
    security(("api_key" = [])),
    responses((status = 201, description = "The new client account's id", body = Created), CommonErrors, ChangeErrors)
)]
pub async fn create(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<NewAccount>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Json(input) = body?;
    let actor = key_actor(&services, &headers).await?;
    let data = if input.template.is_empty() {
        "blank"
    } else {
        "template"
    };
    let id = managed::create_account(
        &services,
        &actor,
        NewClientAccount {
            name: input.name,
            level: key_of(input.level),
            cms_plan: key_of(input.cms_plan),
            payer: key_of(input.payer),
            login_email: input.login_email,
            data: data.into(),
            template: input.template,
            sandbox: input.sandbox,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// "Unlink": the agency stops managing the account.
#[utoipa::path(
    delete, path = "/api/v1/managed_accounts/{id}", operation_id = "unlink_managed_account", tag = "Managed accounts",
    params(("id" = String, Path, description = "The grant's id")),
    security(("api_key" = [])),
    responses((status = 204, description = "Unlinked"), CommonErrors, ChangeErrors)
)]
pub async fn unlink(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let actor = key_actor(&services, &headers).await?;
    managed::unlink(&services, &actor, &id.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::managed_accounts::plans;

    #[test]
    fn the_documented_choices_are_the_forms_own() {
        for level in [Level::Basic, Level::Plus, Level::Pro, Level::Enterprise] {
            assert!(plans::level(&key_of(level)).is_some(), "{level:?}");
        }
        assert_eq!(plans::ACCOUNT_LEVELS.len(), 4);
        for cms in [CmsPlan::None, CmsPlan::Starter, CmsPlan::Business] {
            assert!(plans::cms_plan(&key_of(cms)).is_some(), "{cms:?}");
        }
        assert_eq!(plans::CMS_PLANS.len(), 3);
        for payer in [PaidBy::Agency, PaidBy::Client] {
            assert!(plans::Payer::parse(&key_of(payer)).is_some(), "{payer:?}");
        }
    }
}
