//! Leaving the running app for a fresh page load.

/// Reloads the whole app after the session changed, so every part sees the new identity.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(path);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
