//! Two-factor authentication: the log-in's second step (`/login/code`) and the user's own
//! setting (`/two-factor`), which share the set-up view.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::identity::api::{log_in_challenge, two_factor, LogInCode, TurnOffTwoFactor, TurnOnTwoFactor};
use crate::identity::model::SetUpInfo;
use crate::ui::denied::ErrorView;
use crate::ui::field::{form_error, Field, FormError, FormMessage};
use crate::ui::navigate::reload_to;

/// The QR code, the secret to type in instead, and the recovery codes.
#[component]
fn SetUpSteps(info: SetUpInfo) -> impl IntoView {
    view! {
        <ol class="set-up-steps">
            <li>
                <p>"Scan this QR code with an authenticator app (for example Google Authenticator, 1Password, Authy or FreeOTP)."</p>
                <div class="qr-code" role="img" aria-label="QR code of your two-factor secret" inner_html=info.qr_svg></div>
                <p>"Or type this secret into the app: " <code class="secret" data-testid="totp-secret">{info.secret}</code></p>
            </li>
            <li>
                <p>"Save these recovery codes somewhere safe. Each one logs you in once if you lose your phone. They are not shown again."</p>
                <ul class="recovery-codes" aria-label="Recovery codes">
                    {info.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ul>
            </li>
            <li><p>"Enter the 6-digit code the app shows now."</p></li>
        </ol>
    }
}

#[component]
fn CodeField(error: FormError) -> impl IntoView {
    view! { <Field label="Authentication code" name="code" autocomplete="one-time-code" required=true error /> }
}

/// `/login/code`: after the password, the code of the authenticator app (or a recovery code),
/// or setting two-factor up first when the account requires it.
#[component]
pub fn LogInCodePage() -> impl IntoView {
    let action = ServerAction::<LogInCode>::new();
    let error = form_error(action.value());
    let query = use_query_map();
    let next = crate::identity::safe_next(&query.read_untracked().get("next").unwrap_or_default());
    Effect::new(move |_| {
        if let Some(Ok(path)) = action.value().get() {
            reload_to(&path);
        }
    });
    let challenge = Resource::new(|| (), |_| log_in_challenge());
    view! {
        <Title text="Two-factor authentication · Steward" />
        <main class="narrow">
            <h1>"Two-factor authentication"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match challenge.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(None) => view! {
                                <p class="form-error" role="alert">"This log-in has expired. Log in again."</p>
                                <p><a href="/login">"Log in"</a></p>
                            }.into_any(),
                            Ok(Some(ch)) => view! {
                                {match ch.set_up {
                                    Some(info) => view! {
                                        <p>"Your account requires two-factor authentication. Set it up to finish logging in."</p>
                                        <SetUpSteps info />
                                    }.into_any(),
                                    None => view! {
                                        <p>"Enter the 6-digit code of your authenticator app, or one of your recovery codes."</p>
                                    }.into_any(),
                                }}
                                <ActionForm action>
                                    <input type="hidden" name="next" value=next />
                                    <CodeField error />
                                    <FormMessage error />
                                    <button type="submit" disabled=move || action.pending().get()>"Log in"</button>
                                </ActionForm>
                                <p><a href="/login">"Log in with another account"</a></p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

/// `/two-factor`: turn two-factor on (set-up and a first code) or off (with the password).
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let on = ServerAction::<TurnOnTwoFactor>::new();
    let off = ServerAction::<TurnOffTwoFactor>::new();
    let on_error = form_error(on.value());
    let off_error = form_error(off.value());
    let query = use_query_map();
    let status = Resource::new(
        move || (on.version().get(), off.version().get()),
        |_| two_factor(),
    );
    // Without the WebAssembly the server function answers with a redirect to `?done=on|off`.
    let done = move || {
        if matches!(on.value().get(), Some(Ok(()))) {
            return Some("on".to_string());
        }
        if matches!(off.value().get(), Some(Ok(()))) {
            return Some("off".to_string());
        }
        query.read().get("done")
    };
    view! {
        <Title text="Two-factor authentication · Steward" />
        <h1>"Two-factor authentication"</h1>
        {move || done().map(|d| {
            let text = if d == "on" {
                "Two-factor authentication is on. Log-ins now also ask for a code of your app."
            } else {
                "Two-factor authentication is off."
            };
            view! { <p class="success" role="status">{text}</p> }
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(s) if s.enabled => view! {
                        <p>"Two-factor authentication is " <strong>"on"</strong> " for your log-in. Recovery codes left: " {s.recovery_codes_left} "."</p>
                        {if s.required {
                            view! { <p class="muted">"Your account requires it for everyone who logs in, so it can't be turned off."</p> }.into_any()
                        } else {
                            view! {
                                <h2>"Turn it off"</h2>
                                <ActionForm action=off>
                                    <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error=off_error />
                                    <FormMessage error=off_error />
                                    <button type="submit" class="danger" disabled=move || off.pending().get()>"Turn off two-factor authentication"</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any(),
                    Ok(s) => view! {
                        <p>"Two-factor authentication is " <strong>"off"</strong> ". Turn it on so that a stolen password is not enough to log in as you."</p>
                        {s.required.then(|| view! { <p class="notice" role="status">"Your account requires it: you will be asked to set it up at your next log-in."</p> })}
                        {s.set_up.map(|info| view! { <SetUpSteps info /> })}
                        <ActionForm action=on>
                            <CodeField error=on_error />
                            <FormMessage error=on_error />
                            <button type="submit" disabled=move || on.pending().get()>"Turn on two-factor authentication"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
