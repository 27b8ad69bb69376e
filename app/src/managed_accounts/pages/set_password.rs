//! The emailed link that lets the owner of a new client account choose a password.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::managed_accounts::api::SetPassword;
use crate::ui::field::{form_error, Field, FormMessage};

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = params.read_untracked().get("token").unwrap_or_default();
    // The server function's redirect takes the browser to the log in page; a second navigation
    // of our own raced with it (a test's next `goto` was interrupted by it).
    let action = ServerAction::<SetPassword>::new();
    let error = form_error(action.value());
    view! {
        <Title text="Set your password · Steward" />
        <main class="narrow">
            <h1>"Set your password"</h1>
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Set password"</button>
            </ActionForm>
        </main>
    }
}
