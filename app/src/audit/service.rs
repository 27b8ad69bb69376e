//! Reading the audit log: who did what in the account, and when.
use super::store;
use crate::audit::model::AuditEntryView;
use crate::core::domain::Permission;
use crate::core::services::{Actor, ServiceError, Services};

pub const PAGE_SIZE: i64 = 50;

/// The audit log is for the account's administrators (`admin_tools.administrator_tools`).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list(
    services: &Services,
    actor: &Actor,
    page: i64,
) -> Result<Vec<AuditEntryView>, ServiceError> {
    actor.authorize(Permission::ADMINISTRATOR_TOOLS)?;
    Ok(store::recent(
        &services.db,
        &actor.account_id,
        page.max(0) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await?
    .into_iter()
    .map(|r| AuditEntryView {
        at: r.at.chars().take(19).collect::<String>().replace('T', " "),
        who: r.actor_name,
        via: r.via_account,
        action: r.action,
        detail: r.detail,
    })
    .collect())
}
