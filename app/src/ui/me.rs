//! What the signed-in frame knows of the acting user, for pages that adapt to it.
use leptos::prelude::*;

use crate::core::model::Me;

/// Is this session logged in to a managed account? Pages then hide what only the account's own
/// users may do (the server refuses it anyway: see `core::actor::OwnerOnly`).
pub fn managing() -> bool {
    use_context::<Me>().is_some_and(|me| me.managing.is_some())
}
