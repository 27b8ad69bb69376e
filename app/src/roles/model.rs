//! Wire types of the team roles. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// A role of the account, for choosing one in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleOption {
    pub id: String,
    pub name: String,
}

/// A team role of the account, with who uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleView {
    pub id: String,
    pub name: String,
    /// One of the four default roles: can't be renamed, edited or deleted.
    pub is_default: bool,
    pub permissions: Vec<String>,
    pub users: i64,
    pub grants: i64,
}
