//! Administration → User management → Account managers: the agencies that manage this account.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;
use crate::ui::list_query::{ListQuery, Pager};

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::grants::api::{
    list_account_managers, ChangeAccountManager, DeleteAccountManager, EditAccountManager,
    InviteAccountManager,
};
use crate::grants::model::{AccountManagerRow, AddedUsers, OwnerAction};
use crate::grants::state::GrantState;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::copy_link::CopyLink;
use crate::ui::field::{form_error, Field, FormMessage};

/// The row actions that ask first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Confirmable {
    Revoke,
    Delete,
}

/// A row action waiting for its confirmation.
#[derive(Clone)]
struct Pending {
    row: AccountManagerRow,
    action: Confirmable,
}

#[component]
pub fn AccountManagersPage() -> impl IntoView {
    let invite = ServerAction::<InviteAccountManager>::new();
    let change = ServerAction::<ChangeAccountManager>::new();
    let delete = ServerAction::<DeleteAccountManager>::new();
    let edit = ServerAction::<EditAccountManager>::new();
    // Search, sort and page, as Managed accounts does; newest first to start with.
    let query = ListQuery::new("created_at", true);
    let data = Resource::new(
        move || {
            (
                invite.version().get(),
                change.version().get(),
                delete.version().get(),
                edit.version().get(),
                use_live(Topic::Grants),
                query.get(),
            )
        },
        |(_, _, _, _, _, (search, sort, descending, page))| {
            list_account_managers(search, sort, descending, page)
        },
    );
    let show_form = RwSignal::new(false);
    // The roles an invitation may carry; changes only when the roles do, so the open form's
    // choice stays.
    let roles = Memo::new(move |_| {
        data.get()
            .and_then(|r| r.ok())
            .map(|d| d.roles)
            .unwrap_or_default()
    });
    let shown: ShownRows<(String, String, bool, i64), AccountManagerRow> = StoredValue::new(None);
    let confirm = RwSignal::new(None::<Pending>);
    // The row whose role and end date are being changed ("Edit").
    let editing = RwSignal::new(None::<AccountManagerRow>);
    let invite_error = form_error(invite.value());
    let edit_error = form_error(edit.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            editing.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = invite.value().get() {
            show_form.set(false);
        }
    });
    Effect::new(move |_| {
        let done =
            matches!(change.value().get(), Some(Ok(()))) || matches!(delete.value().get(), Some(Ok(())));
        if done {
            confirm.set(None);
        }
    });
    let action_error = move || {
        change
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| delete.value().get().and_then(|r| r.err()))
            .map(|e| e.to_string())
    };

    let managing = crate::ui::me::managing();
    view! {
        <Title text="Account managers · Steward" />
        <h1>"Account managers"</h1>
        <p class="muted">"Agencies and experts who can log in to this account, without your password."</p>
        {if managing {
            view! { <p class="muted">"Only the account's own users invite, grant, revoke and delete account managers: you are here as one."</p> }.into_any()
        } else {
            view! { <button type="button" on:click=move |_| show_form.update(|v| *v = !*v)>"New account manager"</button> }.into_any()
        }}
        // Outside the list: the list is read again when anyone changes a grant, and what the
        // owner is typing must stay.
        {move || show_form.get().then(|| {
                                view! {
                                <section class="card" aria-labelledby="invite-title">
                                    <h2 id="invite-title">"New account manager"</h2>
                                    <ActionForm action=invite>
                                        <Field label="Email" name="email" kind="email" required=true error=invite_error />
                                        <div class="field">
                                            <label for="field-role">"Role"</label>
                                            <select id="field-role" name="role">
                                                {move || roles.get().into_iter().map(|r| view! { <option value=r.id>{r.name}</option> }).collect_view()}
                                            </select>
                                            <p class="field-error" role="alert">{move || invite_error.get().and_then(|e| e.for_field("role"))}</p>
                                        </div>
                                        <Field label="Access until (optional)" name="access_until" kind="date" error=invite_error />
                                        <FormMessage error=invite_error />
                                        <button type="submit" disabled=move || invite.pending().get()>"Invite account manager"</button>
                                    </ActionForm>
                                </section>
                                }
                            })}
        <div class="field inline">
            <label for="managers-search">"Search"</label>
            <input id="managers-search" type="search" placeholder="Manager email"
                on:input=move |ev| query.search_for(event_target_value(&ev)) />
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(data) => {
                        let changed = changed_rows(shown, query.shown(data.page), &data.rows, |r| r.id.clone());
                        let (total, current, page_size) = (data.total, data.page, data.page_size);
                        let searching = !query.search.get_untracked().trim().is_empty();
                        view! {
                            {if data.rows.is_empty() && !searching && current == 0 {
                                view! { <p class="empty">"No account managers yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ManagersTable rows=data.rows changed change confirm editing query />
                                    {(total == 0).then(|| view! { <p class="empty">"No account managers match."</p> })}
                                    <Pager query page=current page_size total noun=("account manager", "account managers") />
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <p class="form-error" role="alert">{action_error}</p>
        {move || editing.get().map(|row| {
            let current = row.role_id.clone().unwrap_or_default();
            let until = row.access_until.clone().unwrap_or_default();
            let role_message = move || edit_error.get().and_then(|e| e.for_field("role"));
            let until_message = move || edit_error.get().and_then(|e| e.for_field("access_until"));
            view! {
                <div class="backdrop">
                    <div role="dialog" aria-modal="true" aria-labelledby="edit-title" class="dialog">
                        <h2 id="edit-title">"Edit account manager"</h2>
                        <p>{format!("{} ({}), now {}.", row.manager_email, row.status, row.role_name)}</p>
                        <ActionForm action=edit>
                            <input type="hidden" name="id" value=row.id.clone() />
                            <div class="field">
                                <label for="edit-role">"Role"</label>
                                <select id="edit-role" name="role" aria-describedby="edit-role-error">
                                    {roles.get_untracked().into_iter().map(|r| {
                                        let selected = r.id == current;
                                        view! { <option value=r.id selected=selected>{r.name}</option> }
                                    }).collect_view()}
                                </select>
                                <p class="field-error" id="edit-role-error" role="alert">{role_message}</p>
                            </div>
                            <div class="field">
                                <label for="edit-access-until">"Access until (optional)"</label>
                                <input id="edit-access-until" name="access_until" type="date" value=until
                                    aria-invalid=move || until_message().map(|_| "true")
                                    aria-describedby="edit-access-until-error" />
                                <p class="field-error" id="edit-access-until-error" role="alert">{until_message}</p>
                            </div>
                            <FormMessage error=edit_error />
                            <div class="dialog-actions">
                                <button type="submit" disabled=move || edit.pending().get()>"Save changes"</button>
                                <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                            </div>
                        </ActionForm>
                    </div>
                </div>
            }
        })}
        {move || confirm.get().map(|p| {
            let (title, text, button) = if p.action == Confirmable::Revoke {
                ("Revoke access", format!("{} will no longer be able to log in to this account. You can grant access again later.", p.row.manager_email), "Revoke access")
            } else {
                ("Delete account manager", format!("{} is removed from this list and loses access. A new invitation is needed to add them again.", p.row.manager_email), "Delete")
            };
            let id = p.row.id.clone();
            let action = p.action;
            let added = p.row.added_users;
            let remove_added = RwSignal::new(false);
            let agency = p.row.managing_account.clone().unwrap_or_else(|| p.row.manager_email.clone());
            view! {
                <ConfirmDialog
                    title
                    question=text
                    confirm=button
                    pending=Signal::derive(move || change.pending().get() || delete.pending().get())
                    error=Signal::derive(action_error)
                    on_confirm=Callback::new(move |_| {
                        let added_users = if remove_added.get_untracked() { AddedUsers::Remove } else { AddedUsers::Keep };
                        if action == Confirmable::Revoke {
                            change.dispatch(ChangeAccountManager { id: id.clone(), action: OwnerAction::Revoke, added_users });
                        } else {
                            delete.dispatch(DeleteAccountManager { id: id.clone(), added_users });
                        }
                    })
                    on_cancel=Callback::new(move |_| confirm.set(None))
                >
                    {(added > 0).then(|| view! {
                        <fieldset class="choice">
                            <legend>{format!("{agency} added {added} user{} to this account. What happens to them?", if added == 1 { "" } else { "s" })}</legend>
                            <label><input type="radio" name="added-users" value="keep" checked=true on:change=move |_| remove_added.set(false) />" Keep them"</label>
                            <label><input type="radio" name="added-users" value="remove" on:change=move |_| remove_added.set(true) />{format!(" Remove {} too", if added == 1 { "them" } else { "all of them" })}</label>
                        </fieldset>
                    })}
                </ConfirmDialog>
            }
        })}
    }
}

#[component]
fn ManagersTable(
    rows: Vec<AccountManagerRow>,
    changed: Vec<String>,
    change: ServerAction<ChangeAccountManager>,
    confirm: RwSignal<Option<Pending>>,
    editing: RwSignal<Option<AccountManagerRow>>,
    query: ListQuery,
) -> impl IntoView {
    let managing = crate::ui::me::managing();
    view! {
        <table aria-label="Account managers">
            <thead>
                <tr>
                    {query.header("Email", "email")}
                    <th scope="col">"Managing account"</th>
                    {query.header("Role", "role")}
                    {query.header("Status", "status")}
                    <th scope="col">"Invitation link"</th>
                    <th scope="col">"Access until"</th>
                    {query.header("Invited", "created_at")}
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let status = row.status.clone();
                    let state = row.state;
                    let id = row.id.clone();
                    let for_revoke = row.clone();
                    let for_delete = row.clone();
                    let for_edit = row.clone();
                    let resend_id = id.clone();
                    let grant_id = id.clone();
                    view! {
                        <tr class=row_class(&changed, &row.id)>
                            <td class="email">{row.manager_email.clone()}</td>
                            <td>{row.managing_account.clone().unwrap_or_default()}</td>
                            <td>{row.role_name.clone()}</td>
                            <td><span class=format!("status status-{}", status.to_lowercase())>{status.clone()}</span></td>
                            <td>{row.invitation_link.clone().map(|l| view! {
                                <CopyLink link=l label=format!("Invitation link for {}", row.manager_email) />
                            })}</td>
                            <td>{row.access_until_shown.clone().unwrap_or_default()}</td>
                            <td>{row.created_at.clone()}</td>
                            <td class="actions">
                                {(!managing).then(|| view! {
                                {matches!(state, GrantState::Active | GrantState::Pending).then(|| view! {
                                    <button type="button" on:click=move |_| editing.set(Some(for_edit.clone()))>"Edit"</button>
                                })}
                                {(state == GrantState::Active).then(|| view! {
                                    <button type="button" on:click=move |_| confirm.set(Some(Pending { row: for_revoke.clone(), action: Confirmable::Revoke }))>"Revoke access"</button>
                                })}
                                {(state == GrantState::Revoked).then(|| view! {
                                    <button type="button" on:click=move |_| { change.dispatch(ChangeAccountManager { id: grant_id.clone(), action: OwnerAction::GrantAgain, added_users: AddedUsers::Keep }); }>"Grant access"</button>
                                })}
                                {(row.requested_by_agency && state == GrantState::Pending).then(|| {
                                    let (approve_id, deny_id) = (id.clone(), id.clone());
                                    view! {
                                        <button type="button" on:click=move |_| { change.dispatch(ChangeAccountManager { id: approve_id.clone(), action: OwnerAction::Approve, added_users: AddedUsers::Keep }); }>"Grant access"</button>
                                        <button type="button" on:click=move |_| { change.dispatch(ChangeAccountManager { id: deny_id.clone(), action: OwnerAction::Deny, added_users: AddedUsers::Keep }); }>"Deny"</button>
                                    }
                                })}
                                {(!row.requested_by_agency && matches!(state, GrantState::Pending | GrantState::Expired)).then(|| view! {
                                    <button type="button" on:click=move |_| { change.dispatch(ChangeAccountManager { id: resend_id.clone(), action: OwnerAction::Resend, added_users: AddedUsers::Keep }); }>"Resend"</button>
                                })}
                                <button type="button" class="danger" on:click=move |_| confirm.set(Some(Pending { row: for_delete.clone(), action: Confirmable::Delete }))>"Delete"</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
