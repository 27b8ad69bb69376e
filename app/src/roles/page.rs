//! Team roles and permission management: the account's roles, a role's permissions by area,
//! copies of roles into editable custom roles.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;
use leptos_meta::Title;

use crate::core::domain::permissions::{item_label, CATALOGUE};
use crate::core::domain::PermissionSet;
use crate::roles::api::{list_roles, CopyRole, DeleteRole, SaveRole};
use crate::roles::model::RoleView;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::denied::ErrorView;
use crate::ui::field::{form_error, successes, FormMessage};

#[component]
pub fn RolesPage() -> impl IntoView {
    let copy = ServerAction::<CopyRole>::new();
    let save = ServerAction::<SaveRole>::new();
    let saved = successes(save.value());
    let delete = ServerAction::<DeleteRole>::new();
    let roles = Resource::new(
        move || {
            (
                copy.version().get(),
                saved.get(),
                delete.version().get(),
                use_live(Topic::Roles),
            )
        },
        |_| list_roles(),
    );
    // The role open in the editor: `?role=<id>`, so a plain link opens it before the
    // WebAssembly loads.
    let query = leptos_router::hooks::use_query_map();
    let navigate = leptos_router::hooks::use_navigate();
    let open = Memo::new(move |_| query.read().get("role"));
    // The role in the editor is read apart from the live list: a change anyone makes to roles
    // reads the list again, and must not reset boxes the viewer has not saved yet.
    let editing = Resource::new(
        move || (open.get(), saved.get(), delete.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => list_roles()
                    .await
                    .map(|list| list.into_iter().find(|r| r.id == id)),
                None => Ok(None),
            }
        },
    );
    let shown: ShownRows<(), RoleView> = StoredValue::new(None);
    let to_delete = RwSignal::new(None::<RoleView>);
    let error = form_error(save.value());
    let go = navigate.clone();
    Effect::new(move |_| {
        if let Some(Ok(id)) = copy.value().get() {
            go(&format!("/roles?role={id}"), Default::default());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            to_delete.set(None);
            navigate("/roles", Default::default());
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(()))).then_some("Role saved.");

    let editor = move |role: RoleView| {
        let held = PermissionSet::from_keys(&role.permissions);
        let editable = !role.is_default;
        let areas = CATALOGUE
            .iter()
            .map(|area| {
                let status = if held.allows(crate::core::domain::Permission(area.key)) {
                    "Full"
                } else if held.touches_area(area.key) {
                    "Limited"
                } else {
                    "None"
                };
                let boxes = if area.items.is_empty() {
                    view! {
                        <label>
                            <input type="checkbox" name=format!("perms[{}]", area.key)
                                checked=held.allows(crate::core::domain::Permission(area.key)) disabled=!editable />
                            " " {area.label}
                        </label>
                    }
                    .into_any()
                } else {
                    area.items
                        .iter()
                        .map(|item| {
                            let key = format!("{}.{}", area.key, item);
                            let checked = held.keys().any(|k| k == key || k == area.key);
                            view! {
                                <label>
                                    <input type="checkbox" name=format!("perms[{key}]") checked=checked disabled=!editable />
                                    " " {item_label(area.key, item)}
                                </label>
                            }
                        })
                        .collect_view()
                        .into_any()
                };
                view! {
                    <fieldset class="permission-area">
                        <legend>{area.label} " " <span class="badge">{status}</span></legend>
                        <div class="checks">{boxes}</div>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="role-title">
                <h2 id="role-title">{format!("Role: {}", role.name)}</h2>
                {(!editable).then(|| view! {
                    <p class="muted">"Default roles can't be changed or deleted. Copy it to make a role you can edit."</p>
                })}
                <ActionForm action=save>
                    <input type="hidden" name="id" value=role.id.clone() />
                    <div class="field">
                        <label for="field-role-name">"Role name"</label>
                        <input id="field-role-name" name="name" value=role.name.clone() disabled=!editable required=true />
                        <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field("name"))}</p>
                    </div>
                    {areas}
                    <FormMessage error />
                    <p role="status">{saved}</p>
                    {editable.then(|| view! {
                        <button type="submit" disabled=move || save.pending().get()>"Save role"</button>
                    })}
                </ActionForm>
            </section>
        }
    };

    view! {
        <Title text="Team roles and permission management · Steward" />
        <h1>"Team roles and permission management"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match roles.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(list) => {
                        let changed = changed_rows(shown, (), &list, |r| r.id.clone());
                        view! {
                            <p class="form-error" role="alert">
                                {move || copy.value().get().and_then(|r| r.err()).map(|e| e.to_string())}
                            </p>
                            <table aria-label="Roles">
                                <thead><tr>
                                    <th scope="col">"Role"</th><th scope="col">"Type"</th><th scope="col">"Users"</th>
                                    <th scope="col">"Account managers"</th><th scope="col">"Actions"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|r| {
                                        let (open_id, copy_id, for_delete) = (r.id.clone(), r.id.clone(), r.clone());
                                        let is_open = open.get().as_deref() == Some(r.id.as_str());
                                        view! {
                                            <tr class=row_class(&changed, &r.id)>
                                                <td>{r.name.clone()}</td>
                                                <td>{if r.is_default { "Default" } else { "Custom" }}</td>
                                                <td>{r.users}</td>
                                                <td>{r.grants}</td>
                                                <td class="actions">
                                                    <a class="button" href=format!("/roles?role={open_id}")
                                                        aria-current=is_open.then_some("true")>
                                                        {if r.is_default { "View" } else { "Edit" }}
                                                    </a>
                                                    <ActionForm action=copy attr:class="inline">
                                                        <input type="hidden" name="id" value=copy_id />
                                                        <button type="submit">"Copy"</button>
                                                    </ActionForm>
                                                    {(!r.is_default).then(|| view! {
                                                        <button type="button" class="danger" on:click=move |_| to_delete.set(Some(for_delete.clone()))>"Delete"</button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { editing.await.ok().flatten().map(editor) })}
        </Transition>
        {move || to_delete.get().map(|r| {
            let id = r.id.clone();
            view! {
                <ConfirmDialog
                    title="Delete role"
                    question=format!("Delete the role {}?", r.name)
                    confirm="Delete"
                    pending=delete.pending()
                    error=Signal::derive(move || delete.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
                    on_confirm=Callback::new(move |_| { delete.dispatch(DeleteRole { id: id.clone() }); })
                    on_cancel=Callback::new(move |_| to_delete.set(None))
                />
            }
        })}
    }
}
