//! `/api/v1/billing`: the key's account's subscription, as its Billing page shows and changes it.
//! A key acts in its own account only, so the agency's side of a client's billing (offering
//! the payment to the client) stays on the page, reached through a grant.
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::managed_accounts::{key_of, CmsPlan, Level};
use super::{key_actor, ApiError, ChangeErrors, CommonErrors};
use crate::billing::model::BillingView;
use crate::billing::service as billing;
use crate::core::services::Services;

/// The account's plan, status and who pays. Amounts are in the currency's minor units (cents;
/// yen have none).
#[derive(Debug, Serialize, ToSchema)]
pub struct Billing {
    pub account_name: String,
    /// `basic`, `plus`, `pro` or `enterprise`.
    pub level: String,
    /// `none`, `starter` or `business`.
    pub cms_plan: String,
    /// `free_trial`, `active` or `trial_ended`.
    pub status: String,
    /// The trial's last day, as the account writes dates.
    pub trial_ends_on: Option<String>,
    pub subscribed_on: Option<String>,
    /// ISO 4217: USD, EUR, GBP, AUD, CAD, JPY.
    pub currency: String,
    /// The list price per month.
    pub monthly: i64,
    /// What the payer is charged per month (the agency pays less its discount).
    pub charged: i64,
    /// `agency` or `client`.
    pub payer: String,
    /// The agency that made the account, when one did.
    pub agency_name: Option<String>,
    pub discount_percent: i64,
    pub commission_percent: i64,
    /// The key's account pays: it may start the subscription and change the plan.
    pub is_payer: bool,
    /// The agency pays, and the account may take the payment over.
    pub can_take_over: bool,
    /// The day the agency asked the account to take its payment over.
    pub handover_offered_on: Option<String>,
    /// What the account would pay once the payment is its own, in `client_currency`.
    pub client_price: i64,
    pub client_currency: String,
}

impl From<BillingView> for Billing {
    fn from(b: BillingView) -> Self {
        Self {
            account_name: b.account_name,
            level: b.level,
            cms_plan: b.cms_plan,
            status: b.status.key().to_string(),
            trial_ends_on: b.trial_ends_on,
            subscribed_on: b.subscribed_on,
            currency: b.currency.code().to_string(),
            monthly: b.monthly,
            charged: b.charged,
            payer: b.payer.key().to_string(),
            agency_name: b.agency_name,
            discount_percent: b.discount_percent,
            commission_percent: b.commission_percent,
            is_payer: b.is_payer,
            can_take_over: b.can_take_over,
            handover_offered_on: b.handover_offered_on,
            client_price: b.client_price,
            client_currency: b.client_currency.code().to_string(),
        }
    }
}

/// The account's billing.
#[utoipa::path(
    get, path = "/api/v1/billing", operation_id = "billing", tag = "Billing",
    security(("api_key" = [])),
    responses((status = 200, body = Billing), CommonErrors)
)]
pub async fn show(State(services): State<Services>, headers: HeaderMap) -> Result<Json<Billing>, ApiError> {
    let actor = key_actor(&services, &headers).await?;
    Ok(Json(billing::view(&services, &actor).await?.into()))
}

/// "Start subscription": the payer starts paying; the account is Active from today.
#[utoipa::path(
    post, path = "/api/v1/billing/subscription", operation_id = "start_subscription", tag = "Billing",
    security(("api_key" = [])),
    responses((status = 204, description = "Started"), CommonErrors, ChangeErrors)
)]
pub async fn start(State(services): State<Services>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let actor = key_actor(&services, &headers).await?;
    billing::start_subscription(&services, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Change plan": another account level or CMS plan; the price follows.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Plan {
    pub level: Level,
    pub cms_plan: CmsPlan,
}

#[utoipa::path(
    put, path = "/api/v1/billing/plan", operation_id = "change_plan", tag = "Billing",
    request_body = Plan,
    security(("api_key" = [])),
    responses((status = 204, description = "Changed"), CommonErrors, ChangeErrors)
)]
pub async fn change_plan(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<Plan>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(plan) = body?;
    let actor = key_actor(&services, &headers).await?;
    billing::change_plan(&services, &actor, &key_of(plan.level), &key_of(plan.cms_plan)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Take over payment": the account pays from now on instead of its agency.
#[utoipa::path(
    post, path = "/api/v1/billing/take_over", operation_id = "take_over_payment", tag = "Billing",
    security(("api_key" = [])),
    responses((status = 204, description = "The account pays from now on"), CommonErrors, ChangeErrors)
)]
pub async fn take_over(State(services): State<Services>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let actor = key_actor(&services, &headers).await?;
    billing::take_over(&services, &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
