//! Admin tools: Business information and Localization, each behind its own permission.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::core::domain::locale::{CURRENCIES, DATE_FORMATS, LANGUAGES, TIME_ZONES};
use crate::settings::admin_tools::api::{
    get_business_information, get_localization, SaveBusinessInformation, SaveLocalization,
};
use crate::ui::denied::ErrorView;
use crate::ui::field::{form_error, successes, Field, FormMessage};

/// A labelled select of `(value, label)` choices with `current` selected.
fn choice(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    current: String,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {options.into_iter().map(|(v, l)| {
                    let selected = v == current;
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

fn same(list: &[&str]) -> Vec<(String, String)> {
    list.iter().map(|v| (v.to_string(), v.to_string())).collect()
}

#[component]
pub fn BusinessInformationPage() -> impl IntoView {
    let save = ServerAction::<SaveBusinessInformation>::new();
    let saved = successes(save.value());
    let data = Resource::new(move || saved.get(), |_| get_business_information());
    let error = form_error(save.value());
    view! {
        <Title text="Business information · Steward" />
        <h1>"Business information"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(b) => view! {
                        <ActionForm action=save>
                            <Field label="Business name" name="business_name" value=b.business_name error />
                            <Field label="Address" name="address" value=b.address error />
                            {choice("Time zone", "time_zone", same(TIME_ZONES), b.time_zone)}
                            <FormMessage error />
                            <p role="status">{move || matches!(save.value().get(), Some(Ok(()))).then_some("Business information saved.")}</p>
                            <button type="submit" disabled=move || save.pending().get()>"Save business information"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn LocalizationPage() -> impl IntoView {
    let save = ServerAction::<SaveLocalization>::new();
    let saved = successes(save.value());
    let data = Resource::new(move || saved.get(), |_| get_localization());
    let error = form_error(save.value());
    view! {
        <Title text="Localization · Steward" />
        <h1>"Localization"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(l) => view! {
                        <ActionForm action=save>
                            {choice("Language", "language", LANGUAGES.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), l.language)}
                            {choice("Date format", "date_format", same(DATE_FORMATS), l.date_format)}
                            {choice("Currency", "currency", same(CURRENCIES), l.currency)}
                            <FormMessage error />
                            <p role="status">{move || matches!(save.value().get(), Some(Ok(()))).then_some("Localization saved.")}</p>
                            <button type="submit" disabled=move || save.pending().get()>"Save localization"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
