use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::identity::api::{sign_up_link, ConfirmSignUp, SignUp};
use crate::ui::field::{form_error, Field, FormMessage};
use crate::ui::navigate::reload_to;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = form_error(action.value());
    let query = use_query_map();
    let next = crate::identity::safe_next(&query.read_untracked().get("next").unwrap_or_default());
    let next_field = next.clone();
    let login_next = next.clone();
    let invited_email = query.read_untracked().get("email").unwrap_or_default();
    // Without the WebAssembly the server function answers with a redirect to `?sent=1`.
    let sent = move || query.read().get("sent").is_some() || matches!(action.value().get(), Some(Ok(_)));
    // Development mode: the server says so (or its redirect, `&mailbox=1`).
    let mailbox =
        move || query.read().get("mailbox").is_some() || matches!(action.value().get(), Some(Ok(true)));
    view! {
        <Title text="Sign up · Steward" />
        <main class="narrow">
            <h1>"Sign up"</h1>
            <Show
                when=sent
                fallback=move || {
                    let (next_field, invited_email) = (next_field.clone(), invited_email.clone());
                    view! {
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
                    }
                }
            >
                <p class="success" role="status">
                    "Check your email: we sent you a link to finish signing up. It works once, for 24 hours."
                </p>
                <p>"Nothing arrived? Look in your spam folder, or sign up again in a minute."</p>
                <Show when=mailbox>
                    <p class="muted">"Development mode: emails are not sent. Open the " <a href="/mailbox">"Mailbox"</a> " to find the link."</p>
                </Show>
            </Show>
            <p>"Already have an account? " <a href=format!("/login?next={}", encode(&login_next))>"Log in"</a></p>
        </main>
    }
}

/// A sign-up's link: "Create my account" creates it and logs in.
#[component]
pub fn SignUpConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<ConfirmSignUp>::new();
    let error = form_error(action.value());
    let link = Resource::new(token, sign_up_link);
    Effect::new(move |_| {
        if let Some(Ok(path)) = action.value().get() {
            reload_to(&path);
        }
    });
    view! {
        <Title text="Finish signing up · Steward" />
        <main class="narrow">
            <h1>"Finish signing up"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(e) => view! {
                            <p class="form-error" role="alert">{e.to_string()}</p>
                            <p><a href="/signup">"Sign up"</a> " · " <a href="/login">"Log in"</a></p>
                        }.into_any(),
                        Ok(l) => view! {
                            <p>"Create the account " <strong>{l.account_name}</strong> " for " <strong>{l.email}</strong> "?"</p>
                            <ActionForm action>
                                <input type="hidden" name="token" value=token() />
                                <FormMessage error />
                                <button type="submit" disabled=move || action.pending().get()>"Create my account"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
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
