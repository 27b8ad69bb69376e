//! Account managers (owner side) and the invitation link (manager side).
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AccountManagers, InvitationView};

#[server(endpoint = "account_managers")]
pub async fn list_account_managers() -> Result<AccountManagers, AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::grants::list(&services, &actor).await?)
}

#[server(endpoint = "invite_account_manager")]
pub async fn invite_account_manager(
    email: String,
    role: String,
    #[server(default)] access_until: String,
) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    crate::service::grants::invite(&services, &actor, &email, &role, &access_until).await?;
    Ok(())
}

/// `action` is `revoke`, `grant_again` or `resend`.
#[server(endpoint = "change_account_manager")]
pub async fn change_account_manager(id: String, action: String) -> Result<(), AppError> {
    use crate::service::grants::{owner_action, OwnerAction};
    let (services, actor) = super::context::actor().await?;
    let action = match action.as_str() {
        "revoke" => OwnerAction::Revoke,
        "grant_again" => OwnerAction::GrantAgain,
        "resend" => OwnerAction::Resend,
        "approve" => OwnerAction::Approve,
        "deny" => OwnerAction::Deny,
        _ => return Err(AppError::field("action", "Unknown action.")),
    };
    Ok(owner_action(&services, &actor, &id, action).await?)
}

#[server(endpoint = "delete_account_manager")]
pub async fn delete_account_manager(id: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    Ok(crate::service::grants::delete(&services, &actor, &id).await?)
}

#[server(endpoint = "invitation")]
pub async fn invitation(token: String) -> Result<InvitationView, AppError> {
    let services = super::context::services()?;
    let actor = super::context::optional_actor().await?;
    Ok(crate::service::grants::view_invitation(&services, actor.as_ref(), &token).await?)
}

/// `answer` is `accept` or `reject`.
#[server(endpoint = "answer_invitation")]
pub async fn answer_invitation(token: String, answer: String) -> Result<(), AppError> {
    let (services, actor) = super::context::actor().await?;
    let accept = match answer.as_str() {
        "accept" => true,
        "reject" => false,
        _ => return Err(AppError::field("answer", "Answer accept or reject.")),
    };
    Ok(crate::service::grants::answer_invitation(&services, &actor, &token, accept).await?)
}
