//! Wire types shared by the browser and the server (serde only).
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub tags: Vec<String>,
}

/// The contacts an actor may see, and what the actor may do with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContactList {
    pub contacts: Vec<ContactView>,
    pub can_create_edit: bool,
    pub can_delete: bool,
    pub can_manage_tags: bool,
}

/// An email as the outbox holds it (development Mailbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub status: String,
    pub created_at: String,
}
