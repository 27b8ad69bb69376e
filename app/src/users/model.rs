//! Wire types of the Users list and sessions. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

use crate::roles::model::RoleOption;

/// One row of Administration → User management → Users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role_id: String,
    pub role_name: String,
    pub last_active: Option<String>,
    pub sessions: i64,
    pub is_primary_admin: bool,
    pub is_you: bool,
    /// "manager X of agency Y", for a user an account manager added.
    pub added_by: Option<String>,
    /// The actor may change this user's email and password: at home, or as the manager whose
    /// grant added them while the owner lets managers manage users.
    pub credentials_editable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UsersPageData {
    /// One page of the users.
    pub users: Vec<UserView>,
    /// How many users match the search in all.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub roles: Vec<RoleOption>,
    /// The acting user is the account's primary admin (may hand the role over).
    pub you_are_primary_admin: bool,
    /// The actor may add users: always at home (with the permission); while managing, only when
    /// the owner lets account managers manage users.
    pub may_add_users: bool,
}

/// Which page of the Users list: what was searched, the sort column ("name", "email", "role",
/// "last_active") and direction, and the page (from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UsersQuery {
    pub search: String,
    pub sort: String,
    pub descending: bool,
    pub page: i64,
}

/// Users per page of the list.
pub const USERS_PAGE_SIZE: i64 = 25;

/// What a bulk action did: how many succeeded, and why any did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BulkOutcome {
    pub succeeded: usize,
    pub failed: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub current: bool,
}

/// What the Users list does to one user or to every selected one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    ForceLogout,
    Delete,
}
