//! The Steward server: configuration, database, email sender, router and security layers.
pub mod config;
mod metrics;
pub mod security;

use std::net::SocketAddr;
use std::sync::Arc;

use app::core::mailer;
use app::core::services::{Services, Settings};
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::Request;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;

#[derive(Clone, FromRef)]
struct AppState {
    leptos_options: LeptosOptions,
    services: Services,
    routes: Vec<AxumRouteListing>,
    metrics: metrics::Metrics,
    /// `STEWARD_METRICS`: whether `GET /metrics` answers (404 otherwise).
    serve_metrics: bool,
}

async fn page_handler(State(state): State<AppState>, req: Request<Body>) -> Response {
    let services = state.services.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_route_with_context(
        state.routes.clone(),
        move || {
            provide_context(services.clone());
            provide_csp_nonce();
        },
        move || shell(options.clone()),
    );
    handler(State(state), req).await.into_response()
}

/// Gives Leptos the nonce the Content-Security-Policy of this response names
/// (`security::content_security_policy` put it on the request), in place of one of its own.
fn provide_csp_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<security::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Request bodies: server functions and forms are small; a contact import carries a CSV file of
/// up to 5,000 rows.
/// The API's limit per client address is this many times its limit per key.
pub const API_ADDRESS_FACTOR: u32 = 10;

pub const BODY_LIMIT: usize = 64 * 1024;
pub const IMPORT_BODY_LIMIT: usize = 4 * 1024 * 1024;

async fn server_fn_handler(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    let services = state.services.clone();
    handle_server_fns_with_context(move || provide_context(services.clone()), req).await
}

/// Why start-up stopped, in one line that names the setting.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartError(pub String);

/// Connects the database (creating a surrealkv folder's parent), applies migrations, and starts
/// the email sender when SMTP is configured.
pub async fn start_services(config: &Config) -> Result<Services, StartError> {
    config.validate().map_err(StartError)?;
    if let Some(dir) = config.database_url.strip_prefix("surrealkv://") {
        if let Some(parent) = std::path::Path::new(dir)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                StartError(format!(
                    "STEWARD_DATABASE_URL: can't create {}: {e}",
                    parent.display()
                ))
            })?;
        }
    }
    app::core::db::limit_engine_memory(config.engine_memtable_mb, config.engine_cache_mb);
    let db = app::connect_to(&config.database().map_err(StartError)?)
        .await
        .map_err(|e| StartError(format!("STEWARD_DATABASE_URL {:?}: {e}", config.database_url)))?;
    let link_secret = match config.secret_path() {
        Some(path) => load_or_create_secret(&path)?,
        None => app::core::services::random_secret(),
    };
    let services = Services::new(
        db,
        Settings {
            base_url: config.base_url(),
            dev_mode: config.dev,
            link_secret,
            invitation_ttl_secs: config.invitation_ttl,
            trial_secs: config.trial_secs,
            invitations_per_hour: config.invitations_per_hour,
            webhooks_allow_private: config.webhooks_allow_private,
            ..Settings::default()
        },
    );
    tokio::spawn(sweep_grants(services.clone()));
    tokio::spawn(watch_database(services.clone()));
    app::live::feed::start(services.db.clone(), services.live.clone());
    tokio::spawn(app::audit::chain::run_sealer(services.clone()));
    let webhooks = app::webhooks::delivery::Sender::new(config.webhooks_allow_private)
        .map_err(|e| StartError(format!("webhooks: {e}")))?;
    tokio::spawn(app::webhooks::delivery::run_sender(services.clone(), webhooks));
    match &config.smtp_url {
        Some(url) => {
            let mailer = mailer::Mailer::new(url, &config.mail_from)
                .map_err(|e| StartError(format!("STEWARD_SMTP_URL / STEWARD_MAIL_FROM: {e}")))?;
            tokio::spawn(mailer::run_sender(services.clone(), mailer));
        }
        None => tracing::info!("no STEWARD_SMTP_URL: emails stay in the outbox"),
    }
    Ok(services)
}

/// Reads the server secret, or makes one (readable by the owner only) when the file is missing.
fn load_or_create_secret(path: &std::path::Path) -> Result<Vec<u8>, StartError> {
    let fail = |e: std::io::Error| StartError(format!("STEWARD_SECRET_FILE {}: {e}", path.display()));
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes = hex_decode(text.trim()).filter(|b| b.len() >= 32).ok_or_else(|| {
                StartError(format!(
                    "STEWARD_SECRET_FILE {}: not 32 or more hex-encoded bytes",
                    path.display()
                ))
            })?;
            Ok(bytes)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = app::core::services::random_secret();
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(fail)?;
            }
            let text: String = secret.iter().map(|b| format!("{b:02x}")).collect();
            // Created readable by the owner only from its first byte, and never over a file
            // that appeared meanwhile.
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(path).map_err(fail)?;
            std::io::Write::write_all(&mut file, (text + "\n").as_bytes()).map_err(fail)?;
            tracing::info!(path = %path.display(), "created a new server secret");
            Ok(secret)
        }
        Err(e) => Err(fail(e)),
    }
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Expires grants, sends end-of-access reminders and daily log-in summaries, and deletes ended
/// sessions, once a minute.
async fn sweep_grants(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        // One server sweeps for all (the others would send the same reminders): the lease lasts
        // a little less than the minute, so the holder takes it again at its next tick, and
        // another server takes over a minute after the holder stopped.
        match app::core::lease::hold(&services.db, "sweep", &services.server_id, 55).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "sweep: could not take its lease");
                continue;
            }
        }
        if let Err(e) = app::grants::service::sweep(&services).await {
            tracing::warn!(error = %e, "grant sweep failed");
        }
        if let Err(e) = app::billing::service::sweep(&services).await {
            tracing::warn!(error = %e, "trial sweep failed");
        }
        if let Err(e) = app::settings::service::send_login_summaries(&services).await {
            tracing::warn!(error = %e, "log-in summaries failed");
        }
        if let Err(e) = app::identity::service::sweep_sessions(&services).await {
            tracing::warn!(error = %e, "session sweep failed");
        }
        if let Err(e) = app::core::quota::sweep(&services.db).await {
            tracing::warn!(error = %e, "quota sweep failed");
        }
    }
}

/// Whether the database answers, within two seconds.
async fn database_answers(services: &Services) -> Result<(), String> {
    match tokio::time::timeout(std::time::Duration::from_secs(2), services.db.query("RETURN 1")).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer within 2 s".into()),
    }
}

/// Says in the log when the database stops answering and when it answers again. Over `ws://`
/// the SurrealDB SDK reconnects by itself (and signs in again) after a restart of the server;
/// this is how an operator sees it happen.
async fn watch_database(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    let mut down_since: Option<std::time::Instant> = None;
    loop {
        tick.tick().await;
        match (database_answers(&services).await, down_since) {
            (Err(e), None) => {
                tracing::error!(error = %e, "database: not answering; Steward keeps trying to reconnect");
                down_since = Some(std::time::Instant::now());
            }
            (Ok(()), Some(since)) => {
                tracing::warn!(down_secs = since.elapsed().as_secs(), "database: answering again");
                down_since = None;
            }
            _ => {}
        }
    }
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise (for a load balancer).
async fn healthz(State(state): State<AppState>) -> Response {
    match database_answers(&state.services).await {
        Ok(()) => (axum::http::StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "healthz: the database does not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable\n",
            )
                .into_response()
        }
    }
}

/// A CSV download made by `make` for the session's actor; a plain link works before the
/// WebAssembly loads.
async fn csv_download<Fut>(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    filename: &str,
    make: impl FnOnce(Services, app::core::services::Actor) -> Fut,
) -> Response
where
    Fut: std::future::Future<Output = Result<String, app::core::services::ServiceError>>,
{
    use axum::http::{header, StatusCode};
    let Some(token) = app::identity::context::token_from_headers(headers) else {
        return (StatusCode::UNAUTHORIZED, "Log in to export.").into_response();
    };
    let actor = match app::identity::service::actor_for_token(&state.services, &token).await {
        Ok(Some(actor)) => actor,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Log in to export.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "export: session lookup");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match make(state.services.clone(), actor).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            csv,
        )
            .into_response(),
        Err(app::core::services::ServiceError::Invalid(fields)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            fields
                .into_iter()
                .map(|(_, message)| message)
                .collect::<Vec<_>>()
                .join(" "),
        )
            .into_response(),
        Err(e) => {
            let status = app::core::api_error::status(&e);
            match e.into_refusal_message() {
                Ok(reason) => (status, reason).into_response(),
                Err(e) => {
                    tracing::error!(error = %e, "export failed");
                    status.into_response()
                }
            }
        }
    }
}

/// Contacts → "Export CSV".
async fn contacts_csv(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    csv_download(&state, &headers, "contacts.csv", |services, actor| async move {
        app::contacts::csv::export(&services, &actor).await
    })
    .await
}

/// A page's live channel (`app::live`): server-sent events naming the tables that changed for
/// its session, until the session ends. 401 without a session.
async fn live_channel(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    use axum::response::sse::{KeepAlive, Sse};
    let Some(token) = app::identity::context::token_from_headers(&headers) else {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    };
    match app::live::channel::events(state.services.clone(), token).await {
        // A proxy that buffered the stream would hold the changes back (nginx reads this).
        Ok(events) => (
            [(
                axum::http::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            )],
            Sse::new(events).keep_alive(KeepAlive::default()),
        )
            .into_response(),
        Err(_) => axum::http::StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// Audit log → "Export CSV", with the page's filters.
async fn audit_csv(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<app::audit::model::AuditQuery>,
) -> Response {
    csv_download(&state, &headers, "audit-log.csv", |services, actor| async move {
        app::audit::service::export_csv(&services, &actor, &query).await
    })
    .await
}

/// `steward audit verify`: checks every account's chain and prints the first broken entry of
/// each; reads only. `Ok(false)` when one is broken.
pub async fn verify_audit(config: &Config) -> Result<bool, StartError> {
    app::core::db::limit_engine_memory(config.engine_memtable_mb, config.engine_cache_mb);
    let db = app::connect_to(&config.database().map_err(StartError)?)
        .await
        .map_err(|e| StartError(format!("STEWARD_DATABASE_URL {:?}: {e}", config.database_url)))?;
    let (text, intact) = audit_report(&Services::new(db, Settings::default())).await?;
    print!("{text}");
    Ok(intact)
}

/// What `steward audit verify` prints, and whether every chain is intact.
pub async fn audit_report(services: &Services) -> Result<(String, bool), StartError> {
    let report = app::audit::chain::verify(services)
        .await
        .map_err(|e| StartError(format!("audit verify: {e}")))?;
    let mut text = String::new();
    for broken in &report.breaks {
        text.push_str(&format!("BROKEN {broken}\n"));
    }
    text.push_str(&format!(
        "{} accounts, {} entries checked, {} not chained yet: {}\n",
        report.accounts,
        report.entries,
        report.unsealed,
        if report.breaks.is_empty() {
            "every chain is intact".to_string()
        } else {
            format!("{} broken", report.breaks.len())
        }
    ));
    Ok((text, report.breaks.is_empty()))
}

/// The whole HTTP application: pages, server functions, static files, security layers.
pub fn router(config: &Config, services: Services) -> Result<Router, StartError> {
    let leptos_options = LeptosOptions::builder()
        .output_name(Arc::<str>::from("steward"))
        .site_root(Arc::<str>::from(config.site_root.as_str()))
        .site_pkg_dir(Arc::<str>::from("pkg"))
        .site_addr(config.addr)
        .build();
    let routes = generate_route_list(App);
    let state = AppState {
        leptos_options,
        services,
        routes: routes.clone(),
        metrics: metrics::Metrics::new(),
        serve_metrics: config.metrics,
    };

    let login_limit = Arc::new(
        GovernorConfigBuilder::default()
            .per_second(2)
            .burst_size(config.login_burst)
            .key_extractor(security::ClientIpKey {
                trusted: config.trusted_proxies.clone().into(),
            })
            .finish()
            .ok_or_else(|| StartError("STEWARD_LOGIN_BURST: invalid rate limit".into()))?,
    );
    // The limiter remembers each address it met; addresses quiet for a while are dropped, so
    // its memory follows the clients of the last minutes, not of all time.
    let limiter = login_limit.limiter().clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
    // The API's limit per key, refused in its own JSON with Retry-After.
    let api_limit = Arc::new(
        GovernorConfigBuilder::default()
            .per_millisecond((1000 / config.api_per_second).max(1))
            .burst_size(config.api_burst)
            .key_extractor(security::ApiCallerKey {
                by_address: security::ClientIpKey {
                    trusted: config.trusted_proxies.clone().into(),
                },
            })
            .finish()
            .ok_or_else(|| StartError("STEWARD_API_BURST: invalid rate limit".into()))?,
    );
    // In front of it, a limit per client address, ten times as large: a key of its own for
    // each call (made-up keys, each met once) gives no way around the limit.
    let api_address_limit = Arc::new(
        GovernorConfigBuilder::default()
            .per_millisecond((100 / config.api_per_second).max(1))
            .burst_size(config.api_burst.saturating_mul(API_ADDRESS_FACTOR))
            .key_extractor(security::ClientIpKey {
                trusted: config.trusted_proxies.clone().into(),
            })
            .finish()
            .ok_or_else(|| StartError("STEWARD_API_BURST: invalid rate limit".into()))?,
    );
    let (api_limiter, api_address_limiter) =
        (api_limit.limiter().clone(), api_address_limit.limiter().clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            api_limiter.retain_recent();
            api_limiter.shrink_to_fit();
            api_address_limiter.retain_recent();
            api_address_limiter.shrink_to_fit();
        }
    });
    // A body over its route's limit is refused with 413 before it is read (by its length), or
    // as soon as it passes the limit.
    let import = Router::new()
        .route("/api/import_contacts", post(server_fn_handler))
        .layer(RequestBodyLimitLayer::new(IMPORT_BODY_LIMIT));
    let everything_else = Router::new()
        .route(
            "/api/log_in",
            post(server_fn_handler).layer(GovernorLayer::new(login_limit.clone())),
        )
        .route(
            "/api/sign_up",
            post(server_fn_handler).layer(GovernorLayer::new(login_limit.clone())),
        )
        .route(
            "/api/forgot_password",
            post(server_fn_handler).layer(GovernorLayer::new(login_limit.clone())),
        )
        .route(
            "/api/log_in_code",
            post(server_fn_handler).layer(GovernorLayer::new(login_limit)),
        )
        // The JSON API for scripts (API keys), before the server functions' catch-all.
        .nest_service(
            "/api/v1",
            app::rest::router(state.services.clone())
                .layer(GovernorLayer::new(api_limit).error_handler(security::api_rate_limited))
                .layer(GovernorLayer::new(api_address_limit).error_handler(security::api_rate_limited)),
        )
        .merge(app::rest::docs_router())
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        .route("/live", get(live_channel))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::endpoint))
        .route("/contacts.csv", get(contacts_csv))
        .route("/audit-log.csv", get(audit_csv))
        .leptos_routes_with_handler(routes, get(page_handler))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide_csp_nonce,
            shell,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Outside the limit: its 413 under /api/v1 becomes the API's JSON error.
        .layer(axum::middleware::from_fn(app::rest::too_large_as_json));
    let hsts = config.base_url().starts_with("https://");
    // Counting costs every request a little: only when /metrics is served.
    let counted = config.metrics.then(|| state.metrics.clone());
    Ok(import
        .merge(everything_else)
        .layer(axum::middleware::from_fn(security::same_origin_only))
        .layer(axum::middleware::from_fn_with_state(
            config.dev,
            security::content_security_policy,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(axum::middleware::from_fn(security::referrer_policy))
        // Only behind https: a browser would otherwise refuse plain http to this host for a year.
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response| hsts.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        ))
        .layer(axum::middleware::from_fn_with_state(
            counted,
            metrics::track_when_on,
        ))
        .with_state(state))
}

/// Serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let services = start_services(&config).await?;
    let live = services.live.clone();
    let router = router(&config, services)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartError(format!("STEWARD_ADDR {}: {e}", config.addr)))?;
    tracing::info!(
        "Steward listening on http://{} (base URL {})",
        config.addr,
        config.base_url()
    );
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let _ = tokio::signal::ctrl_c().await;
        // Open pages' live channels would hold the shutdown forever: end them.
        live.close();
    })
    .await
    .map_err(|e| StartError(format!("server: {e}")))
}
