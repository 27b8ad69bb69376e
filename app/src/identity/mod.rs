//! Who is calling: sign up, log in and out, sessions and their cache.
pub mod api;
#[cfg(feature = "ssr")]
pub mod context;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;

/// Where to go after logging in: a local path only, never another site.
pub fn safe_next(next: &str) -> String {
    let ok =
        next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}
