//! The Dashboard's server function.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::dashboard::model::DashboardView;

#[server(endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardView, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::dashboard::service::dashboard(&services, &actor).await?)
}
