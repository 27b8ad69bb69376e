//! The `steward` binary: configuration, logs, database, email sender, router and security layers.
mod config;
mod security;

use std::net::SocketAddr;
use std::sync::Arc;

use app::service::{mailer, Services, Settings};
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::Request;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use clap::Parser;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

use crate::config::Config;

#[derive(Clone, FromRef)]
struct AppState {
    leptos_options: LeptosOptions,
    services: Services,
}

async fn server_fn_handler(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    let services = state.services.clone();
    handle_server_fns_with_context(move || provide_context(services.clone()), req).await
}

fn fail(message: String) -> ! {
    eprintln!("steward: {message}");
    std::process::exit(2);
}

fn main() {
    let config = Config::parse();
    if let Err(message) = config.validate() {
        fail(message);
    }
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|e| fail(format!("STEWARD_LOG {:?} is not a valid filter: {e}", config.log)));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    // Deep SurrealDB queries want big stacks.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(10 * 1024 * 1024)
        .build()
        .unwrap_or_else(|e| fail(format!("could not start the runtime: {e}")));
    runtime.block_on(serve(config));
}

async fn serve(config: Config) {
    if let Some(dir) = config.database_url.strip_prefix("surrealkv://") {
        if let Some(parent) = std::path::Path::new(dir).parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(parent) {
                fail(format!("STEWARD_DATABASE_URL: can't create {}: {e}", parent.display()));
            }
        }
    }
    let db = app::store::connect(&config.database_url)
        .await
        .unwrap_or_else(|e| fail(format!("STEWARD_DATABASE_URL {:?}: {e}", config.database_url)));
    let services = Services::new(
        db,
        Settings { base_url: config.base_url(), dev_mode: config.dev, ..Settings::default() },
    );
    match &config.smtp_url {
        Some(url) => {
            let mailer = mailer::Mailer::new(url, &config.mail_from)
                .unwrap_or_else(|e| fail(format!("STEWARD_SMTP_URL / STEWARD_MAIL_FROM: {e}")));
            tokio::spawn(mailer::run_sender(services.clone(), mailer));
        }
        None => tracing::info!("no STEWARD_SMTP_URL: emails stay in the outbox"),
    }

    let leptos_options = LeptosOptions::builder()
        .output_name(Arc::<str>::from("steward"))
        .site_root(Arc::<str>::from(config.site_root.as_str()))
        .site_pkg_dir(Arc::<str>::from("pkg"))
        .site_addr(config.addr)
        .build();
    let state = AppState { leptos_options: leptos_options.clone(), services: services.clone() };
    let routes = generate_route_list(App);

    let login_limit = Arc::new(
        GovernorConfigBuilder::default()
            .per_second(2)
            .burst_size(config.login_burst)
            .finish()
            .unwrap_or_else(|| fail("STEWARD_LOGIN_BURST: invalid rate limit".into())),
    );
    let router = Router::new()
        .route(
            "/api/log_in",
            post(server_fn_handler).layer(GovernorLayer::new(login_limit.clone())),
        )
        .route(
            "/api/sign_up",
            post(server_fn_handler).layer(GovernorLayer::new(login_limit)),
        )
        .route("/api/{*fn_name}", post(server_fn_handler).get(server_fn_handler))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let services = services.clone();
                move || provide_context(services.clone())
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(security::same_origin_only))
        .with_state(state);

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .unwrap_or_else(|e| fail(format!("STEWARD_ADDR {}: {e}", config.addr)));
    tracing::info!("Steward listening on http://{} (base URL {})", config.addr, config.base_url());
    if let Err(e) = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    {
        fail(format!("server: {e}"));
    }
}
