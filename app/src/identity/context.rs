//! What a server function needs from the request: the services, the session cookie, the actor.
use axum::http::{header, HeaderValue};
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::core::services::{Actor, Services};
use crate::identity::service::{self as identity, SessionToken};

pub const SESSION_COOKIE: &str = "steward_session";
/// A log-in waiting for its two-factor step (`identity::service::LogIn::SecondStep`).
pub const CHALLENGE_COOKIE: &str = "steward_login_step";
/// The sign-up this browser started, for the development Mailbox (`identity::service::SignUpSent`).
pub const SIGN_UP_COOKIE: &str = "steward_sign_up";

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the request context");
        AppError::Internal
    })
}

/// The session token of the request's cookie, if any.
pub fn session_token() -> Option<SessionToken> {
    let parts = use_context::<axum::http::request::Parts>()?;
    token_from_headers(&parts.headers)
}

/// The token of a log-in waiting for its second step, if any.
pub fn challenge_token() -> Option<SessionToken> {
    let parts = use_context::<axum::http::request::Parts>()?;
    cookie(&parts.headers, CHALLENGE_COOKIE)
}

/// The token of the sign-up this browser started, if any.
pub fn sign_up_browser_token() -> Option<SessionToken> {
    let parts = use_context::<axum::http::request::Parts>()?;
    cookie(&parts.headers, SIGN_UP_COOKIE)
}

/// Only in development mode, where the Mailbox reads it: elsewhere the cookie would be sent
/// with every request for nothing.
pub fn set_sign_up_cookie(services: &Services, token: &SessionToken) {
    if services.settings.dev_mode {
        set_cookie(format!(
            "{SIGN_UP_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
            token.expose(),
            identity::SIGN_UP_LINK_TTL_SECS,
            secure_flag(services)
        ));
    }
}

/// The session token in a request's `Cookie` headers, for handlers outside server functions.
pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<SessionToken> {
    cookie(headers, SESSION_COOKIE)
}

fn cookie(headers: &axum::http::HeaderMap, wanted: &str) -> Option<SessionToken> {
    cookie_value(headers, wanted).map(SessionToken::from_cookie)
}

fn cookie_value<'h>(headers: &'h axum::http::HeaderMap, wanted: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value)
}

/// The actor of this request, or `None` when nobody is logged in.
pub async fn optional_actor() -> Result<Option<Actor>, AppError> {
    let services = services()?;
    let Some(token) = session_token() else {
        return Ok(None);
    };
    Ok(identity::actor_for_token(&services, &token).await?)
}

/// The actor of this request; refuses the call when nobody is logged in.
pub async fn actor() -> Result<(Services, Actor), AppError> {
    let services = services()?;
    let unauthenticated = || AppError::from(crate::core::services::ServiceError::Unauthenticated);
    let token = session_token().ok_or_else(unauthenticated)?;
    let actor = identity::actor_for_token(&services, &token)
        .await?
        .ok_or_else(unauthenticated)?;
    Ok((services, actor))
}

fn secure_flag(services: &Services) -> &'static str {
    if services.settings.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    }
}

pub fn set_session_cookie(services: &Services, token: &SessionToken) {
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        token.expose(),
        services.settings.session_absolute_secs,
        secure_flag(services)
    );
    set_cookie(cookie);
}

pub fn clear_session_cookie(services: &Services) {
    set_cookie(format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        secure_flag(services)
    ));
}

pub fn set_challenge_cookie(services: &Services, token: &SessionToken) {
    set_cookie(format!(
        "{CHALLENGE_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        token.expose(),
        identity::CHALLENGE_TTL_SECS,
        secure_flag(services)
    ));
}

pub fn clear_challenge_cookie(services: &Services) {
    set_cookie(format!(
        "{CHALLENGE_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        secure_flag(services)
    ));
}

fn set_cookie(cookie: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

pub use crate::core::api_error::is_plain_form;

/// A cookie for one page (`path`) and `max_age` seconds, `value` made of cookie-safe characters.
pub fn set_page_cookie(services: &Services, name: &str, value: &str, path: &str, max_age: i64) {
    set_cookie(format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        secure_flag(services)
    ));
}

/// The value of the request's cookie `name`, if it has one.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    cookie_value(&parts.headers, name).map(str::to_string)
}

/// Pages whose address carries a token send no `Referer` (`Referrer-Policy: no-referrer`, see
/// the server's `security::referrer_policy`), so a form posted from one before the WebAssembly
/// runs can't be led back by it, as server_fn does elsewhere. This leads it back to `page` (or
/// to `success` when the call succeeded), with an error encoded the way `ActionForm` reads it
/// (`__path`, `__err`). Calls from the WebAssembly are left alone. A token that isn't one of
/// ours (anything but letters and digits) leads home instead of into a header.
pub fn lead_plain_form_back<T>(
    fn_path: &str,
    page_prefix: &str,
    token: &str,
    success: Option<&str>,
    result: &Result<T, AppError>,
) {
    if !is_plain_form() {
        return;
    }
    let page = if !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!("{page_prefix}{token}")
    } else {
        "/".to_string()
    };
    let location = match result {
        Ok(_) => success.map_or(page, str::to_string),
        Err(e) => leptos::server_fn::error::ServerFnUrlError::new(fn_path, e.clone())
            .to_url(&format!("http://steward.invalid{page}"))
            .map(|url| format!("{}?{}", url.path(), url.query().unwrap_or_default()))
            .unwrap_or(page),
    };
    leptos_axum::redirect(&location);
}
