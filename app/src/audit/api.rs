//! The audit log of the account acted in.
use leptos::prelude::*;

use crate::audit::model::{AuditPage, AuditQuery};
use crate::core::error::AppError;

#[server(endpoint = "audit_log")]
pub async fn audit_log(#[server(default)] query: AuditQuery) -> Result<AuditPage, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::audit::service::list(&services, &actor, &query).await?)
}
