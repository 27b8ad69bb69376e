//! Wire types of the templates and sandboxes. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// A template an agency can create accounts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub source_name: Option<String>,
    pub updated_at: String,
    pub fields: i64,
    pub tags: i64,
    pub messages: i64,
    pub contacts: i64,
}

/// A sandbox account an agency builds templates in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxView {
    pub id: String,
    pub name: String,
    pub templates: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TemplatesPage {
    pub built_in: Vec<TemplateView>,
    pub mine: Vec<TemplateView>,
    pub sandboxes: Vec<SandboxView>,
    pub can_add: bool,
    pub can_update: bool,
}
