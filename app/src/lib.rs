//! Steward: delegated account management. The shell, the app and its route table.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::SignedInLayout;
use crate::pages::{
    access_request::AccessRequestPage,
    account_managers::AccountManagersPage,
    admin_tools::{BusinessInformationPage, LocalizationPage},
    audit::AuditPage,
    contacts::ContactsPage,
    dashboard::DashboardPage,
    invitation::InvitationPage,
    login::LogInPage,
    mailbox::MailboxPage,
    managed_accounts::ManagedAccountsPage,
    messages::MessagesPage,
    not_found::NotFoundPage,
    roles::RolesPage,
    sessions::SessionsPage,
    set_password::SetPasswordPage,
    settings::SettingsPage,
    signup::SignUpPage,
    templates::TemplatesPage,
    users::UsersPage,
};

/// Where to go after logging in: a local path only, never another site.
pub fn safe_next(next: &str) -> String {
    let ok =
        next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/steward.css" />
        <Title text="Steward" />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/signup") view=SignUpPage />
                <Route path=path!("/login") view=LogInPage />
                <Route path=path!("/mailbox") view=MailboxPage />
                <Route path=path!("/invitations/:token") view=InvitationPage />
                <Route path=path!("/requests/:token") view=AccessRequestPage />
                <Route path=path!("/set-password/:token") view=SetPasswordPage />
                <ParentRoute path=path!("") view=SignedInLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=DashboardPage />
                    <Route path=path!("/contacts") view=ContactsPage />
                    <Route path=path!("/account-managers") view=AccountManagersPage />
                    <Route path=path!("/users") view=UsersPage />
                    <Route path=path!("/managed-accounts") view=ManagedAccountsPage />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/audit-log") view=AuditPage />
                    <Route path=path!("/templates") view=TemplatesPage />
                    <Route path=path!("/messages") view=MessagesPage />
                    <Route path=path!("/roles") view=RolesPage />
                    <Route path=path!("/business-information") view=BusinessInformationPage />
                    <Route path=path!("/localization") view=LocalizationPage />
                    <Route path=path!("/sessions") view=SessionsPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
