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
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

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
                <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} />
                <Route path=path!("/signup/confirm/:token") view={Lazy::<SignUpConfirmRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/login") view={Lazy::<LogInRoute>::new()} />
                <Route path=path!("/login/code") view={Lazy::<LogInCodeRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view={Lazy::<ForgotPasswordRoute>::new()} />
                <Route path=path!("/mailbox") view={Lazy::<MailboxRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/invitations/:token") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/requests/:token") view={Lazy::<AccessRequestRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/set-password/:token") view={Lazy::<SetPasswordRoute>::new()} />
                <ParentRoute path=path!("") view=SignedInLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<DashboardRoute>::new()} />
                    <Route path=path!("/contacts") view={Lazy::<ContactsRoute>::new()} />
                    <Route path=path!("/account-managers") view={Lazy::<AccountManagersRoute>::new()} />
                    <Route path=path!("/users") view={Lazy::<UsersRoute>::new()} />
                    <Route path=path!("/managed-accounts") view={Lazy::<ManagedAccountsRoute>::new()} />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=path!("/audit-log") view={Lazy::<AuditRoute>::new()} />
                    <Route path=path!("/templates") view={Lazy::<TemplatesRoute>::new()} />
                    <Route path=path!("/messages") view={Lazy::<MessagesRoute>::new()} />
                    <Route path=path!("/roles") view={Lazy::<RolesRoute>::new()} />
                    <Route path=path!("/business-information") view={Lazy::<BusinessInformationRoute>::new()} />
                    <Route path=path!("/localization") view={Lazy::<LocalizationRoute>::new()} />
                    <Route path=path!("/api-manager") view={Lazy::<ApiManagerRoute>::new()} />
                    <Route path=path!("/webhooks") view={Lazy::<WebhooksRoute>::new()} />
                    <Route path=path!("/billing") view={Lazy::<BillingRoute>::new()} />
                    <Route path=path!("/sessions") view={Lazy::<SessionsRoute>::new()} />
                    <Route path=path!("/two-factor") view={Lazy::<TwoFactorRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// A page whose code the browser downloads when the page is first shown: its own WebAssembly
/// chunk (`--split` builds; scripts/test.sh and `cargo leptos --split`), so the first page loads
/// the shared code and itself only. The server renders it as any other page.
macro_rules! lazy_page {
    ($($route:ident => $page:path;)*) => {$(
        #[doc = concat!("The lazily loaded route of `", stringify!($page), "`.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_page! {
    SignUpRoute => SignUpPage;
    SignUpConfirmRoute => SignUpConfirmPage;
    LogInRoute => LogInPage;
    LogInCodeRoute => LogInCodePage;
    ForgotPasswordRoute => ForgotPasswordPage;
    MailboxRoute => MailboxPage;
    InvitationRoute => InvitationPage;
    AccessRequestRoute => AccessRequestPage;
    SetPasswordRoute => SetPasswordPage;
    DashboardRoute => DashboardPage;
    ContactsRoute => ContactsPage;
    AccountManagersRoute => AccountManagersPage;
    UsersRoute => UsersPage;
    ManagedAccountsRoute => ManagedAccountsPage;
    SettingsRoute => SettingsPage;
    AuditRoute => AuditPage;
    TemplatesRoute => TemplatesPage;
    MessagesRoute => MessagesPage;
    RolesRoute => RolesPage;
    BusinessInformationRoute => BusinessInformationPage;
    LocalizationRoute => LocalizationPage;
    ApiManagerRoute => ApiManagerPage;
    WebhooksRoute => crate::webhooks::page::WebhooksPage;
    BillingRoute => crate::billing::page::BillingPage;
    SessionsRoute => SessionsPage;
    TwoFactorRoute => TwoFactorPage;
}
