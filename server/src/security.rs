//! Cross-site request refusal: server functions are plain POST endpoints with no CSRF token,
//! so a state-changing request must come from our own pages.
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn same_origin_only(req: Request<Body>, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let headers = req.headers();
    // Browsers send Sec-Fetch-Site on every request and no page can set it: "same-origin" and
    // "none" (typed URL) are ours, and that settles it. (Origin can't: under a
    // `Referrer-Policy: no-referrer` a browser sends `Origin: null` even for a page's own form.)
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site != "same-origin" && site != "none" {
            return refuse();
        }
        return next.run(req).await;
    }
    // Older browsers: the Origin header, when sent, must be this host.
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

/// The pages whose address carries a token: an invitation, an access request, a set-password
/// link, a sign-up link.
const TOKEN_PAGES: &[&str] = &[
    "/invitations/",
    "/requests/",
    "/set-password/",
    "/signup/confirm/",
];

/// A page whose address carries a token tells the browser to send its address to nobody
/// (`no-referrer`); every other answer lets it go to this site only (`same-origin`), never to
/// another. A form posted from a token page without the WebAssembly is led back to it by its
/// server function (`identity::context::lead_plain_form_back`), not by the referrer.
pub async fn referrer_policy(req: Request<Body>, next: Next) -> Response {
    let carries_token = TOKEN_PAGES.iter().any(|p| req.uri().path().starts_with(p));
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(if carries_token {
            "no-referrer"
        } else {
            "same-origin"
        }),
    );
    res
}

fn refuse() -> Response {
    (StatusCode::FORBIDDEN, "Cross-site requests are not accepted.").into_response()
}

/// The nonce that lets this response's own inline scripts (hydration, streamed resources) run
/// under the Content-Security-Policy. The page renderer reads it from the request's extensions.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits, hex: the nonce of one response.
    fn new() -> Self {
        CspNonce(app::core::services::random_hex(16))
    }
}

/// The policy of a page: its own files and nonced inline scripts only, WebAssembly allowed, never
/// framed, forms posted to this site only. In development mode pages may also reach
/// `cargo leptos watch`'s reload socket on this machine.
pub fn page_csp(nonce: &str, dev: bool) -> String {
    let reload = if dev {
        " ws://127.0.0.1:* ws://localhost:*"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; form-action 'self'; base-uri 'none'; \
         object-src 'none'; frame-ancestors 'none'"
    )
}

/// The policy of anything that is not a page (server functions, files, CSV): nothing runs.
pub const OTHER_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// An HTML page gets a Content-Security-Policy with a fresh nonce, which the page renderer gives
/// Leptos (see `CspNonce`), and `Cache-Control: no-store`; any other answer a policy that runs
/// nothing. (The fixed headers are
/// tower-http layers, in `crate::router`.)
pub async fn content_security_policy(
    axum::extract::State(dev): axum::extract::State<bool>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    use axum::http::HeaderValue;
    // Pages are rendered for GET (and HEAD) only: no random nonce for a server function call.
    let nonce = (req.method() == Method::GET || req.method() == Method::HEAD).then(CspNonce::new);
    if let Some(nonce) = &nonce {
        req.extensions_mut().insert(nonce.clone());
    }
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let value = match nonce.filter(|_| is_html) {
        Some(nonce) => {
            // A page is one person's (and the two-factor set-up shows a secret): never kept by
            // the browser or a proxy, so it can't be read back from a shared machine's cache.
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            HeaderValue::from_str(&page_csp(&nonce.0, dev)).ok()
        }
        None => Some(HeaderValue::from_static(OTHER_CSP)),
    };
    if let Some(value) = value {
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    res
}

/// The address a request comes from: the peer's, or, when the peer is a proxy named in
/// `STEWARD_TRUSTED_PROXIES`, the nearest address in `X-Forwarded-For` that is not one of those
/// proxies (each proxy appends the address it saw; anything left of it may be forged).
pub fn client_ip(
    peer: std::net::IpAddr,
    forwarded_for: Option<&str>,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = forwarded_for.unwrap_or_default().split(',').rev();
    for hop in hops {
        match hop.trim().parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // Unreadable: nothing further left can be believed; the last proxy is the client.
            Err(_) => break,
        }
    }
    peer
}

/// The log-in limiter's key: the client address as `client_ip` finds it. Without trusted
/// proxies it is the peer address, as tower_governor's own extractor would give.
#[derive(Debug, Clone)]
pub struct ClientIpKey {
    pub trusted: std::sync::Arc<[std::net::IpAddr]>,
}

impl tower_governor::key_extractor::KeyExtractor for ClientIpKey {
    type Key = std::net::IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, tower_governor::GovernorError> {
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or(tower_governor::GovernorError::UnableToExtractKey)?;
        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        Ok(client_ip(peer, forwarded, &self.trusted))
    }
}

/// Who an API call's rate limit counts against: its key (a hash of the bearer token, so the
/// limiter holds no secret), or without one the client's address.
#[derive(Clone)]
pub struct ApiCallerKey {
    pub by_address: ClientIpKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ApiCaller {
    Key(u64),
    Address(std::net::IpAddr),
}

impl tower_governor::key_extractor::KeyExtractor for ApiCallerKey {
    type Key = ApiCaller;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, tower_governor::GovernorError> {
        use std::hash::BuildHasher;
        // One hasher seed per process: the same key always counts against the same bucket.
        static SEED: std::sync::OnceLock<std::collections::hash_map::RandomState> =
            std::sync::OnceLock::new();
        match app::rest::bearer_token(req.headers()) {
            Some(key) => Ok(ApiCaller::Key(SEED.get_or_init(Default::default).hash_one(key))),
            None => self.by_address.extract(req).map(ApiCaller::Address),
        }
    }
}

/// The API's answer past the limit: JSON, like its other errors, with when to try again.
pub fn api_rate_limited(error: tower_governor::GovernorError) -> Response {
    let (status, wait, code, message) = match error {
        tower_governor::GovernorError::TooManyRequests { wait_time, .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            Some(wait_time.max(1)),
            "rate_limited",
            format!(
                "Too many calls from this key or address. Try again in {} s.",
                wait_time.max(1)
            ),
        ),
        tower_governor::GovernorError::UnableToExtractKey => (
            StatusCode::BAD_REQUEST,
            None,
            "bad_request",
            "The caller can't be told.".to_string(),
        ),
        tower_governor::GovernorError::Other { code, msg, .. } => (
            code,
            None,
            "bad_request",
            msg.unwrap_or_else(|| "The call was refused.".into()),
        ),
    };
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    let mut res = (status, axum::Json(body)).into_response();
    if let Some(wait) = wait {
        if let Ok(v) = axum::http::HeaderValue::from_str(&wait.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_the_peer_unless_the_peer_is_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        // Not from a trusted proxy: X-Forwarded-For is whatever the client wrote.
        assert_eq!(
            client_ip(ip("203.0.113.9"), Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_ip(ip("203.0.113.9"), Some("1.2.3.4"), &[]),
            ip("203.0.113.9")
        );
        // From the proxy: the nearest untrusted hop; a forged entry further left is ignored.
        assert_eq!(
            client_ip(proxy, Some("6.6.6.6, 198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(proxy, Some("198.51.100.7, 10.0.0.3"), &trusted),
            ip("198.51.100.7"),
            "two proxies in a row"
        );
        assert_eq!(client_ip(proxy, None, &trusted), proxy);
        assert_eq!(client_ip(proxy, Some("garbage"), &trusted), proxy);
        assert_eq!(
            client_ip(proxy, Some(" 2001:db8::1 "), &trusted),
            ip("2001:db8::1")
        );
    }
}
