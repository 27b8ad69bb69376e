use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::LogIn;
use crate::components::field::{form_error, Field, FormMessage};
use crate::components::layout::reload_to;

#[component]
pub fn LogInPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let error = form_error(action.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/");
        }
    });
    view! {
        <Title text="Log in · Steward" />
        <main class="narrow">
            <h1>"Log in"</h1>
            <ActionForm action>
                <Field label="Email" name="email" kind="email" autocomplete="username" required=true error />
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Log in"</button>
            </ActionForm>
            <p>"New to Steward? " <a href="/signup">"Sign up"</a></p>
        </main>
    }
}
