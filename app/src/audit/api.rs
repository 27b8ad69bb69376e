//! The audit log of the account acted in.
use leptos::prelude::*;

use crate::audit::model::AuditEntryView;
use crate::core::error::AppError;

#[server(endpoint = "audit_log")]
pub async fn audit_log(#[server(default)] page: i64) -> Result<Vec<AuditEntryView>, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::audit::service::list(&services, &actor, page).await?)
}
