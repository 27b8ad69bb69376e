//! Contacts of the account acted in: list, create, edit, delete, tags.
use leptos::prelude::*;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::contacts::api::{
    list_contacts, CreateCustomField, DeleteContact, DeleteCustomField, ImportContacts, SaveContact,
};
use crate::contacts::model::{ContactView, CustomFieldView};
use crate::contacts::notes::dialog::ContactNotesDialog;
use crate::core::domain::FIELD_KINDS;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::field::{form_error, successes, Field, FormMessage};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let save = ServerAction::<SaveContact>::new();
    let saved = successes(save.value());
    let delete = ServerAction::<DeleteContact>::new();
    let add_field = ServerAction::<CreateCustomField>::new();
    let fields_added = successes(add_field.value());
    let import = ServerAction::<ImportContacts>::new();
    let imported = successes(import.value());
    let import_error = form_error(import.value());
    let notes_of = RwSignal::new(None::<(ContactView, bool, bool)>);
    let delete_field = ServerAction::<DeleteCustomField>::new();
    let contacts = Resource::new(
        move || {
            (
                saved.get(),
                delete.version().get(),
                fields_added.get(),
                imported.get(),
                delete_field.version().get(),
            )
        },
        |_| list_contacts(),
    );
    let field_error = form_error(add_field.value());
    // The contact being edited; `None` shows the form for a new contact.
    let editing = RwSignal::new(None::<ContactView>);
    let to_delete = RwSignal::new(None::<ContactView>);
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

    let form = move |can_tag: bool, fields: Vec<CustomFieldView>| {
        let current = editing.get();
        let title = if current.is_some() {
            "Edit contact"
        } else {
            "New contact"
        };
        let c = current.unwrap_or(ContactView {
            id: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
            phone: String::new(),
            tags: Vec::new(),
            values: Vec::new(),
        });
        let custom = fields
            .into_iter()
            .map(|f| {
                let value = c
                    .values
                    .iter()
                    .find(|(id, _)| *id == f.id)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let input_id = format!("custom-{}", f.id);
                let message_id = format!("{input_id}-error");
                let error_key = format!("field_{}", f.id);
                let message = move || error.get().and_then(|e| e.for_field(&error_key));
                let kind = match f.kind.as_str() {
                    "number" => "number",
                    "date" => "date",
                    _ => "text",
                };
                view! {
                    <div class="field">
                        <label for=input_id.clone()>{f.name.clone()}</label>
                        <input id=input_id type=kind step=(kind == "number").then_some("any")
                            name=format!("values[f_{}]", f.id) value=value aria-describedby=message_id.clone() />
                        <p class="field-error" id=message_id role="alert">{message}</p>
                    </div>
                }
            })
            .collect_view();
        let editing_now = !c.id.is_empty();
        view! {
            <section class="card" aria-labelledby="contact-form-title">
                <h2 id="contact-form-title">{title}</h2>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=c.id.clone() />
                    <div class="row">
                        <Field label="First name" name="first_name" value=c.first_name error />
                        <Field label="Last name" name="last_name" value=c.last_name error />
                    </div>
                    <div class="row">
                        <Field label="Email" name="email" kind="email" value=c.email error />
                        <Field label="Phone" name="phone" kind="tel" value=c.phone error />
                    </div>
                    {if can_tag {
                        view! { <Field label="Tags" name="tags" value=c.tags.join(", ") error /> }.into_any()
                    } else {
                        view! { <input type="hidden" name="tags" value=c.tags.join(", ") /> }.into_any()
                    }}
                    <div class="row wrap">{custom}</div>
                    <FormMessage error />
                    <button type="submit" disabled=move || save.pending().get()>"Save contact"</button>
                    <Show when=move || editing_now>
                        <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                    </Show>
                </ActionForm>
            </section>
        }
    };

    view! {
        <Title text="Contacts · Steward" />
        <h1>"Contacts"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match contacts.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(list) => {
                        let can_edit = list.can_create_edit;
                        let can_delete = list.can_delete;
                        let can_tag = list.can_manage_tags;
                        let fields = list.fields.clone();
                        let field_names = list.fields.clone();
                        let (can_notes, can_add_note, can_edit_note) =
                            (list.can_view_notes, list.can_create_notes, list.can_edit_notes);
                        view! {
                            {list.can_export.then(|| view! {
                                <p><a href="/contacts.csv" download="contacts.csv">"Export CSV"</a></p>
                            })}
                            {list.can_import.then(|| view! {
                                <details class="card">
                                    <summary>"Import contacts"</summary>
                                    <ActionForm action=import>
                                        <CsvFilePicker />
                                        <div class="field">
                                            <label for="field-csv">"CSV"</label>
                                            <textarea id="field-csv" name="csv" rows="6"
                                                placeholder="First name,Last name,Email,Phone,Tags"></textarea>
                                            <p class="field-error" role="alert">{move || import_error.get().and_then(|e| e.for_field("csv"))}</p>
                                        </div>
                                        <FormMessage error=import_error />
                                        <p role="status">{move || match import.value().get() {
                                            Some(Ok(outcome)) => Some(format!("Imported {} contacts.", outcome.created)),
                                            _ => None,
                                        }}</p>
                                        <button type="submit" disabled=move || import.pending().get()>"Import"</button>
                                        {move || import.pending().get().then(|| view! {
                                            <div role="status" class="progress"><progress aria-label="Importing"></progress><p class="loading">"Importing…"</p></div>
                                        })}
                                    </ActionForm>
                                </details>
                            })}
                            {can_edit.then(|| form(can_tag, fields))}
                            {list.can_manage_fields.then(|| view! {
                                <section class="card" aria-labelledby="fields-title">
                                    <h2 id="fields-title">"Custom fields"</h2>
                                    <ul class="plain">
                                        {list.fields.iter().map(|f| {
                                            let id = f.id.clone();
                                            view! {
                                                <li>
                                                    {format!("{} ({})", f.name, f.kind)}" "
                                                    <button type="button" class="link danger"
                                                        aria-label=format!("Delete field {}", f.name)
                                                        on:click=move |_| { delete_field.dispatch(DeleteCustomField { id: id.clone() }); }>
                                                        "Delete"
                                                    </button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                    <ActionForm action=add_field>
                                        <div class="row">
                                            <Field label="Field name" name="field_name" error=field_error />
                                            <div class="field">
                                                <label for="field-kind">"Field type"</label>
                                                <select id="field-kind" name="kind">
                                                    {FIELD_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                                                </select>
                                            </div>
                                        </div>
                                        <FormMessage error=field_error />
                                        <button type="submit" disabled=move || add_field.pending().get()>"Add field"</button>
                                    </ActionForm>
                                </section>
                            })}
                            {if list.contacts.is_empty() {
                                view! { <p class="empty">"No contacts to show."</p> }.into_any()
                            } else {
                                view! {
                                    <table aria-label="Contacts">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Name"</th>
                                                <th scope="col">"Email"</th>
                                                <th scope="col">"Phone"</th>
                                                <th scope="col">"Tags"</th>
                                                <th scope="col">"Details"</th>
                                                <th scope="col">"Actions"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list.contacts.into_iter().map(|c| {
                                                let for_edit = c.clone();
                                                let for_delete = c.clone();
                                                let for_notes = c.clone();
                                                let details = c.values.iter().filter_map(|(id, v)| {
                                                    field_names.iter().find(|f| &f.id == id).map(|f| format!("{}: {v}", f.name))
                                                }).collect::<Vec<_>>().join("; ");
                                                view! {
                                                    <tr>
                                                        <td>{format!("{} {}", c.first_name, c.last_name)}</td>
                                                        <td>{c.email.clone()}</td>
                                                        <td>{c.phone.clone()}</td>
                                                        <td>
                                                            {c.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                                                        </td>
                                                        <td>{details}</td>
                                                        <td class="actions">
                                                            {can_notes.then(|| view! {
                                                                <button type="button" on:click=move |_| notes_of.set(Some((for_notes.clone(), can_add_note, can_edit_note)))>"Notes"</button>
                                                            })}
                                                            {can_edit.then(|| view! {
                                                                <button type="button" on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                                                            })}
                                                            {can_delete.then(|| view! {
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
        {move || notes_of.get().map(|(c, can_create, can_edit)| view! {
            <ContactNotesDialog contact=c can_create can_edit on_close=move |_| notes_of.set(None) />
        })}
        {move || to_delete.get().map(|c| {
            let id = c.id.clone();
            view! {
                <ConfirmDialog
                    title="Delete contact"
                    question=format!("Delete {} {}? This can't be undone.", c.first_name, c.last_name)
                    confirm="Delete"
                    pending=delete.pending()
                    error=Signal::derive(move || delete.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
                    on_confirm=Callback::new(move |_| { delete.dispatch(DeleteContact { id: id.clone() }); })
                    on_cancel=Callback::new(move |_| to_delete.set(None))
                />
            }
        })}
    }
}

/// "CSV file": puts the chosen file's text into the CSV box (the box alone works without
/// JavaScript).
#[component]
fn CsvFilePicker() -> impl IntoView {
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            leptos::task::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    if let (Some(text), Some(area)) = (
                        text.as_string(),
                        document()
                            .get_element_by_id("field-csv")
                            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()),
                    ) {
                        area.set_value(&text);
                    }
                }
            });
        }
    };
    view! {
        <div class="field">
            <label for="field-csv-file">"CSV file"</label>
            <input id="field-csv-file" type="file" accept=".csv,text/csv" on:change=on_change />
        </div>
    }
}
