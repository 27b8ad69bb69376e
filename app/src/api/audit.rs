//! The audit log of the account acted in.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AuditEntryView;

#[server(endpoint = "audit_log")]
pub async fn audit_log(#[server(default)] page: i64) -> Result<Vec<AuditEntryView>, AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::audit::list(&services, &actor, page).await?)
}
