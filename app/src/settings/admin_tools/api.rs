//! Admin tools: Business information and Localization.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::settings::model::{BusinessInformation as Business, Localization as Locale};

#[server(endpoint = "business_information")]
pub async fn get_business_information() -> Result<Business, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::settings::admin_tools::service::business(&services, &actor).await?)
}

#[server(endpoint = "save_business_information")]
pub async fn save_business_information(
    business_name: String,
    address: String,
    time_zone: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let input = Business {
        business_name,
        address,
        time_zone,
    };
    Ok(crate::settings::admin_tools::service::save_business(&services, &actor, input).await?)
}

#[server(endpoint = "localization")]
pub async fn get_localization() -> Result<Locale, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::settings::admin_tools::service::localization(&services, &actor).await?)
}

#[server(endpoint = "save_localization")]
pub async fn save_localization(
    language: String,
    date_format: String,
    currency: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let input = Locale {
        language,
        date_format,
        currency,
    };
    Ok(crate::settings::admin_tools::service::save_localization(&services, &actor, input).await?)
}
