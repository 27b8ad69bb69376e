//! Account templates: the agency's sandboxes, its templates ("My templates") and the built-in ones.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::templates::api::{
    list_templates, ConvertToTemplate, DeleteTemplate, RefreshTemplate, RenameTemplate,
};
use crate::templates::model::{SandboxView, TemplateView};
use crate::ui::confirm::ConfirmDialog;
use crate::ui::field::{form_error, Field, FormMessage};

#[derive(Clone)]
enum Dialog {
    Convert(SandboxView),
    Rename(TemplateView),
    Delete(TemplateView),
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let convert = ServerAction::<ConvertToTemplate>::new();
    let rename = ServerAction::<RenameTemplate>::new();
    let refresh = ServerAction::<RefreshTemplate>::new();
    let delete = ServerAction::<DeleteTemplate>::new();
    let page = Resource::new(
        move || {
            (
                convert.version().get(),
                rename.version().get(),
                refresh.version().get(),
                delete.version().get(),
                use_live(Topic::Templates),
            )
        },
        |_| list_templates(),
    );
    let dialog = RwSignal::new(None::<Dialog>);
    let shown: ShownRows<(), TemplateView> = StoredValue::new(None);
    let convert_error = form_error(convert.value());
    let rename_error = form_error(rename.value());
    Effect::new(move |_| {
        let done = matches!(convert.value().get(), Some(Ok(())))
            || matches!(rename.value().get(), Some(Ok(())))
            || matches!(delete.value().get(), Some(Ok(())));
        if done {
            dialog.set(None);
        }
    });
    let refresh_error = move || refresh.value().get().and_then(|r| r.err()).map(|e| e.to_string());

    let counts = |t: &TemplateView| {
        format!(
            "{} fields, {} tags, {} messages, {} contacts",
            t.fields, t.tags, t.messages, t.contacts
        )
    };

    view! {
        <Title text="Account templates · Steward" />
        <h1>"Account templates"</h1>
        <p class="muted">
            "Create a sandbox account from Managed accounts (New account, Sandbox), log in to it and set it up, then convert it here. New client accounts can start from any template below."
        </p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(p) => {
                        let can_add = p.can_add;
                        let can_update = p.can_update;
                        let changed = changed_rows(shown, (), &p.mine, |t| t.id.clone());
                        view! {
                            <section aria-labelledby="sandboxes-title">
                                <h2 id="sandboxes-title">"Sandboxes"</h2>
                                {if p.sandboxes.is_empty() {
                                    view! { <p class="empty">"No sandbox accounts yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <table aria-label="Sandboxes">
                                            <thead><tr><th scope="col">"Sandbox"</th><th scope="col">"Templates made"</th><th scope="col">"Actions"</th></tr></thead>
                                            <tbody>
                                                {p.sandboxes.into_iter().map(|s| {
                                                    let for_dialog = s.clone();
                                                    view! {
                                                        <tr>
                                                            <td>{s.name.clone()}</td>
                                                            <td>{s.templates}</td>
                                                            <td class="actions">
                                                                {can_add.then(|| view! {
                                                                    <button type="button" on:click=move |_| dialog.set(Some(Dialog::Convert(for_dialog.clone())))>
                                                                        "Convert to template"
                                                                    </button>
                                                                })}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="mine-title">
                                <h2 id="mine-title">"My templates"</h2>
                                <p class="form-error" role="alert">{refresh_error}</p>
                                {if p.mine.is_empty() {
                                    view! { <p class="empty">"No templates of your own yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <table aria-label="My templates">
                                            <thead><tr>
                                                <th scope="col">"Name"</th><th scope="col">"Description"</th><th scope="col">"Sandbox"</th>
                                                <th scope="col">"Contents"</th><th scope="col">"Updated"</th><th scope="col">"Actions"</th>
                                            </tr></thead>
                                            <tbody>
                                                {p.mine.into_iter().map(|t| {
                                                    let (for_rename, for_delete, id) = (t.clone(), t.clone(), t.id.clone());
                                                    view! {
                                                        <tr class=row_class(&changed, &t.id)>
                                                            <td>{t.name.clone()}</td>
                                                            <td>{t.description.clone()}</td>
                                                            <td>{t.source_name.clone().unwrap_or_else(|| "—".into())}</td>
                                                            <td>{counts(&t)}</td>
                                                            <td>{t.updated_at.clone()}</td>
                                                            <td class="actions">
                                                                {can_add.then(|| view! {
                                                                    <button type="button" disabled=move || refresh.pending().get()
                                                                        on:click=move |_| { refresh.dispatch(RefreshTemplate { id: id.clone() }); }>
                                                                        "Refresh from sandbox"
                                                                    </button>
                                                                })}
                                                                {can_update.then(|| view! {
                                                                    <button type="button" on:click=move |_| dialog.set(Some(Dialog::Rename(for_rename.clone())))>"Rename"</button>
                                                                    <button type="button" class="danger" on:click=move |_| dialog.set(Some(Dialog::Delete(for_delete.clone())))>"Delete"</button>
                                                                })}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                {move || refresh.pending().get().then(|| view! {
                                    <div role="status" class="progress"><progress aria-label="Refreshing the template"></progress><p class="loading">"Copying the sandbox into the template…"</p></div>
                                })}
                            </section>
                            <section aria-labelledby="built-in-title">
                                <h2 id="built-in-title">"Built-in templates"</h2>
                                <ul class="plain">
                                    {p.built_in.into_iter().map(|t| view! {
                                        <li><strong>{t.name.clone()}</strong>" — "{t.description.clone()}" ("{counts(&t)}")"</li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || match dialog.get() {
            Some(Dialog::Convert(s)) => view! {
                <div class="backdrop">
                    <div role="dialog" aria-modal="true" aria-labelledby="convert-title" class="dialog">
                        <h2 id="convert-title">"Convert to template"</h2>
                        <p>{format!("The data of {} is copied into a new template; the sandbox stays as it is.", s.name)}</p>
                        <ActionForm action=convert>
                            <input type="hidden" name="sandbox" value=s.id.clone() />
                            <Field label="Name" name="name" value=s.name.clone() required=true error=convert_error />
                            <Field label="Description" name="description" error=convert_error />
                            <FormMessage error=convert_error />
                            <div class="dialog-actions">
                                <button type="submit" disabled=move || convert.pending().get()>"Convert to template"</button>
                                <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                            </div>
                            {move || convert.pending().get().then(|| view! {
                                <div role="status" class="progress"><progress aria-label="Converting"></progress><p class="loading">"Copying the sandbox…"</p></div>
                            })}
                        </ActionForm>
                    </div>
                </div>
            }.into_any(),
            Some(Dialog::Rename(t)) => view! {
                <div class="backdrop">
                    <div role="dialog" aria-modal="true" aria-labelledby="rename-title" class="dialog">
                        <h2 id="rename-title">"Rename template"</h2>
                        <ActionForm action=rename>
                            <input type="hidden" name="id" value=t.id.clone() />
                            <Field label="Name" name="name" value=t.name.clone() required=true error=rename_error />
                            <Field label="Description" name="description" value=t.description.clone() error=rename_error />
                            <FormMessage error=rename_error />
                            <div class="dialog-actions">
                                <button type="submit" disabled=move || rename.pending().get()>"Save"</button>
                                <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                            </div>
                        </ActionForm>
                    </div>
                </div>
            }.into_any(),
            Some(Dialog::Delete(t)) => {
                let id = t.id.clone();
                view! {
                    <ConfirmDialog
                        title="Delete template"
                        question=format!("Delete the template {}? Accounts made from it keep their data.", t.name)
                        confirm="Delete"
                        pending=delete.pending()
                        error=Signal::derive(move || delete.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
                        on_confirm=Callback::new(move |_| { delete.dispatch(DeleteTemplate { id: id.clone() }); })
                        on_cancel=Callback::new(move |_| dialog.set(None))
                    />
                }.into_any()
            }
            None => ().into_any(),
        }}
    }
}
