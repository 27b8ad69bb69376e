use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::identity::api::SignUp;
use crate::ui::field::{form_error, Field, FormMessage};
use crate::ui::navigate::reload_to;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = form_error(action.value());
    let query = use_query_map();
    let next = crate::identity::safe_next(&query.read_untracked().get("next").unwrap_or_default());
    let after = next.clone();
    let next_field = next.clone();
    let invited_email = query.read_untracked().get("email").unwrap_or_default();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to(&after);
        }
    });
    view! {
        <Title text="Sign up · Steward" />
        <main class="narrow">
            <h1>"Sign up"</h1>
            <ActionForm action>
                <input type="hidden" name="next" value=next_field />
                <Field label="First name" name="first_name" autocomplete="given-name" required=true error />
                <Field label="Last name" name="last_name" autocomplete="family-name" required=true error />
                <Field label="Email" name="email" kind="email" autocomplete="email" required=true value=invited_email error />
                <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true error />
                <Field label="Account name" name="account_name" autocomplete="organization" required=true error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Sign up"</button>
            </ActionForm>
            <p>"Already have an account? " <a href=format!("/login?next={}", encode(&next))>"Log in"</a></p>
        </main>
    }
}

/// Percent-encodes a path for use in a query string.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
