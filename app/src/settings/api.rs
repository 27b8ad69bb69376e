//! Account settings about account managers.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::settings::model::AccountSettings;

#[server(endpoint = "account_settings")]
pub async fn get_account_settings() -> Result<AccountSettings, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::settings::service::get(&services, &actor).await?)
}

/// A check box sends `on` when checked and nothing when not.
#[server(endpoint = "save_account_settings")]
pub async fn save_account_settings(
    #[server(default)] allow_manager_requests: String,
    #[server(default)] managers_manage_users: String,
    login_notify: String,
    #[server(default)] require_two_factor: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let settings = AccountSettings {
        allow_manager_requests: !allow_manager_requests.is_empty(),
        managers_manage_users: !managers_manage_users.is_empty(),
        login_notify,
        require_two_factor: !require_two_factor.is_empty(),
    };
    Ok(crate::settings::service::save(&services, &actor, &settings).await?)
}
