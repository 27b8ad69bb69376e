//! Wire types every page needs: who is acting, and where. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// Who is acting, in which account, with which role: what the UI needs to draw itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub account_id: String,
    pub account_name: String,
    pub role_name: String,
    pub permissions: Vec<String>,
    pub is_primary_admin: bool,
    /// The Mailbox page exists only in development mode.
    pub dev_mode: bool,
    /// Set while logged in to a managed account: the bar on every page says so.
    pub managing: Option<ManagingInfo>,
    /// A message to show once (e.g. access to a managed account ended).
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagingInfo {
    pub client_account: String,
    pub agency: String,
    pub role_name: String,
}
