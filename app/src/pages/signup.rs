use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::SignUp;
use crate::components::field::{form_error, Field, FormMessage};
use crate::components::layout::reload_to;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = form_error(action.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to("/");
        }
    });
    view! {
        <Title text="Sign up · Steward" />
        <main class="narrow">
            <h1>"Sign up"</h1>
            <ActionForm action>
                <Field label="First name" name="first_name" autocomplete="given-name" required=true error />
                <Field label="Last name" name="last_name" autocomplete="family-name" required=true error />
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true error />
                <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true error />
                <Field label="Account name" name="account_name" autocomplete="organization" required=true error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Sign up"</button>
            </ActionForm>
            <p>"Already have an account? " <a href="/login">"Log in"</a></p>
        </main>
    }
}
