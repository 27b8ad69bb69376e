//! Administration → User management → Users: add, edit, force logout, delete, in bulk too.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::roles::model::RoleOption;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::field::{form_error, Field, FormMessage};
use crate::ui::list_query::{ListQuery, Pager};
use crate::users::api::{list_users, MakePrimaryAdmin, SaveUser, UsersAction};
use crate::users::model::UserAction;
use crate::users::model::{BulkOutcome, UserView};

/// An action waiting for its confirmation: which users, what, and the question to ask.
#[derive(Clone)]
struct Confirm {
    ids: Vec<String>,
    action: UserAction,
    question: String,
}

fn outcome_text(outcome: &BulkOutcome, action: UserAction) -> String {
    let verb = if action == UserAction::Delete {
        "deleted"
    } else {
        "logged out"
    };
    let mut text = format!(
        "{} user{} {verb}.",
        outcome.succeeded,
        if outcome.succeeded == 1 { "" } else { "s" }
    );
    for (who, why) in &outcome.failed {
        text.push_str(&format!(" Not {verb}: {who} ({why})"));
    }
    text
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let save = ServerAction::<SaveUser>::new();
    let bulk = ServerAction::<UsersAction>::new();
    let make_primary = ServerAction::<MakePrimaryAdmin>::new();
    // Search, sort and page, as Managed accounts does.
    let query = ListQuery::new("name", false);
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                bulk.version().get(),
                make_primary.version().get(),
                use_live(Topic::Users),
                query.get(),
            )
        },
        |(_, _, _, _, (search, sort, descending, page))| list_users(search, sort, descending, page),
    );
    // The roles a user may get; changes only when the roles do, so an open form's choice stays.
    let form_roles = Memo::new(move |_| {
        data.get()
            .and_then(|r| r.ok())
            .map(|d| d.roles)
            .unwrap_or_default()
    });
    let shown: ShownRows<(String, String, bool, i64), UserView> = StoredValue::new(None);
    // `Some(None)`: adding a user; `Some(Some(u))`: editing `u`.
    let editing = RwSignal::new(None::<Option<UserView>>);
    let checked = RwSignal::new(Vec::<String>::new());
    let confirm = RwSignal::new(None::<Confirm>);
    let save_error = form_error(save.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            editing.set(None);
        }
    });
    Effect::new(move |_| {
        if bulk.value().get().is_some() {
            confirm.set(None);
            checked.set(Vec::new());
        }
    });
    // The checks are the shown page's: another page starts with none.
    Effect::new(move |_| {
        query.page.track();
        checked.set(Vec::new());
    });
    let last_action = RwSignal::new(UserAction::ForceLogout);
    let result = move || {
        bulk.value().get().map(|r| match r {
            Ok(outcome) => outcome_text(&outcome, last_action.get()),
            Err(e) => e.to_string(),
        })
    };
    let ask = move |ids: Vec<String>, action: UserAction, question: String| {
        confirm.set(Some(Confirm {
            ids,
            action,
            question,
        }));
    };

    view! {
        <Title text="Users · Steward" />
        <h1>"Users"</h1>
        <p role="status" class="result">{result}</p>
        <p class="form-error" role="alert">{move || make_primary.value().get().and_then(|r| r.err()).map(|e| e.to_string())}</p>
        // Outside the list: the list is read again when anyone changes a user, and what is typed
        // here must stay.
        {move || editing.get().map(|user| view! { <UserForm user roles=form_roles.get() save error=save_error editing /> })}
        <div class="field inline">
            <label for="users-search">"Search"</label>
            <input id="users-search" type="search" placeholder="Name or email"
                on:input=move |ev| { query.search_for(event_target_value(&ev)); checked.set(Vec::new()); } />
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(data) => {
                        let (total, current, page_size) = (data.total, data.page, data.page_size);
                        let changed = changed_rows(shown, query.shown(data.page), &data.users, |u| u.id.clone());
                        let all_ids: Vec<String> = data.users.iter().filter(|u| !u.is_primary_admin).map(|u| u.id.clone()).collect();
                        let you_primary = data.you_are_primary_admin;
                        let admin_role = data.roles.first().map(|r| r.id.clone()).unwrap_or_default();
                        let may_add_users = data.may_add_users;
                        view! {
                            <div class="toolbar">
                                {may_add_users.then(|| view! {
                                    <button type="button" on:click=move |_| editing.set(Some(None))>"Add new user"</button>
                                })}
                                <button type="button" class="danger" disabled=move || checked.get().is_empty()
                                    on:click=move |_| {
                                        let ids = checked.get();
                                        let q = format!("Delete {} checked user{}? This can't be undone.", ids.len(), if ids.len() == 1 { "" } else { "s" });
                                        ask(ids, UserAction::Delete, q);
                                    }>"Delete"</button>
                                <button type="button" disabled=move || checked.get().is_empty()
                                    on:click=move |_| {
                                        let ids = checked.get();
                                        let q = format!("End every session of {} checked user{}?", ids.len(), if ids.len() == 1 { "" } else { "s" });
                                        ask(ids, UserAction::ForceLogout, q);
                                    }>"Force logout"</button>
                            </div>
                            <table aria-label="Users">
                                <thead>
                                    <tr>
                                        <th scope="col">
                                            <input type="checkbox" aria-label="Check all users"
                                                prop:checked=move || { let c = checked.get(); !all_ids.is_empty() && all_ids.iter().all(|id| c.contains(id)) }
                                                on:change={
                                                    let all_ids = data.users.iter().filter(|u| !u.is_primary_admin).map(|u| u.id.clone()).collect::<Vec<_>>();
                                                    move |ev| {
                                                        if event_target_checked(&ev) { checked.set(all_ids.clone()) } else { checked.set(Vec::new()) }
                                                    }
                                                } />
                                        </th>
                                        {query.header("Name", "name")}
                                        {query.header("Email", "email")}
                                        {query.header("Role", "role")}
                                        {query.header("Last active", "last_active")}
                                        <th scope="col">"Sessions"</th>
                                        <th scope="col">"Actions"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {data.users.into_iter().map(|u| {
                                        let id = u.id.clone();
                                        let id_check = id.clone();
                                        let id_change = id.clone();
                                        let name = format!("{} {}", u.first_name, u.last_name);
                                        let protected = u.is_primary_admin && !u.is_you;
                                        let for_edit = u.clone();
                                        let (id_logout, id_delete, id_primary) = (id.clone(), id.clone(), id.clone());
                                        let (email_logout, email_delete) = (u.email.clone(), u.email.clone());
                                        let can_make_primary = you_primary && !u.is_primary_admin && u.role_id == admin_role;
                                        view! {
                                            <tr class=row_class(&changed, &u.id)>
                                                <td>
                                                    {(!u.is_primary_admin).then(|| view! {
                                                        <input type="checkbox" aria-label=format!("Check {}", u.email)
                                                            prop:checked=move || checked.get().contains(&id_check)
                                                            on:change=move |ev| {
                                                                let on = event_target_checked(&ev);
                                                                checked.update(|c| { c.retain(|x| x != &id_change); if on { c.push(id_change.clone()); } });
                                                            } />
                                                    })}
                                                </td>
                                                <td>{name}{u.is_primary_admin.then(|| view! { <span class="tag">"Primary admin"</span> })}{u.is_you.then_some(" (you)")}
                                                    {u.added_by.clone().map(|by| view! { <br /><span class="muted added-by">"Added by " {by}</span> })}</td>
                                                <td class="email">{u.email.clone()}</td>
                                                <td>{u.role_name.clone()}</td>
                                                <td>{u.last_active.clone().unwrap_or_else(|| "Never".into())}</td>
                                                <td>{u.sessions}</td>
                                                <td class="actions">
                                                    {(!protected).then(|| view! {
                                                        <button type="button" on:click=move |_| editing.set(Some(Some(for_edit.clone())))>"Edit"</button>
                                                        <button type="button" on:click=move |_| ask(vec![id_logout.clone()], UserAction::ForceLogout, format!("End every session of {email_logout}?"))>"Force logout"</button>
                                                    })}
                                                    {(!u.is_primary_admin && !u.is_you).then(|| view! {
                                                        <button type="button" class="danger" on:click=move |_| ask(vec![id_delete.clone()], UserAction::Delete, format!("Delete {email_delete}? This can't be undone."))>"Delete"</button>
                                                    })}
                                                    {can_make_primary.then(|| view! {
                                                        <button type="button" on:click=move |_| { make_primary.dispatch(MakePrimaryAdmin { id: id_primary.clone() }); }>"Make primary admin"</button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(total == 0).then(|| view! { <p class="empty">"No users to show."</p> })}
                            <Pager query page=current page_size total noun=("user", "users") />
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || confirm.get().map(|c| {
            let title = if c.action == UserAction::Delete { "Delete users" } else { "Force logout" };
            let button = if c.action == UserAction::Delete { "Delete" } else { "Force logout" };
            let ids = c.ids.clone();
            let action = c.action;
            view! {
                <ConfirmDialog
                    title
                    question=c.question.clone()
                    confirm=button
                    pending=bulk.pending()
                    error=Signal::derive(move || bulk.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
                    on_confirm=Callback::new(move |_| {
                        last_action.set(action);
                        bulk.dispatch(UsersAction { ids: ids.clone(), action });
                    })
                    on_cancel=Callback::new(move |_| confirm.set(None))
                />
            }
        })}
    }
}

#[component]
fn UserForm(
    user: Option<UserView>,
    roles: Vec<RoleOption>,
    save: ServerAction<SaveUser>,
    error: crate::ui::field::FormError,
    editing: RwSignal<Option<Option<UserView>>>,
) -> impl IntoView {
    let title = if user.is_some() {
        "Edit user"
    } else {
        "Add new user"
    };
    let u = user.unwrap_or(UserView {
        id: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        email: String::new(),
        role_id: String::new(),
        role_name: String::new(),
        last_active: None,
        sessions: 0,
        is_primary_admin: false,
        is_you: false,
        added_by: None,
        credentials_editable: true,
    });
    let password_label = if u.id.is_empty() {
        "Password"
    } else {
        "Password (leave empty to keep it)"
    };
    let selected = u.role_id.clone();
    view! {
        <div class="backdrop">
            <div role="dialog" aria-modal="true" aria-labelledby="user-form-title" class="dialog wide-dialog">
                <h2 id="user-form-title">{title}</h2>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=u.id.clone() />
                    <Field label="First name" name="first_name" value=u.first_name.clone() required=true error />
                    <Field label="Last name" name="last_name" value=u.last_name.clone() required=true error />
                    {if !u.credentials_editable {
                        // A manager could otherwise take the user over, and keep them after the grant.
                        view! {
                            <input type="hidden" name="email" value=u.email.clone() />
                            <p class="muted">"Email: " {u.email.clone()} ". Account managers can't change a user's email or password."</p>
                        }.into_any()
                    } else {
                        view! {
                            <Field label="Email" name="email" kind="email" value=u.email.clone() required=true error />
                            <Field label=password_label name="password" kind="password" autocomplete="new-password" error />
                        }.into_any()
                    }}
                    <div class="field">
                        <label for="field-role">"Role"</label>
                        <select id="field-role" name="role">
                            {roles.into_iter().map(|r| {
                                let is_selected = r.id == selected;
                                view! { <option value=r.id.clone() selected=is_selected>{r.name}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{move || error.get().and_then(|e| e.for_field("role"))}</p>
                    </div>
                    <FormMessage error />
                    <div class="dialog-actions">
                        <button type="submit" disabled=move || save.pending().get()>"Save"</button>
                        <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                    </div>
                </ActionForm>
            </div>
        </div>
    }
}
