//! Webhooks (`admin_tools.api_manager`): the endpoints an account's systems hear of its events
//! at, and what was sent to them.
use crate::core::actor::OwnerOnly;
use crate::core::db::{StoreError, Tx};
use crate::core::domain::events::EventType;
use crate::core::domain::{Invalid, Permission};
use crate::core::services::{random_hex, Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};
use crate::webhooks::address;
use crate::webhooks::delivery::{secret_text, signing_key};
use crate::webhooks::model::{
    DeliveryAttempt, NewWebhookEndpoint, WebhookDeliveryRow, WebhookEndpointRow, WebhooksPage,
};
use crate::webhooks::store::{self, ENDPOINT_CAP};

/// Why an endpoint or a delivery can't be changed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRefusal {
    #[error("This endpoint no longer exists.")]
    EndpointNotFound,
    #[error("This delivery no longer exists.")]
    DeliveryNotFound,
    #[error("{0} is already an endpoint of this account.")]
    AlreadyAnEndpoint(String),
    #[error("An account has at most {ENDPOINT_CAP} endpoints: delete one first.")]
    TooManyEndpoints,
    #[error("Only a failed delivery can be sent again; this one is {0}.")]
    NotFailed(String),
}

impl Refusal for WebhookRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::EndpointNotFound | Self::DeliveryNotFound => RefusalKind::NotFound,
            Self::AlreadyAnEndpoint(_) | Self::TooManyEndpoints | Self::NotFailed(_) => RefusalKind::Conflict,
        }
    }
}

/// The page: the account's endpoints and its newest deliveries with their attempts.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn page(services: &Services, actor: &Actor) -> Result<WebhooksPage, ServiceError> {
    actor.authorize(Permission::API_MANAGER)?;
    let (endpoints, deliveries) = futures::try_join!(
        store::endpoints(&services.db, &actor.account_id, None),
        store::deliveries(&services.db, &actor.account_id, None),
    )?;
    let when = |t: &surrealdb::types::Datetime| actor.dates.moment_of(&t.to_string());
    Ok(WebhooksPage {
        endpoints: endpoints
            .into_iter()
            .map(|e| WebhookEndpointRow {
                created: actor.dates.day_of(&e.created_at.to_string()),
                id: e.id,
                url: e.url,
                description: e.description,
                events: e.events,
                enabled: e.enabled,
            })
            .collect(),
        deliveries: deliveries
            .into_iter()
            .map(|d| {
                let status = match d.status.as_str() {
                    "delivered" => "Delivered",
                    "failed" => "Failed",
                    _ => "Pending",
                };
                WebhookDeliveryRow {
                    next_attempt: (status == "Pending" && !d.attempt_log.is_empty())
                        .then(|| when(&d.next_attempt_at)),
                    attempts: d
                        .attempt_log
                        .iter()
                        .map(|a| DeliveryAttempt {
                            at: when(&a.at),
                            succeeded: a.status.is_some_and(|s| (200..300).contains(&s)),
                            result: match (a.status, &a.error) {
                                (Some(code), _) => format!("HTTP {code}"),
                                (None, Some(error)) => format!("No answer: {error}"),
                                (None, None) => "No answer".into(),
                            },
                        })
                        .collect(),
                    retryable: status == "Failed",
                    id: d.id,
                    event_type: d.event_type,
                    endpoint_url: d.endpoint_url.unwrap_or_default(),
                    created: when(&d.created_at),
                    status: status.into(),
                }
            })
            .collect(),
    })
}

/// The events a form ticked, each known, at least one.
fn parse_events(events: &[String]) -> Result<Vec<String>, Invalid> {
    let mut parsed = Vec::new();
    for name in events {
        let event =
            EventType::parse(name).ok_or_else(|| Invalid(format!("There is no event \"{name}\".")))?;
        if !parsed.contains(&event) {
            parsed.push(event);
        }
    }
    if parsed.is_empty() {
        return Err(Invalid("Choose at least one event.".into()));
    }
    // Kept in the catalogue's order, so the page lists them the same way every time.
    Ok(EventType::ALL
        .into_iter()
        .filter(|e| parsed.contains(e))
        .map(|e| e.as_str().to_string())
        .collect())
}

/// "Add endpoint": `url` hears of `events` from now on. Returns the signing secret.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn add(
    services: &Services,
    actor: &Actor,
    url: &str,
    description: &str,
    events: &[String],
) -> Result<NewWebhookEndpoint, ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::Webhooks)?;
    let mut errors = FieldErrors::default();
    let url = errors.check(
        "url",
        address::check_url(url, services.settings.webhooks_allow_private),
    );
    let description = description.trim();
    errors.check(
        "description",
        if description.chars().count() > 100 {
            Err(Invalid("Keep the description under 100 characters.".into()))
        } else {
            Ok(())
        },
    );
    let events = errors.check("events", parse_events(events));
    errors.finish()?;
    let (Some(url), Some(events)) = (url, events) else {
        return Err(ServiceError::Internal("checked fields missing".into()));
    };
    let url = url.to_string();
    let existing = store::endpoints(&services.db, &actor.account_id, None).await?;
    if existing.iter().any(|e| e.url == url) {
        return Err(WebhookRefusal::AlreadyAnEndpoint(url).into());
    }
    if existing.len() as i64 >= ENDPOINT_CAP {
        return Err(WebhookRefusal::TooManyEndpoints.into());
    }
    let id = crate::core::db::new_key();
    let nonce = random_hex(16);
    let mut tx = Tx::new();
    let count = events.len();
    store::create(
        &mut tx,
        store::NewEndpoint {
            id: &id,
            account: &actor.account_id,
            user: &actor.user_id,
            url: &url,
            description,
            events,
            nonce: &nonce,
        },
        ENDPOINT_CAP,
    );
    tx.audit(actor.audit(
        "webhook.added",
        format!("Added the webhook endpoint {url} for {count} event(s)"),
    ));
    // The checks above give the answer in the common case; these catch an add that ran at the
    // same moment as another.
    tx.commit(&services.db).await.map_err(|e| match e {
        StoreError::Duplicate(index) if index == "webhook_endpoint_url" => {
            WebhookRefusal::AlreadyAnEndpoint(url.clone()).into()
        }
        StoreError::Db(ref inner) if inner.to_string().contains(store::OVER_CAP) => {
            WebhookRefusal::TooManyEndpoints.into()
        }
        other => ServiceError::from(other),
    })?;
    Ok(NewWebhookEndpoint {
        url,
        secret: secret_text(&signing_key(services, &id, &nonce)),
    })
}

async fn endpoint(
    services: &Services,
    actor: &Actor,
    id: &str,
) -> Result<store::EndpointRecord, ServiceError> {
    store::endpoints(&services.db, &actor.account_id, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| WebhookRefusal::EndpointNotFound.into())
}

/// "Pause" / "Resume": a paused endpoint is sent nothing new (what is queued still goes).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn set_enabled(
    services: &Services,
    actor: &Actor,
    id: &str,
    enabled: bool,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::Webhooks)?;
    let e = endpoint(services, actor, id).await?;
    let mut tx = Tx::new();
    store::set_enabled(&mut tx, &actor.account_id, &e.id, enabled);
    tx.audit(actor.audit(
        "webhook.changed",
        format!(
            "{} the webhook endpoint {}",
            if enabled { "Resumed" } else { "Paused" },
            e.url
        ),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

/// "Delete": the endpoint and its deliveries go; nothing more is sent to it.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn delete(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::Webhooks)?;
    let e = endpoint(services, actor, id).await?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, &e.id);
    tx.audit(actor.audit(
        "webhook.deleted",
        format!("Deleted the webhook endpoint {}", e.url),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

/// "Show secret": what the endpoint checks signatures with. A person of the account only.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn secret(services: &Services, actor: &Actor, id: &str) -> Result<String, ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::Webhooks)?;
    actor.require_person()?;
    let e = endpoint(services, actor, id).await?;
    Ok(secret_text(&signing_key(services, &e.id, &e.secret_nonce)))
}

/// "Send again": a failed delivery is tried again now.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn retry(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::Webhooks)?;
    let Some(d) = store::deliveries(&services.db, &actor.account_id, Some(id))
        .await?
        .into_iter()
        .next()
    else {
        return Err(WebhookRefusal::DeliveryNotFound.into());
    };
    if d.status != "failed" {
        return Err(WebhookRefusal::NotFailed(d.status).into());
    }
    let mut tx = Tx::new();
    store::retry(&mut tx, &actor.account_id, &d.id);
    tx.audit(actor.audit(
        "webhook.retried",
        format!(
            "Sent the {} delivery to {} again",
            d.event_type,
            d.endpoint_url.unwrap_or_default()
        ),
    ));
    services.commit(tx).await?;
    services.webhook_wakeup.notify_one();
    Ok(())
}
