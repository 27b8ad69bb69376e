//! Who is calling: sign up, log in and out, sessions and their cache.
pub mod api;
#[cfg(feature = "ssr")]
pub mod context;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod two_factor;

/// Where to go after logging in: a local path only, never another site. Browsers drop tabs and
/// line breaks from an address (`/\t/evil.example` becomes `//evil.example`) and read `\` as
/// `/`, so neither control characters, spaces nor backslashes are let through.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains("://")
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_path_on_this_site_or_home() {
        for ok in ["/", "/managed-accounts", "/invitations/abc?x=1", "/a//b"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/ /evil.example",
            "/x://evil",
            "evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
