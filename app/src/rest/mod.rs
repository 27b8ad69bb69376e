//! The JSON API under `/api/v1` (issue 17), for scripts calling with an API key. Each handler
//! reads its input, resolves the key's actor and calls the service function the page's server
//! function calls, so every rule and permission check is the pages' own; a refusal becomes a
//! JSON error with a stable code and the status it documents ([`error`]). The OpenAPI document
//! is generated from the handlers and types ([`ApiDoc`]), served at `/api/openapi.json` and
//! read at `/api/docs`.
mod account_managers;
mod audit;
mod billing;
mod docs;
mod error;
mod managed_accounts;
mod roles;
mod templates;
mod users;

use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::api_keys::service::{actor_for_key, ApiKeySecret};
use crate::core::services::{Actor, ServiceError, Services};
pub use error::{too_large_as_json, ApiError, ChangeErrors, CommonErrors, ErrorBody};

/// The routes, mounted at `/api/v1`.
pub fn router(services: Services) -> Router {
    Router::new()
        .route(
            "/managed_accounts",
            get(managed_accounts::list).post(managed_accounts::create),
        )
        .route(
            "/managed_accounts/requests",
            post(managed_accounts::request_access),
        )
        .route(
            "/managed_accounts/{id}",
            axum::routing::delete(managed_accounts::unlink),
        )
        .route(
            "/account_managers",
            get(account_managers::list).post(account_managers::invite),
        )
        .route(
            "/account_managers/{id}",
            axum::routing::delete(account_managers::delete),
        )
        .route("/account_managers/{id}/{action}", post(account_managers::act))
        .route("/users", get(users::list).post(users::add))
        .route("/users/bulk", post(users::bulk))
        .route(
            "/users/{id}",
            axum::routing::put(users::edit).delete(users::delete),
        )
        .route("/users/{id}/force_logout", post(users::force_logout))
        .route("/roles", get(roles::list))
        .route(
            "/roles/{id}",
            axum::routing::put(roles::save).delete(roles::delete),
        )
        .route("/roles/{id}/copy", post(roles::copy))
        .route("/templates", get(templates::list).post(templates::convert))
        .route(
            "/templates/{id}",
            axum::routing::put(templates::rename).delete(templates::delete),
        )
        .route("/templates/{id}/refresh", post(templates::refresh))
        .route("/sandboxes", get(templates::sandboxes))
        .route("/billing", get(billing::show))
        .route("/billing/subscription", post(billing::start))
        .route("/billing/plan", axum::routing::put(billing::change_plan))
        .route("/billing/take_over", post(billing::take_over))
        .route("/audit_log", get(audit::list))
        .fallback(unknown_route)
        .layer(axum::middleware::from_fn(log_call))
        .with_state(services)
}

/// Every call is logged with its key (target `steward::api`): the method, the path, the key and
/// its account once the key is known (`key_actor`), and the answer's status. A change is also
/// in the account's Audit log with the key's name; a read is logged here only, since a read
/// request writes nothing to the database.
async fn log_call(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use tracing::Instrument as _;
    // The whole path: this router is nested under /api/v1.
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| req.uri().path().to_string(), |u| u.path().to_string());
    let span = tracing::info_span!(
        target: "steward::api",
        "api_call",
        method = %req.method(),
        path = %path,
        key = tracing::field::Empty,
        account = tracing::field::Empty,
    );
    let res = next.run(req).instrument(span.clone()).await;
    span.in_scope(|| tracing::info!(target: "steward::api", status = res.status().as_u16(), "api call"));
    res
}

/// `/api/openapi.json` and `/api/docs`, outside the key-checked routes: anyone may read them.
pub fn docs_router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/api/openapi.json", get(docs::openapi_json))
        .route("/api/docs", get(docs::page))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Steward API",
        version = "1",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
        description = "What the Managed accounts, Account managers, Users, Roles, Templates, Billing and Audit log pages do, for scripts. \
            Send an API key (Administration, API manager) as `Authorization: Bearer <key>`. \
            A key acts as the person who made it, with the key's role, never beyond that person's role."
    ),
    paths(
        managed_accounts::list,
        managed_accounts::create,
        managed_accounts::request_access,
        managed_accounts::unlink,
        account_managers::list,
        account_managers::invite,
        account_managers::act,
        account_managers::delete,
        users::list,
        users::add,
        users::edit,
        users::force_logout,
        users::delete,
        users::bulk,
        roles::list,
        roles::copy,
        roles::save,
        roles::delete,
        templates::list,
        templates::convert,
        templates::refresh,
        templates::rename,
        templates::delete,
        templates::sandboxes,
        billing::show,
        billing::start,
        billing::change_plan,
        billing::take_over,
        audit::list,
    ),
    components(schemas(account_managers::GrantAction, ErrorBody)),
    modifiers(&BearerKey),
    tags(
        (name = "Managed accounts", description = "The accounts your agency manages (agency side)."),
        (name = "Account managers", description = "Who manages your account (owner side)."),
        (name = "Users", description = "Your account's team users."),
        (name = "Roles", description = "Your account's team roles and what each allows."),
        (name = "Templates", description = "Your agency's account templates and the sandboxes they come from."),
        (name = "Billing", description = "Your account's plan, subscription and who pays."),
        (name = "Audit log", description = "Who did what in your account."),
    )
)]
pub struct ApiDoc;

struct BearerKey;

impl utoipa::Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key from Administration, API manager."))
                    .build(),
            ),
        );
    }
}

async fn unknown_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_such_route",
        "There is no such API route.",
    )
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in any case, as RFC 9110
/// has it).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The actor of the call's `Authorization: Bearer <key>`.
async fn key_actor(services: &Services, headers: &HeaderMap) -> Result<Actor, ApiError> {
    let Some(key) = bearer_token(headers) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Send an API key: Authorization: Bearer <key>. Keys are made in Administration, API manager.",
        ));
    };
    let actor = actor_for_key(services, &ApiKeySecret::from_header(key))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_api_key",
                "This API key is unknown, revoked or expired.",
            )
        })?;
    // For the call's log line (`log_call`).
    let span = tracing::Span::current();
    if let Some(k) = &actor.api_key {
        span.record("key", tracing::field::display(&k.id));
    }
    span.record("account", tracing::field::display(&actor.account_id));
    Ok(actor)
}

/// The query of a list: what to search, the sort column and direction, and the page's cursor
/// (a `next_cursor` or `previous_cursor` of the page next to it; none for the first page).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The start of a name or an email.
    #[serde(default)]
    search: String,
    /// The column to sort by (see each list).
    #[serde(default)]
    sort: String,
    #[serde(default)]
    descending: bool,
    #[serde(default)]
    cursor: String,
}

/// Where a list's page starts: a page number for the lists read by number (`page:<n>`), or the
/// list's own cursor.
fn page_of(cursor: &str) -> Result<(i64, &str), ApiError> {
    let Some(number) = cursor.strip_prefix("page:") else {
        return Ok((0, cursor));
    };
    number
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=1_000_000).contains(n))
        .map(|n| (n, ""))
        .ok_or_else(|| {
            ApiError::from(ServiceError::Invalid(vec![(
                "cursor".into(),
                crate::core::paging::InvalidCursor.to_string(),
            )]))
        })
}

/// The page of a list read by number only: its cursor must be `page:<n>` (or none).
fn page_number(cursor: &str) -> Result<i64, ApiError> {
    match page_of(cursor)? {
        (page, "") => Ok(page),
        _ => Err(ServiceError::Invalid(vec![(
            "cursor".into(),
            crate::core::paging::InvalidCursor.to_string(),
        )])
        .into()),
    }
}

/// The cursors of page `page` of `pages` when the list reads pages by number.
fn numbered(page: i64, total: i64, page_size: i64) -> (Option<String>, Option<String>) {
    let pages = (total + page_size - 1) / page_size.max(1);
    (
        (page + 1 < pages).then(|| format!("page:{}", page + 1)),
        (page > 0).then(|| format!("page:{}", page - 1)),
    )
}

/// What a create answers: the new record's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}
