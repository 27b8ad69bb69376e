//! Steward: delegated account management. The shell, the app and its route table.
#![recursion_limit = "256"]

pub mod core;
pub mod layout;
pub mod ui;

pub mod api_keys;
pub mod audit;
pub mod billing;
pub mod contacts;
pub mod dashboard;
pub mod grants;
pub mod identity;
pub mod live;
pub mod mailbox;
pub mod managed_accounts;
pub mod messages;
#[cfg(feature = "ssr")]
pub mod rest;
pub mod roles;
pub mod settings;
pub mod templates;
pub mod users;
pub mod webhooks;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::api_keys::page::ApiManagerPage;
use crate::audit::page::AuditPage;
use crate::contacts::page::ContactsPage;
use crate::dashboard::page::DashboardPage;
use crate::grants::pages::{account_managers::AccountManagersPage, invitation::InvitationPage};
use crate::identity::pages::{
    forgot_password::ForgotPasswordPage,
    login::LogInPage,
    signup::{SignUpConfirmPage, SignUpPage},
    two_factor::{LogInCodePage, TwoFactorPage},
};
use crate::layout::SignedInLayout;
use crate::mailbox::page::MailboxPage;
use crate::managed_accounts::pages::{
    access_request::AccessRequestPage, managed_accounts::ManagedAccountsPage, set_password::SetPasswordPage,
};
use crate::messages::page::MessagesPage;
use crate::roles::page::RolesPage;
use crate::settings::admin_tools::page::{BusinessInformationPage, LocalizationPage};
use crate::settings::page::SettingsPage;
use crate::templates::page::TemplatesPage;
use crate::ui::not_found::NotFoundPage;
use crate::users::pages::{sessions::SessionsPage, users::UsersPage};

/// Connects to `url` (`mem://`, `surrealkv://path`, `ws://host:port`), brings the schema up to date
/// and installs the templates Steward ships.
#[cfg(feature = "ssr")]
pub async fn connect(url: &str) -> Result<core::db::Db, core::db::StoreError> {
    connect_to(&core::db::Connection::new(url)).await
}

/// `connect` with a namespace, database and credentials (a SurrealDB server).
#[cfg(feature = "ssr")]
pub async fn connect_to(to: &core::db::Connection) -> Result<core::db::Db, core::db::StoreError> {
    let db = core::db::connect_to(to).await?;
    templates::service::install_built_ins(&db).await?;
    Ok(db)
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
                <Route path=path!("/signup/confirm/:token") view=SignUpConfirmPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LogInPage />
                <Route path=path!("/login/code") view=LogInCodePage ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view=ForgotPasswordPage />
                <Route path=path!("/mailbox") view=MailboxPage ssr=SsrMode::Async />
                <Route path=path!("/invitations/:token") view=InvitationPage ssr=SsrMode::Async />
                <Route path=path!("/requests/:token") view=AccessRequestPage ssr=SsrMode::Async />
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
                    <Route path=path!("/api-manager") view=ApiManagerPage />
                    <Route path=path!("/webhooks") view=crate::webhooks::page::WebhooksPage />
                    <Route path=path!("/billing") view=crate::billing::page::BillingPage />
                    <Route path=path!("/sessions") view=SessionsPage />
                    <Route path=path!("/two-factor") view=TwoFactorPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
