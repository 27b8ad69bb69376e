use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::identity::api::LogIn;
use crate::ui::field::{form_error, Field, FormMessage};
use crate::ui::navigate::reload_to;

#[component]
pub fn LogInPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let error = form_error(action.value());
    let query = use_query_map();
    let next = crate::identity::safe_next(&query.read_untracked().get("next").unwrap_or_default());
    let password_set = query.read_untracked().get("password").as_deref() == Some("set");
    let after = next.clone();
    let next_field = next.clone();
    Effect::new(move |_| {
        // Where the server says: `next`, or the two-factor step.
        if let Some(Ok(path)) = action.value().get() {
            reload_to(if path.is_empty() { &after } else { &path });
        }
    });
    view! {
        <Title text="Log in · Steward" />
        <main class="narrow">
            <h1>"Log in"</h1>
            {password_set.then(|| view! {
                <p class="success" role="status">"Your new password is set. Log in with it."</p>
            })}
            <ActionForm action>
                <input type="hidden" name="next" value=next_field />
                <Field label="Email" name="email" kind="email" autocomplete="username" required=true error />
                <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Log in"</button>
            </ActionForm>
            <p><a href="/forgot-password">"Forgot your password?"</a></p>
            <p>"New to Steward? " <a href=format!("/signup?next={}", crate::identity::pages::signup::encode(&next))>"Sign up"</a></p>
        </main>
    }
}
