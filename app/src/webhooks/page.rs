//! Administration → Webhooks: the account's endpoints (add, pause, show the secret, delete) and
//! the newest deliveries with each attempt.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::core::domain::events::EventType;
use crate::live::client::use_live;
use crate::live::model::Topic;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::copy_link::CopyLink;
use crate::ui::denied::ErrorView;
use crate::ui::field::{form_error, Field, FormMessage};
use crate::webhooks::api::{
    list_webhooks, AddWebhookEndpoint, DeleteWebhookEndpoint, RetryWebhookDelivery, SetWebhookEnabled,
    WebhookSecret,
};
use crate::webhooks::model::{WebhookDeliveryRow, WebhookEndpointRow};

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let add = ServerAction::<AddWebhookEndpoint>::new();
    let toggle = ServerAction::<SetWebhookEnabled>::new();
    let delete = ServerAction::<DeleteWebhookEndpoint>::new();
    let retry = ServerAction::<RetryWebhookDelivery>::new();
    let reveal = ServerAction::<WebhookSecret>::new();
    let data = Resource::new(
        move || {
            (
                add.version().get(),
                toggle.version().get(),
                delete.version().get(),
                retry.version().get(),
                // Deliveries are written and tried by the server: the table follows them.
                use_live(Topic::Webhooks),
            )
        },
        |_| list_webhooks(),
    );
    let add_error = form_error(add.value());
    let to_delete = RwSignal::new(None::<WebhookEndpointRow>);
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            to_delete.set(None);
        }
    });
    let delete_error = move || delete.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    let action_error = move || {
        [
            toggle.value().get().and_then(|r| r.err()),
            retry.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| e.to_string())
    };
    view! {
        <Title text="Webhooks · Steward" />
        <h1>"Webhooks"</h1>
        <p class="intro">
            "Steward sends a JSON " <code>"POST"</code> " to your endpoints when something happens in this account: "
            "a manager is invited, accepts or logs in, a client account is created, a user is added. Each one is signed "
            "(headers " <code>"webhook-id"</code> ", " <code>"webhook-timestamp"</code> " and "
            <code>"webhook-signature"</code> ", as the Standard Webhooks specification says) and tried again for a day "
            "until your endpoint answers with a 2xx status."
        </p>
        {move || add.value().get().and_then(Result::ok).map(|e| view! {
            <div class="notice success" role="status">
                <p>{format!("The endpoint {} is added. Check each delivery's signature with this secret:", e.url)}</p>
                <CopyLink link=e.secret label="Signing secret".to_string() button="Copy secret" />
            </div>
        })}
        {move || delete.value().get().and_then(Result::ok).map(|_| view! {
            <p class="notice success" role="status">"The endpoint is deleted: nothing more is sent to it."</p>
        })}
        {move || action_error().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(page) => view! {
                        <h2>"Add endpoint"</h2>
                        <ActionForm action=add>
                            <Field label="Endpoint URL" name="url" kind="url" error=add_error />
                            <Field label="Description" name="description" error=add_error />
                            <fieldset class="events">
                                <legend>"Events"</legend>
                                {EventType::ALL.into_iter().map(|e| view! {
                                    <label>
                                        <input type="checkbox" name=format!("events[{}]", e.as_str()) value="on" checked=true />
                                        " " {e.label()} " " <code>{e.as_str()}</code>
                                    </label>
                                }).collect_view()}
                                <p class="field-error" role="alert">{move || add_error.get().and_then(|e| e.for_field("events"))}</p>
                            </fieldset>
                            <FormMessage error=add_error />
                            <button type="submit" disabled=move || add.pending().get()>"Add endpoint"</button>
                        </ActionForm>
                        <h2>"Endpoints"</h2>
                        <EndpointTable endpoints=page.endpoints toggle reveal to_delete />
                        <h2>"Deliveries"</h2>
                        <DeliveryTable deliveries=page.deliveries retry />
                    }.into_any(),
                }
            })}
        </Transition>
        {move || to_delete.get().map(|e| {
            let id = e.id.clone();
            view! {
                <ConfirmDialog
                    title="Delete endpoint"
                    question=format!("{} will be sent nothing more, and its deliveries are deleted.", e.url)
                    confirm="Delete endpoint"
                    pending=Signal::derive(move || delete.pending().get())
                    error=Signal::derive(delete_error)
                    on_confirm=Callback::new(move |_| { delete.dispatch(DeleteWebhookEndpoint { id: id.clone() }); })
                    on_cancel=Callback::new(move |_| to_delete.set(None))
                />
            }
        })}
    }
}

#[component]
fn EndpointTable(
    endpoints: Vec<WebhookEndpointRow>,
    toggle: ServerAction<SetWebhookEnabled>,
    reveal: ServerAction<WebhookSecret>,
    to_delete: RwSignal<Option<WebhookEndpointRow>>,
) -> impl IntoView {
    if endpoints.is_empty() {
        return view! { <p class="empty">"No endpoints yet."</p> }.into_any();
    }
    // The secret shown, and the endpoint it is of.
    let shown = RwSignal::new(None::<String>);
    view! {
        <table aria-label="Webhook endpoints">
            <thead><tr>
                <th scope="col">"URL"</th>
                <th scope="col">"Description"</th>
                <th scope="col">"Events"</th>
                <th scope="col">"Created"</th>
                <th scope="col">"Status"</th>
                <th scope="col">"Actions"</th>
            </tr></thead>
            <tbody>
                {endpoints.into_iter().map(|e| {
                    let row = e.clone();
                    let id = e.id.clone();
                    let secret_id = e.id.clone();
                    let shows_secret = move || shown.get().as_deref() == Some(secret_id.as_str());
                    let events = if e.events.len() == EventType::ALL.len() {
                        "All events".to_string()
                    } else {
                        e.events.join(", ")
                    };
                    view! {
                        <tr>
                            <td><code>{e.url.clone()}</code></td>
                            <td>{e.description.clone()}</td>
                            <td>{events}</td>
                            <td>{e.created.clone()}</td>
                            <td class=if e.enabled { "status status-active" } else { "status status-pending" }>
                                {if e.enabled { "Active" } else { "Paused" }}
                            </td>
                            <td class="actions">
                                <ActionForm action=toggle>
                                    <input type="hidden" name="id" value=e.id.clone() />
                                    <input type="hidden" name="enabled" value=(!e.enabled).to_string() />
                                    <button type="submit">{if e.enabled { "Pause" } else { "Resume" }}</button>
                                </ActionForm>
                                <button type="button" on:click={
                                    let id = id.clone();
                                    move |_| {
                                        shown.set(Some(id.clone()));
                                        reveal.dispatch(WebhookSecret { id: id.clone() });
                                    }
                                }>"Show secret"</button>
                                <button type="button" class="danger" on:click=move |_| to_delete.set(Some(row.clone()))>"Delete"</button>
                                {move || shows_secret().then(|| match reveal.value().get() {
                                    Some(Ok(secret)) => view! {
                                        <CopyLink link=secret label=format!("Signing secret of {}", e.url) button="Copy secret" />
                                    }.into_any(),
                                    Some(Err(err)) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                                    None => ().into_any(),
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn DeliveryTable(
    deliveries: Vec<WebhookDeliveryRow>,
    retry: ServerAction<RetryWebhookDelivery>,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="empty">"Nothing sent yet. Deliveries appear here as events happen."</p> }
            .into_any();
    }
    view! {
        <table aria-label="Webhook deliveries">
            <thead><tr>
                <th scope="col">"Event"</th>
                <th scope="col">"Endpoint"</th>
                <th scope="col">"Created"</th>
                <th scope="col">"Status"</th>
                <th scope="col">"Attempts"</th>
                <th scope="col">"Actions"</th>
            </tr></thead>
            <tbody>
                {deliveries.into_iter().map(|d| {
                    let status_class = match d.status.as_str() {
                        "Delivered" => "status status-active",
                        "Failed" => "status status-revoked",
                        _ => "status status-pending",
                    };
                    let tries = d.attempts.len();
                    view! {
                        <tr>
                            <td><code>{d.event_type}</code></td>
                            <td>{d.endpoint_url}</td>
                            <td>{d.created}</td>
                            <td class=status_class>{d.status}</td>
                            <td>
                                {if tries == 0 {
                                    view! { "Not tried yet" }.into_any()
                                } else {
                                    view! {
                                        <details>
                                            <summary>{format!("{tries} attempt{}", if tries == 1 { "" } else { "s" })}</summary>
                                            <ol>
                                                {d.attempts.into_iter().map(|a| view! {
                                                    <li class=if a.succeeded { "attempt ok" } else { "attempt failed" }>{format!("{}: {}", a.at, a.result)}</li>
                                                }).collect_view()}
                                            </ol>
                                        </details>
                                    }.into_any()
                                }}
                                {d.next_attempt.map(|t| view! { <p class="muted">{format!("Next try {t}")}</p> })}
                            </td>
                            <td>{d.retryable.then(|| view! {
                                <ActionForm action=retry>
                                    <input type="hidden" name="id" value=d.id.clone() />
                                    <button type="submit">"Send again"</button>
                                </ActionForm>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
