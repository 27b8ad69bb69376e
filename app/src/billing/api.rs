//! Billing's server functions: parse, then the service decides.
use leptos::prelude::*;

use crate::billing::model::BillingView;
use crate::core::error::AppError;

#[server(endpoint = "billing")]
pub async fn billing() -> Result<BillingView, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::billing::service::view(&services, &actor).await?)
}

#[server(endpoint = "start_subscription")]
pub async fn start_subscription() -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::billing::service::start_subscription(&services, &actor).await?)
}

#[server(endpoint = "change_plan")]
pub async fn change_plan(level: String, cms_plan: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::billing::service::change_plan(&services, &actor, &level, &cms_plan).await?)
}

#[server(endpoint = "hand_over_payment")]
pub async fn hand_over_payment() -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::billing::service::hand_over(&services, &actor).await?)
}

#[server(endpoint = "take_over_payment")]
pub async fn take_over_payment() -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::billing::service::take_over(&services, &actor).await?)
}
