//! Administration → API manager: the account's keys, a form to make one (shown once), and
//! Revoke.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api_keys::api::{list_api_keys, CreateApiKey, RevokeApiKey};
use crate::api_keys::model::{ApiKeyRow, NewApiKey, EXPIRY_CHOICES};
use crate::ui::confirm::ConfirmDialog;
use crate::ui::copy_link::CopyLink;
use crate::ui::denied::ErrorView;
use crate::ui::field::{form_error, Field, FormMessage};

#[component]
pub fn ApiManagerPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let data = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let create_error = form_error(create.value());
    let to_revoke = RwSignal::new(None::<ApiKeyRow>);
    // The dialog closes once the key is revoked; a refusal stays in it.
    Effect::new(move |_| {
        if matches!(revoke.value().get(), Some(Ok(()))) {
            to_revoke.set(None);
        }
    });
    let revoke_error = move || revoke.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <Title text="API manager · Steward" />
        <h1>"API manager"</h1>
        <p class="intro">
            "Your scripts call Steward's API at " <code>"/api/v1"</code> " with a key, sent as "
            <code>"Authorization: Bearer <key>"</code> ". A key acts as the person who made it, with "
            "its own role, never beyond that person's role. It can't log in to a managed account."
        </p>
        {move || create.value().get().and_then(Result::ok).map(new_key_notice)}
        {move || revoke.value().get().and_then(Result::ok).map(|_| view! {
            <p class="notice success" role="status">"The key is revoked: calls with it are refused from now on."</p>
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(page) => view! {
                        // Made by the form before the WebAssembly ran: the server kept it for
                        // this one read (`api_keys::reveal`).
                        {page.just_made.map(new_key_notice)}
                        <h2>"New key"</h2>
                        <ActionForm action=create>
                            <Field label="Key name" name="name" error=create_error />
                            <div class="field">
                                <label for="field-role">"Role"</label>
                                <select id="field-role" name="role">
                                    {page.roles.into_iter().map(|r| view! { <option value=r.id>{r.name}</option> }).collect_view()}
                                </select>
                                <p class="field-error" role="alert">{move || create_error.get().and_then(|e| e.for_field("role"))}</p>
                            </div>
                            <div class="field">
                                <label for="field-expires">"Expires after"</label>
                                <select id="field-expires" name="expires">
                                    {EXPIRY_CHOICES.iter().map(|(days, label)| view! {
                                        <option value=days.to_string() selected={*days == 90}>{*label}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <FormMessage error=create_error />
                            <button type="submit" disabled=move || create.pending().get()>"Create key"</button>
                        </ActionForm>
                        <h2>"Keys"</h2>
                        {if page.keys.is_empty() {
                            view! { <p class="empty">"No API keys yet."</p> }.into_any()
                        } else {
                            view! {
                                <table aria-label="API keys">
                                    <thead><tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Key"</th>
                                        <th scope="col">"Role"</th>
                                        <th scope="col">"Made by"</th>
                                        <th scope="col">"Created"</th>
                                        <th scope="col">"Expires"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Actions"</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.keys.into_iter().map(|k| {
                                            let row = k.clone();
                                            let status_class = if k.status == "Active" { "status active" } else { "status" };
                                            view! {
                                                <tr>
                                                    <td>{k.name}</td>
                                                    <td><code>{format!("{}…", k.prefix)}</code></td>
                                                    <td>{k.role_name}</td>
                                                    <td>{k.made_by}</td>
                                                    <td>{k.created}</td>
                                                    <td>{k.expires}</td>
                                                    <td class=status_class>{k.status}</td>
                                                    <td>{k.revocable.then(|| view! {
                                                        <button type="button" class="danger" on:click=move |_| to_revoke.set(Some(row.clone()))>"Revoke"</button>
                                                    })}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Transition>
        {move || to_revoke.get().map(|k| {
            let id = k.id.clone();
            view! {
                <ConfirmDialog
                    title="Revoke API key"
                    question=format!("Calls with \"{}\" ({}…) will be refused from now on. A revoked key can't be used again.", k.name, k.prefix)
                    confirm="Revoke key"
                    pending=Signal::derive(move || revoke.pending().get())
                    error=Signal::derive(revoke_error)
                    on_confirm=Callback::new(move |_| { revoke.dispatch(RevokeApiKey { id: id.clone() }); })
                    on_cancel=Callback::new(move |_| to_revoke.set(None))
                />
            }
        })}
    }
}

/// The new key, shown once, with a button to copy it.
fn new_key_notice(k: NewApiKey) -> impl IntoView {
    view! {
        <div class="notice success" role="status">
            <p>{format!("Your new key \"{}\". Copy it now: it will not be shown again.", k.name)}</p>
            <CopyLink link=k.key label="New API key".to_string() button="Copy key" />
        </div>
    }
}
