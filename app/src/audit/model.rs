//! Wire types of the audit log. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub at: String,
    pub who: String,
    /// The agency, when a manager did it from another account.
    pub via: Option<String>,
    pub action: String,
    pub detail: String,
}
