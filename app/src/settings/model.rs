//! Wire types of the account settings and admin tools. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// The owner's settings about account managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub allow_manager_requests: bool,
    /// "Account managers may manage users": managers logged in through a grant may add users.
    pub managers_manage_users: bool,
    /// `each_time`, `daily` or `never`.
    pub login_notify: String,
    /// "Require two-factor for everyone who logs in to this account", account managers included.
    pub require_two_factor: bool,
}

/// Admin tools → Business information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BusinessInformation {
    pub business_name: String,
    pub address: String,
    pub time_zone: String,
}

/// Admin tools → Localization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Localization {
    pub language: String,
    pub date_format: String,
    pub currency: String,
}
