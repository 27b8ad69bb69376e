//! What a page shows when its data can't be loaded: "You don't have access" for a role that
//! forbids it, the message otherwise.
use leptos::prelude::*;

use crate::core::error::AppError;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    match error {
        AppError::Forbidden(reason) => view! {
            <section class="denied" aria-labelledby="denied-title">
                <h2 id="denied-title">"You don't have access"</h2>
                <p>{reason}</p>
                <p><a href="/">"Back to the dashboard"</a></p>
            </section>
        }
        .into_any(),
        other => view! { <p class="form-error" role="alert">{other.to_string()}</p> }.into_any(),
    }
}
