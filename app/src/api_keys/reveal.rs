//! A key made by a form posted before the WebAssembly runs: the server function's answer is a
//! redirect back to the API manager, which can't carry the key. It rides along in a cookie
//! for that page only, for a minute, and the page's next read takes it and clears it. The
//! cookie names the user who made the key: another person logging in on that browser in the
//! meantime is not shown it.
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::api_keys::model::NewApiKey;
use crate::core::services::{Actor, Services};
use crate::identity::context::{request_cookie, set_page_cookie};

const COOKIE: &str = "steward_new_api_key";
const PAGE: &str = "/api-manager";
const SECONDS: i64 = 60;

#[derive(Serialize, Deserialize)]
struct Kept {
    user: String,
    name: String,
    key: String,
}

fn encode(kept: &Kept) -> Option<String> {
    let json = serde_json::to_vec(kept).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
}

fn decode(value: &str) -> Option<Kept> {
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// Keeps `made` for the API manager page's next read.
pub fn keep(services: &Services, actor: &Actor, made: &NewApiKey) {
    let kept = Kept {
        user: actor.user_id.to_string(),
        name: made.name.clone(),
        key: made.key.clone(),
    };
    if let Some(value) = encode(&kept) {
        set_page_cookie(services, COOKIE, &value, PAGE, SECONDS);
    }
}

/// The key kept for this actor, once: the cookie is cleared whoever reads it.
pub fn take(services: &Services, actor: &Actor) -> Option<NewApiKey> {
    let value = request_cookie(COOKIE)?;
    set_page_cookie(services, COOKIE, "", PAGE, 0);
    let kept = decode(&value)?;
    (actor.user_id == kept.user).then_some(NewApiKey {
        name: kept.name,
        key: kept.key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_key_reads_back_and_anything_else_reads_as_none() {
        let kept = Kept {
            user: "u1".into(),
            name: "Sync; \"nightly\" = ✓".into(),
            key: "stw_abc".into(),
        };
        let value = encode(&kept).expect("encoded");
        assert!(value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        let back = decode(&value).expect("decoded");
        assert_eq!(
            (back.user.as_str(), back.name.as_str(), back.key.as_str()),
            ("u1", kept.name.as_str(), "stw_abc")
        );
        assert!(decode("not base64!").is_none());
        assert!(decode("e30").is_none()); // "{}"
    }
}
