//! The owner's Account managers page and the invitation link's page.
pub mod account_managers;
pub mod invitation;

use leptos::prelude::*;

use crate::grants::model::LinkOutcome;

/// An emailed link's page once it no longer waits for the viewer's answer: an answer is news (a
/// success, with the page it leads on to), a refusal is shown as one.
#[component]
pub fn LinkOutcomeView(outcome: LinkOutcome) -> impl IntoView {
    match outcome {
        LinkOutcome::Answered { message, next } => view! {
            <p role="status" class="success">{message}</p>
            <p class="actions"><a class="button" href=next.href()>{next.label()}</a></p>
        }
        .into_any(),
        LinkOutcome::Blocked(reason) => view! { <p class="form-error" role="alert">{reason}</p> }.into_any(),
    }
}
