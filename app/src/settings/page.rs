//! Administration → Account settings: the owner's say over account managers.
use leptos::prelude::*;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::core::domain::LOGIN_NOTIFY;
use crate::settings::api::{get_account_settings, SaveAccountSettings};
use crate::ui::field::{form_error, successes, FormMessage};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveAccountSettings>::new();
    let saved = successes(save.value());
    let settings = Resource::new(move || saved.get(), |_| get_account_settings());
    let error = form_error(save.value());
    let managing = crate::ui::me::managing();
    view! {
        <Title text="Account settings · Steward" />
        <h1>"Account settings"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(s) => view! {
                        <section class="card">
                            <ActionForm action=save>
                                <SettingCheckbox name="allow_manager_requests" label="Allow account manager requests" checked=s.allow_manager_requests disabled=managing />
                                <SettingCheckbox name="managers_manage_users" label="Account managers may manage users" checked=s.managers_manage_users disabled=managing
                                    help="Managers logged in to this account can then add users. Each user they add shows who added them, you get an email, and ending that agency's access asks whether to remove them too." />
                                <SettingCheckbox name="require_two_factor" label="Require two-factor for everyone who logs in to this account" checked=s.require_two_factor disabled=managing
                                    help="Team users without it are asked to set it up at their next log-in (yours included), and account managers must turn it on for their own log-in before they can log in here." />
                                <fieldset>
                                    <legend>"Tell me when an account manager logs in"</legend>
                                    {LOGIN_NOTIFY.iter().map(|(key, label)| {
                                        let checked = s.login_notify == *key;
                                        view! { <label><input type="radio" name="login_notify" value=*key checked=checked disabled=managing />" " {*label}</label> }
                                    }).collect_view()}
                                </fieldset>
                                <FormMessage error />
                                {if managing {
                                    view! { <p class="muted">"These settings are the owner's: account managers can see them, not change them."</p> }.into_any()
                                } else {
                                    view! { <button type="submit" disabled=move || save.pending().get()>"Save settings"</button> }.into_any()
                                }}
                                {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p role="status">"Settings saved."</p> })}
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One on/off setting: a check box sends `on` when checked and nothing when not; its help, if
/// any, describes it to assistive technology too.
#[component]
fn SettingCheckbox(
    name: &'static str,
    label: &'static str,
    checked: bool,
    disabled: bool,
    #[prop(optional)] help: Option<&'static str>,
) -> impl IntoView {
    let help_id = help.map(|_| format!("{}-help", name.replace('_', "-")));
    view! {
        <div class="field">
            <label>
                <input type="checkbox" name=name value="on" aria-describedby=help_id.clone() checked=checked disabled=disabled />
                " " {label}
            </label>
            {help.map(|text| view! { <p id=help_id class="muted">{text}</p> })}
        </div>
    }
}
