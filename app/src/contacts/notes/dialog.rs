//! The notes of one contact, in a dialog opened from the Contacts list.
use leptos::prelude::*;

use crate::contacts::model::{ContactView, NoteView};
use crate::contacts::notes::api::{contact_notes, DeleteNote, SaveNote};
use crate::ui::denied::ErrorView;
use crate::ui::field::{form_error, successes, FormMessage};

#[component]
pub fn ContactNotesDialog(
    contact: ContactView,
    can_create: bool,
    can_edit: bool,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let save = ServerAction::<SaveNote>::new();
    let delete = ServerAction::<DeleteNote>::new();
    let saved = successes(save.value());
    let contact_id = contact.id.clone();
    let notes = Resource::new(
        move || (saved.get(), delete.version().get()),
        move |_| contact_notes(contact_id.clone()),
    );
    let editing = RwSignal::new(None::<NoteView>);
    let error = form_error(save.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    let name = format!("{} {}", contact.first_name, contact.last_name);
    let id_for_form = contact.id.clone();
    view! {
        <div class="backdrop">
            <div role="dialog" aria-modal="true" aria-labelledby="notes-title" class="dialog wide-dialog">
                <h2 id="notes-title">{format!("Notes: {name}")}</h2>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match notes.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="empty">"No notes yet."</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="notes">
                                    {list.into_iter().map(|n| {
                                        let (for_edit, del_id) = (n.clone(), n.id.clone());
                                        view! {
                                            <li>
                                                <p>{n.body.clone()}</p>
                                                <p class="muted">{format!("{} · {}", n.author, n.created_at)}</p>
                                                {can_edit.then(|| view! {
                                                    <button type="button" on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit note"</button>
                                                    <button type="button" class="danger" on:click=move |_| { delete.dispatch(DeleteNote { id: del_id.clone() }); }>"Delete note"</button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Transition>
                {move || {
                    let id_for_form = id_for_form.clone();
                    let current = editing.get();
                    let show = if current.is_some() { can_edit } else { can_create };
                    show.then(|| {
                        let n = current.unwrap_or(NoteView { id: String::new(), body: String::new(), author: String::new(), created_at: String::new() });
                        let label = if n.id.is_empty() { "Add note" } else { "Save note" };
                        view! {
                            <ActionForm action=save>
                                <input type="hidden" name="contact" value=id_for_form.clone() />
                                <input type="hidden" name="id" value=n.id.clone() />
                                <div class="field">
                                    <label for="field-note">"Note"</label>
                                    <textarea id="field-note" name="body" rows="3">{n.body.clone()}</textarea>
                                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field("body"))}</p>
                                </div>
                                <FormMessage error />
                                <button type="submit" disabled=move || save.pending().get()>{label}</button>
                            </ActionForm>
                        }
                    })
                }}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
                </div>
            </div>
        </div>
    }
}
