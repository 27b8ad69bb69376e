//! Managed accounts (agency side), the owner's answer to a request, and set-password links.
// `create_client_account` takes one argument per field of the New account form, as it is posted;
// the code the `#[server]` macro generates from it can't carry an item-level allow.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::grants::model::AccessRequestView;
use crate::managed_accounts::model::ManagedAccountsPage;

#[server(endpoint = "managed_accounts")]
pub async fn list_managed_accounts(
    #[server(default)] search: String,
    #[server(default)] sort: String,
    #[server(default)] descending: bool,
    #[server(default)] page: i64,
    /// The `next` or `previous` of the page next to this one: empty to read the page by number.
    #[server(default)]
    cursor: String,
) -> Result<ManagedAccountsPage, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::managed_accounts::service::list_from(
        &services, &actor, &search, &sort, descending, page, &cursor,
    )
    .await?)
}

#[server(endpoint = "request_access")]
pub async fn request_access(client_email: String, role: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::managed_accounts::service::request_access(&services, &actor, &client_email, &role).await?;
    Ok(())
}

#[server(endpoint = "create_client_account")]
pub async fn create_client_account(
    name: String,
    level: String,
    cms_plan: String,
    #[server(default)] payer: String,
    login_email: String,
    #[server(default)] data: String,
    #[server(default)] template: String,
    /// A check box: present ("on") when checked.
    #[server(default)]
    sandbox: String,
) -> Result<(), AppError> {
    use crate::managed_accounts::service::{create_account, NewClientAccount};
    let (services, actor) = crate::identity::context::actor().await?;
    create_account(
        &services,
        &actor,
        NewClientAccount {
            name,
            level,
            cms_plan,
            payer,
            login_email,
            data,
            template,
            sandbox: !sandbox.is_empty(),
        },
    )
    .await?;
    Ok(())
}

/// "Resend request" on the agency's own pending or expired request.
#[server(endpoint = "resend_access_request")]
pub async fn resend_access_request(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::managed_accounts::service::resend_request(&services, &actor, &id.into()).await?)
}

#[server(endpoint = "unlink_managed_account")]
pub async fn unlink_managed_account(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::managed_accounts::service::unlink(&services, &actor, &id.into()).await?)
}

/// "Log in": the session now acts in the client account.
#[server(endpoint = "log_in_to_managed_account")]
pub async fn log_in_to_managed_account(id: String) -> Result<(), AppError> {
    use crate::identity::context;
    let (services, actor) = context::actor().await?;
    let token = context::session_token().ok_or(AppError::Unauthenticated)?;
    let new = crate::managed_accounts::service::log_in_to(&services, &actor, &token, &id.into()).await?;
    context::set_session_cookie(&services, &new);
    leptos_axum::redirect("/");
    Ok(())
}

/// The other client accounts the bar offers while managing one.
#[server(endpoint = "switch_targets")]
pub async fn switch_targets() -> Result<Vec<crate::managed_accounts::model::SwitchTarget>, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::managed_accounts::service::switch_targets(&services, &actor).await?)
}

/// "Switch" in the bar: straight into another client account. If the way in is refused, the
/// session is at home (the refusal says why) and the page goes to Managed accounts.
#[server(endpoint = "switch_managed_account")]
pub async fn switch_managed_account(id: String) -> Result<(), AppError> {
    use crate::identity::context;
    use crate::managed_accounts::service::Switched;
    let (services, actor) = context::actor().await?;
    let token = context::session_token().ok_or(AppError::Unauthenticated)?;
    match crate::managed_accounts::service::switch_to(&services, &actor, &token, &id.into()).await? {
        Switched::In(new) => {
            context::set_session_cookie(&services, &new);
            leptos_axum::redirect("/");
            Ok(())
        }
        Switched::Home { token, why } => {
            context::set_session_cookie(&services, &token);
            Err(why.into())
        }
    }
}

/// "Back to my account": the session acts at home again, on the Managed accounts list.
#[server(endpoint = "back_to_my_account")]
pub async fn back_to_my_account() -> Result<(), AppError> {
    use crate::identity::context;
    let (services, actor) = context::actor().await?;
    let token = context::session_token().ok_or(AppError::Unauthenticated)?;
    let new = crate::managed_accounts::service::back_home(&services, &actor, &token).await?;
    context::set_session_cookie(&services, &new);
    leptos_axum::redirect("/managed-accounts");
    Ok(())
}

#[server(endpoint = "access_request")]
pub async fn access_request(token: String) -> Result<AccessRequestView, AppError> {
    let services = crate::identity::context::services()?;
    let actor = crate::identity::context::optional_actor().await?;
    Ok(crate::managed_accounts::service::view_request(&services, actor.as_ref(), &token).await?)
}

/// `answer` is `grant` or `deny`.
#[server(endpoint = "answer_access_request")]
pub async fn answer_access_request(token: String, answer: String) -> Result<(), AppError> {
    let result = async {
        let (services, actor) = crate::identity::context::actor().await?;
        let grant = match answer.as_str() {
            "grant" => true,
            "deny" => false,
            _ => {
                return Err(
                    crate::core::services::ServiceError::field("answer", "Answer grant or deny.").into(),
                )
            }
        };
        Ok(crate::managed_accounts::service::decide_request(&services, &actor, &token, grant).await?)
    }
    .await;
    crate::identity::context::lead_plain_form_back(
        <AnswerAccessRequest as leptos::server_fn::ServerFn>::PATH,
        "/requests/",
        &token,
        None,
        &result,
    );
    result
}

#[server(endpoint = "set_password")]
pub async fn set_password(token: String, password: String) -> Result<(), AppError> {
    let result = async {
        let services = crate::identity::context::services()?;
        crate::managed_accounts::service::set_password(&services, &token, &password).await?;
        leptos_axum::redirect("/login?password=set");
        Ok(())
    }
    .await;
    crate::identity::context::lead_plain_form_back(
        <SetPassword as leptos::server_fn::ServerFn>::PATH,
        "/set-password/",
        &token,
        Some("/login?password=set"),
        &result,
    );
    result
}

/// Sends the owner of a client account a new set-password link (the old one stops working).
#[server(endpoint = "resend_password_link")]
pub async fn resend_password_link(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::managed_accounts::service::resend_password_link(&services, &actor, &id.into()).await?)
}
