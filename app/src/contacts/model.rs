//! Wire types of the contacts, their custom fields and notes. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub tags: Vec<String>,
    /// Values of custom fields, by field id.
    pub values: Vec<(String, String)>,
}

/// A custom field of the account: `kind` is `text`, `number` or `date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldView {
    pub id: String,
    pub name: String,
    pub kind: String,
}

/// The contacts an actor may see, and what the actor may do with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContactList {
    pub contacts: Vec<ContactView>,
    pub fields: Vec<CustomFieldView>,
    pub can_create_edit: bool,
    pub can_delete: bool,
    pub can_manage_tags: bool,
    pub can_manage_fields: bool,
    pub can_export: bool,
    pub can_import: bool,
    pub can_view_notes: bool,
    pub can_create_notes: bool,
    pub can_edit_notes: bool,
}

/// A note on a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub id: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

/// What an import did: how many contacts it created, or why it created none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub created: usize,
}
