//! Wire types of the development Mailbox. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

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
