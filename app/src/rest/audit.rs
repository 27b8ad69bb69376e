//! `/api/v1/audit_log`: the account's Audit log, filtered and paged as its page does it.
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{key_actor, ApiError, CommonErrors};
use crate::audit::model::{AuditEntryView, AuditQuery};
use crate::core::services::Services;

/// An entry of the Audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    /// When, as the account writes dates and times (Localization).
    pub at: String,
    /// When, in RFC 3339 (UTC), e.g. `2026-11-24T20:35:17.123Z`.
    #[schema(format = DateTime)]
    pub timestamp: String,
    /// Who did it ("… with API key "…"" when done with a key).
    pub who: String,
    /// The agency, when a manager did it from another account.
    pub via: Option<String>,
    /// `grant.invited`, `user.added`, `api_key.created`, ...
    pub action: String,
    pub detail: String,
}

impl From<AuditEntryView> for AuditEntry {
    fn from(e: AuditEntryView) -> Self {
        Self {
            at: e.at,
            timestamp: e.timestamp,
            who: e.who,
            via: e.via,
            action: e.action,
            detail: e.detail,
        }
    }
}

/// A page of the log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLogPage {
    pub data: Vec<AuditEntry>,
    /// How many entries match the filters, counted up to 1,000.
    pub total: i64,
    /// False when more than 1,000 entries match: `total` is then 1,000.
    pub total_is_exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_cursor: Option<String>,
}

/// The Audit log's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilters {
    /// The id of the user who acted.
    #[serde(default)]
    user: String,
    /// An action, such as `grant.revoked`.
    #[serde(default)]
    action: String,
    /// First day, YYYY-MM-DD.
    #[serde(default)]
    from: String,
    /// Last day, YYYY-MM-DD, included.
    #[serde(default)]
    to: String,
    #[serde(default)]
    cursor: String,
}

/// The account's Audit log, 50 entries a page, newest first, with how many match (up to 1,000).
#[utoipa::path(
    get, path = "/api/v1/audit_log", operation_id = "audit_log", tag = "Audit log",
    params(AuditFilters),
    security(("api_key" = [])),
    responses((status = 200, body = AuditLogPage), CommonErrors)
)]
pub async fn list(
    State(services): State<Services>,
    headers: HeaderMap,
    query: Result<Query<AuditFilters>, QueryRejection>,
) -> Result<Json<AuditLogPage>, ApiError> {
    let Query(q) = query?;
    let actor = key_actor(&services, &headers).await?;
    let page = super::page_number(&q.cursor)?;
    let query = AuditQuery {
        user: q.user,
        action: q.action,
        from: q.from,
        to: q.to,
        page,
    };
    let (entries, more) = crate::audit::service::entries(&services, &actor, &query).await?;
    let (total, total_is_exact) = crate::audit::service::count(&services, &actor, &query).await?;
    Ok(Json(AuditLogPage {
        data: entries.into_iter().map(AuditEntry::from).collect(),
        total,
        total_is_exact,
        next_cursor: more.then(|| format!("page:{}", page + 1)),
        previous_cursor: (page > 0).then(|| format!("page:{}", page - 1)),
    }))
}
