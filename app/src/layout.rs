//! The frame of every signed-in page: navigation, the managing bar with Back to my account, Log
//! out, and the page itself. It builds on identity and managed accounts, so it sits above them.
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

use crate::core::domain::PermissionSet;
use crate::core::model::Me;
use crate::identity::api::{current_user, LogOut};
use crate::managed_accounts::api::{switch_targets, BackToMyAccount, SwitchManagedAccount};
use crate::ui::navigate::reload_to;

#[component]
pub fn SignedInLayout() -> impl IntoView {
    // Asked again at every navigation: a session ended elsewhere (force logout, revoked access)
    // sends this browser to the log in page at its next click.
    let location = leptos_router::hooks::use_location();
    let me = Resource::new_blocking(move || location.pathname.get(), |_| current_user());
    // What others change reaches the page's tables, and an ended session this page, at once.
    crate::live::client::provide_live();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => {
                        provide_context(me.clone());
                        view! { <Frame me /> }.into_any()
                    }
                    Ok(None) | Err(crate::core::error::AppError::Unauthenticated) => {
                        view! { <Redirect path="/login" /> }.into_any()
                    }
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(me: Me) -> impl IntoView {
    let permissions = PermissionSet::from_keys(&me.permissions);
    // A role with any contacts item opens the page (a Designer sees an empty list).
    let shows_contacts = permissions.touches_area("contacts");
    let dev_mode = me.dev_mode;
    let manages_users = permissions.allows(crate::core::domain::Permission::MANAGE_USERS);
    let reads_audit = permissions.allows(crate::core::domain::Permission::ADMINISTRATOR_TOOLS);
    let manages_roles = permissions.allows(crate::core::domain::Permission::MANAGE_ROLES);
    let edits_business = permissions.allows(crate::core::domain::Permission::BUSINESS_INFORMATION);
    let edits_locale = permissions.allows(crate::core::domain::Permission::LOCALIZATION);
    let manages_api_keys = permissions.allows(crate::core::domain::Permission::API_MANAGER);
    let shows_managed =
        permissions.allows(crate::core::domain::Permission::MANAGED_ACCOUNTS_VIEW) && me.managing.is_none();
    let shows_messages = permissions.allows(crate::core::domain::Permission::USE_MESSAGES)
        || permissions.allows(crate::core::domain::Permission::CREATE_COPY_MESSAGES);
    let back = ServerAction::<BackToMyAccount>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = back.value().get() {
            reload_to("/managed-accounts");
        }
    });
    // "Switch": straight into another client account; refused, the session is at home.
    let switch = ServerAction::<SwitchManagedAccount>::new();
    Effect::new(move |_| match switch.value().get() {
        Some(Ok(())) => reload_to("/"),
        Some(Err(_)) => reload_to("/managed-accounts"),
        None => {}
    });
    let managing = me.managing.is_some();
    let targets = Resource::new(
        || (),
        move |_| async move {
            if managing {
                switch_targets().await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    // The server function's redirect takes the browser to the log in page; a second navigation
    // of our own would race with it.
    let log_out = ServerAction::<LogOut>::new();
    // The menu closes when one of its links is followed: the page behind it changes, not the frame.
    let menu = NodeRef::<leptos::html::Details>::new();
    let close_menu = move |_| {
        if let Some(details) = menu.get() {
            details.set_open(false);
        }
    };
    let full_name = format!("{} {}", me.first_name, me.last_name);
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Steward"</a>
            <span class="account-name">{me.account_name.clone()}</span>
            <details class="profile-menu" node_ref=menu>
                <summary>{full_name}</summary>
                <div class="menu">
                    <p class="muted">{me.email.clone()} " · " {me.role_name.clone()}</p>
                    <p><a href="/sessions" on:click=close_menu>"Your sessions"</a></p>
                    {me.managing.is_none().then(|| view! { <p><a href="/two-factor" on:click=close_menu>"Two-factor authentication"</a></p> })}
                    {me.managing.is_some().then(|| view! {
                        <ActionForm action=back>
                            <button type="submit" on:click=|_| crate::live::client::leaving()>"Back to my account"</button>
                        </ActionForm>
                    })}
                    <ActionForm action=log_out>
                        <button type="submit" on:click=|_| crate::live::client::leaving()>"Log out"</button>
                    </ActionForm>
                </div>
            </details>
        </header>
        {me.managing.clone().map(|m| view! {
            <div class="managing-bar" role="region" aria-label="Managed account">
                <span>
                    "You are in " <strong>{m.client_account}</strong> " as " <strong>{format!("{} {}", me.first_name, me.last_name)}</strong>
                    " of " <strong>{m.agency}</strong> ", with the role " <strong>{m.role_name}</strong> "."
                </span>
                <ActionForm action=back>
                    <button type="submit" on:click=|_| crate::live::client::leaving()>"Back to my account"</button>
                </ActionForm>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = targets.await;
                        (!list.is_empty()).then(|| view! {
                            <ActionForm action=switch attr:class="switch">
                                <label for="switch-to">"Switch to"</label>
                                <select id="switch-to" name="id">
                                    {list.into_iter().map(|t| view! { <option value=t.id>{t.name}</option> }).collect_view()}
                                </select>
                                <button type="submit" on:click=|_| crate::live::client::leaving()>"Switch"</button>
                            </ActionForm>
                        })
                    })}
                </Transition>
            </div>
        })}
        {me.notice.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <div class="frame">
            <nav aria-label="Main">
                <ul>
                    <li>
                        <A href="/">"Dashboard"</A>
                    </li>
                    <Show when=move || shows_managed>
                        <li>
                            <A href="/managed-accounts">"Managed accounts"</A>
                        </li>
                    </Show>
                    <Show when=move || shows_contacts>
                        <li>
                            <A href="/contacts">"Contacts"</A>
                        </li>
                    </Show>
                    <Show when=move || shows_messages>
                        <li>
                            <A href="/messages">"Messages"</A>
                        </li>
                    </Show>
                </ul>
                <Show when=move || manages_users || reads_audit || shows_managed || manages_roles || edits_business || edits_locale || manages_api_keys>
                    <h2 class="nav-heading">"Administration"</h2>
                    <ul>
                        <Show when=move || manages_users>
                            <li>
                                <A href="/account-managers">"Account managers"</A>
                            </li>
                            <li>
                                <A href="/users">"Users"</A>
                            </li>
                            <li>
                                <A href="/settings">"Account settings"</A>
                            </li>
                        </Show>
                        <Show when=move || manages_roles>
                            <li>
                                <A href="/roles">"Team roles and permission management"</A>
                            </li>
                        </Show>
                        <Show when=move || shows_managed>
                            <li>
                                <A href="/templates">"Account templates"</A>
                            </li>
                        </Show>
                        <Show when=move || edits_business>
                            <li>
                                <A href="/business-information">"Business information"</A>
                            </li>
                        </Show>
                        <Show when=move || edits_locale>
                            <li>
                                <A href="/localization">"Localization"</A>
                            </li>
                        </Show>
                        <Show when=move || manages_api_keys>
                            <li>
                                <A href="/api-manager">"API manager"</A>
                            </li>
                            <li>
                                <A href="/webhooks">"Webhooks"</A>
                            </li>
                        </Show>
                        <Show when=move || reads_audit>
                            <li>
                                <A href="/billing">"Billing"</A>
                            </li>
                            <li>
                                <A href="/audit-log">"Audit log"</A>
                            </li>
                        </Show>
                    </ul>
                </Show>
                <ul>
                    <Show when=move || dev_mode>
                        <li>
                            <a href="/mailbox">"Mailbox"</a>
                        </li>
                    </Show>
                </ul>
            </nav>
            <main>
                <Outlet />
            </main>
        </div>
    }
}
