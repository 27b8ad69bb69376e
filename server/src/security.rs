//! Cross-site request refusal: server functions are plain POST endpoints with no CSRF token,
//! so a state-changing request must come from our own pages.
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(req: Request<Body>, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let headers = req.headers();
    // Browsers send Sec-Fetch-Site on every request; "same-origin" and "none" (typed URL) are ours.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site != "same-origin" && site != "none" {
            return refuse();
        }
    }
    if let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return refuse();
        }
        if origin == "null" {
            return refuse();
        }
    }
    next.run(req).await
}

fn refuse() -> Response {
    (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response()
}
