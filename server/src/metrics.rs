//! `GET /metrics`: what an operator watches, in the Prometheus text format. Requests are counted
//! and timed by route (the route's pattern, or the server function's path, so that the number
//! of series stays bounded whatever addresses clients ask for); the outbox queue and the open
//! live channels are read when the endpoint is asked.
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// This server's counters.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    outbox_pending: IntGauge,
    live_channels: IntGauge,
    /// The server functions' paths: a label each.
    server_fns: std::sync::Arc<std::collections::HashSet<&'static str>>,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("steward".into()), None).expect("a registry");
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("requests");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer a request, by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route"],
        )
        .expect("latency");
        let outbox_pending =
            IntGauge::new("outbox_pending", "Emails waiting in the outbox to be sent").expect("outbox");
        let live_channels = IntGauge::new(
            "live_channels",
            "Open live channels (pages following their tables)",
        )
        .expect("live");
        for metric in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(outbox_pending.clone()),
            Box::new(live_channels.clone()),
        ] {
            registry.register(metric).expect("a metric registered once");
        }
        let server_fns = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect();
        Self {
            server_fns: std::sync::Arc::new(server_fns),
            registry,
            requests,
            latency,
            outbox_pending,
            live_channels,
        }
    }

    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency.with_label_values(&[route]).observe(seconds);
    }

    /// The text format, with the gauges read now.
    fn render(&self, outbox_pending: i64, live_channels: usize) -> String {
        self.outbox_pending.set(outbox_pending);
        self.live_channels.set(live_channels as i64);
        let mut out = Vec::new();
        // Encoding into memory can't fail.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The label a request is counted under: the server function's path for `/api/...` (a bounded
/// set), the route's pattern otherwise, "other" for what no route matched.
fn route_label(metrics: &Metrics, req: &Request) -> String {
    let path = req.uri().path();
    match req.extensions().get::<MatchedPath>().map(MatchedPath::as_str) {
        Some(pattern) if pattern.starts_with("/api/{") => {
            if metrics.server_fns.contains(path) {
                path.to_string()
            } else {
                "/api/other".into()
            }
        }
        Some(pattern) => pattern.to_string(),
        None if path.starts_with("/pkg/") => "/pkg".into(),
        None => "other".into(),
    }
}

/// Counts and times every request, when `/metrics` is served (`None` otherwise).
pub async fn track_when_on(State(metrics): State<Option<Metrics>>, req: Request, next: Next) -> Response {
    let Some(metrics) = metrics else {
        return next.run(req).await;
    };
    let route = route_label(&metrics, &req);
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    metrics.observe(
        &route,
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// `GET /metrics`.
pub async fn endpoint(State(state): State<crate::AppState>) -> Response {
    if !state.serve_metrics {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let pending = match state
        .services
        .db
        .query("RETURN count(SELECT VALUE id FROM outbox WHERE status = 'pending')")
        .await
    {
        Ok(mut res) => res.take::<Option<i64>>(0).ok().flatten().unwrap_or(-1),
        Err(_) => -1,
    };
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(pending, state.services.live.channels()),
    )
        .into_response()
}
