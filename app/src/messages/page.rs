//! Messages: the account's email templates. Use (list, send a test), create/copy, edit/delete.
use leptos::prelude::*;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::messages::api::{list_messages, CopyMessage, DeleteMessage, SaveMessage, SendTestMessage};
use crate::messages::model::MessageView;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::field::{form_error, successes, Field, FormMessage};

#[component]
pub fn MessagesPage() -> impl IntoView {
    let save = ServerAction::<SaveMessage>::new();
    let saved = successes(save.value());
    let copy = ServerAction::<CopyMessage>::new();
    let delete = ServerAction::<DeleteMessage>::new();
    let test = ServerAction::<SendTestMessage>::new();
    let list = Resource::new(
        move || (saved.get(), copy.version().get(), delete.version().get()),
        |_| list_messages(),
    );
    let editing = RwSignal::new(None::<MessageView>);
    let to_delete = RwSignal::new(None::<MessageView>);
    let error = form_error(save.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            to_delete.set(None);
        }
    });
    let status = move || {
        let failed = [copy.value().get(), test.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err());
        match (failed, test.value().get()) {
            (Some(e), _) => Some(e.to_string()),
            (None, Some(Ok(()))) => Some("Test sent to your email address.".to_string()),
            _ => None,
        }
    };

    let form = move |can_create: bool, can_edit: bool| {
        let current = editing.get();
        let is_edit = current.is_some();
        if (is_edit && !can_edit) || (!is_edit && !can_create) {
            return None;
        }
        let m = current.unwrap_or(MessageView {
            id: String::new(),
            name: String::new(),
            subject: String::new(),
            body: String::new(),
            fields: Vec::new(),
        });
        Some(view! {
            <section class="card" aria-labelledby="message-form-title">
                <h2 id="message-form-title">{if is_edit { "Edit message" } else { "New message" }}</h2>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=m.id.clone() />
                    <Field label="Message name" name="name" value=m.name required=true error />
                    <Field label="Subject" name="subject" value=m.subject required=true error />
                    <div class="field">
                        <label for="field-body">"Message"</label>
                        <textarea id="field-body" name="body" rows="6" required=true>{m.body}</textarea>
                        <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field("body"))}</p>
                    </div>
                    <p class="muted">"Use a custom field with {{Field name}}, the contact's first name with {{First name}}."</p>
                    <FormMessage error />
                    <button type="submit" disabled=move || save.pending().get()>"Save message"</button>
                    <Show when=move || is_edit>
                        <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                    </Show>
                </ActionForm>
            </section>
        })
    };

    view! {
        <Title text="Messages · Steward" />
        <h1>"Messages"</h1>
        <p role="status">{status}</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(l) => {
                        let (can_use, can_create, can_edit) = (l.can_use, l.can_create, l.can_edit_delete);
                        view! {
                            {move || form(can_create, can_edit)}
                            {if l.messages.is_empty() {
                                view! { <p class="empty">"No messages to show."</p> }.into_any()
                            } else {
                                view! {
                                    <table aria-label="Messages">
                                        <thead><tr>
                                            <th scope="col">"Name"</th><th scope="col">"Subject"</th>
                                            <th scope="col">"Fields used"</th><th scope="col">"Actions"</th>
                                        </tr></thead>
                                        <tbody>
                                            {l.messages.into_iter().map(|m| {
                                                let (for_edit, for_delete) = (m.clone(), m.clone());
                                                let (copy_id, test_id) = (m.id.clone(), m.id.clone());
                                                view! {
                                                    <tr>
                                                        <td>{m.name.clone()}</td>
                                                        <td>{m.subject.clone()}</td>
                                                        <td>{m.fields.join(", ")}</td>
                                                        <td class="actions">
                                                            {can_use.then(|| view! {
                                                                <button type="button" on:click=move |_| { test.dispatch(SendTestMessage { id: test_id.clone() }); }>"Send a test"</button>
                                                            })}
                                                            {can_create.then(|| view! {
                                                                <button type="button" on:click=move |_| { copy.dispatch(CopyMessage { id: copy_id.clone() }); }>"Copy"</button>
                                                            })}
                                                            {can_edit.then(|| view! {
                                                                <button type="button" on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                                                                <button type="button" class="danger" on:click=move |_| to_delete.set(Some(for_delete.clone()))>"Delete"</button>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || to_delete.get().map(|m| {
            let id = m.id.clone();
            view! {
                <ConfirmDialog
                    title="Delete message"
                    question=format!("Delete the message {}? This can't be undone.", m.name)
                    confirm="Delete"
                    pending=delete.pending()
                    error=Signal::derive(move || delete.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
                    on_confirm=Callback::new(move |_| { delete.dispatch(DeleteMessage { id: id.clone() }); })
                    on_cancel=Callback::new(move |_| to_delete.set(None))
                />
            }
        })}
    }
}
