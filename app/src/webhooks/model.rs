//! Wire types of the Webhooks page. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// One endpoint of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointRow {
    pub id: String,
    pub url: String,
    pub description: String,
    /// The event names it is sent (`EventType::as_str`).
    pub events: Vec<String>,
    pub enabled: bool,
    pub created: String,
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    pub at: String,
    /// "HTTP 200", "HTTP 500", "No answer: ..." and the like.
    pub result: String,
    pub succeeded: bool,
}

/// An event sent (or being sent) to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDeliveryRow {
    pub id: String,
    pub event_type: String,
    pub endpoint_url: String,
    pub created: String,
    /// "Pending", "Delivered" or "Failed".
    pub status: String,
    pub attempts: Vec<DeliveryAttempt>,
    /// When the next try is due, for a pending delivery that failed before.
    pub next_attempt: Option<String>,
    pub retryable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WebhooksPage {
    pub endpoints: Vec<WebhookEndpointRow>,
    /// The newest deliveries of the account.
    pub deliveries: Vec<WebhookDeliveryRow>,
}

/// An endpoint just added, with the secret its deliveries are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhookEndpoint {
    pub url: String,
    pub secret: String,
}
