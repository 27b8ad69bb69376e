//! Wire types of the messages (email templates). Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// A message (email template) of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub body: String,
    /// Names of the custom fields it uses.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MessageList {
    pub messages: Vec<MessageView>,
    pub can_use: bool,
    pub can_create: bool,
    pub can_edit_delete: bool,
}
