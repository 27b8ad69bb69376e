//! "Forgot your password?": asks for the email and says a link is on its way, whether or not the
//! email has an account. The link leads to the set-password page.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::identity::api::ForgotPassword;
use crate::ui::field::{form_error, Field, FormMessage};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let error = form_error(action.value());
    let query = use_query_map();
    // Without the WebAssembly the server function answers with a redirect to `?sent=1`.
    let sent = move || query.read().get("sent").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password? · Steward" />
        <main class="narrow">
            <h1>"Forgot your password?"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p>"Enter the email you log in with. We'll email you a link to choose a new password."</p>
                    <ActionForm action>
                        <Field label="Email" name="email" kind="email" autocomplete="username" required=true error />
                        <FormMessage error />
                        <button type="submit" disabled=move || action.pending().get()>"Email me a link"</button>
                    </ActionForm>
                }
            >
                <p class="success" role="status">
                    "If a Steward log-in uses this email, a link to choose a new password is on its way. It works once, for one hour."
                </p>
            </Show>
            <p><a href="/login">"Back to log in"</a></p>
        </main>
    }
}
