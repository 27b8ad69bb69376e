//! Account managers (owner side) and the invitation link (manager side).
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::grants::model::{AccountManagers, AddedUsers, InvitationView, OwnerAction};

#[server(endpoint = "account_managers")]
pub async fn list_account_managers(
    #[server(default)] search: String,
    #[server(default)] sort: String,
    #[server(default)] descending: bool,
    #[server(default)] page: i64,
) -> Result<AccountManagers, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let query = crate::grants::model::ManagersQuery {
        search,
        sort,
        descending,
        page,
    };
    Ok(crate::grants::service::list_page(&services, &actor, &query).await?)
}

#[server(endpoint = "invite_account_manager")]
pub async fn invite_account_manager(
    email: String,
    role: String,
    #[server(default)] access_until: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::grants::service::invite(&services, &actor, &email, &role.into(), &access_until).await?;
    Ok(())
}

#[server(endpoint = "change_account_manager")]
pub async fn change_account_manager(
    id: String,
    action: OwnerAction,
    #[server(default)] added_users: AddedUsers,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::grants::service::owner_action_with(&services, &actor, &id.into(), action, added_users).await?)
}

/// "Edit" on an Active or Pending row: a new role and end date (empty: none).
#[server(endpoint = "edit_account_manager")]
pub async fn edit_account_manager(
    id: String,
    role: String,
    #[server(default)] access_until: String,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(
        crate::grants::service::change_terms(&services, &actor, &id.into(), &role.into(), &access_until)
            .await?,
    )
}

#[server(endpoint = "delete_account_manager")]
pub async fn delete_account_manager(
    id: String,
    #[server(default)] added_users: AddedUsers,
) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::grants::service::delete_with(&services, &actor, &id.into(), added_users).await?)
}

/// Accept or reject an invitation of the caller's list; `answer` is `accept` or `reject`.
#[server(endpoint = "answer_my_invitation")]
pub async fn answer_my_invitation(id: String, answer: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let accept = parse_answer(&answer)?;
    let id = id.into();
    Ok(crate::grants::service::answer(
        &services,
        &actor,
        crate::grants::service::Invitation::Listed(&id),
        accept,
    )
    .await?)
}

#[cfg(feature = "ssr")]
fn parse_answer(answer: &str) -> Result<bool, crate::core::services::ServiceError> {
    match answer {
        "accept" => Ok(true),
        "reject" => Ok(false),
        _ => Err(crate::core::services::ServiceError::field(
            "answer",
            "Answer accept or reject.",
        )),
    }
}

#[server(endpoint = "invitation")]
pub async fn invitation(token: String) -> Result<InvitationView, AppError> {
    let services = crate::identity::context::services()?;
    let actor = crate::identity::context::optional_actor().await?;
    Ok(crate::grants::service::view_invitation(&services, actor.as_ref(), &token).await?)
}

/// `answer` is `accept` or `reject`.
#[server(endpoint = "answer_invitation")]
pub async fn answer_invitation(token: String, answer: String) -> Result<(), AppError> {
    let result = async {
        let (services, actor) = crate::identity::context::actor().await?;
        let accept = parse_answer(&answer)?;
        Ok(crate::grants::service::answer_invitation(&services, &actor, &token, accept).await?)
    }
    .await;
    crate::identity::context::lead_plain_form_back(
        <AnswerInvitation as leptos::server_fn::ServerFn>::PATH,
        "/invitations/",
        &token,
        None,
        &result,
    );
    result
}
