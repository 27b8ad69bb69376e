//! Users of the account acted in, and the acting user's own sessions.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::users::model::{BulkOutcome, SessionView, UsersPageData};

#[server(endpoint = "list_users")]
pub async fn list_users(
    #[server(default)] search: String,
    #[server(default)] sort: String,
    #[server(default)] descending: bool,
    #[server(default)] page: i64,
) -> Result<UsersPageData, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    let query = crate::users::model::UsersQuery {
        search,
        sort,
        descending,
        page,
    };
    Ok(crate::users::service::list_page(&services, &actor, &query).await?)
}

/// Adds a user when `id` is empty, else edits that user (an empty password keeps it).
#[server(endpoint = "save_user")]
pub async fn save_user(
    #[server(default)] id: String,
    first_name: String,
    last_name: String,
    email: String,
    #[server(default)] password: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    use crate::users::service::{self, UserInput};
    let (services, actor) = crate::identity::context::actor().await?;
    let input = UserInput {
        first_name,
        last_name,
        email,
        password,
        role_id: role,
    };
    if id.is_empty() {
        service::add(&services, &actor, input).await?;
    } else {
        service::edit(&services, &actor, &id.into(), input).await?;
    }
    Ok(())
}

/// One action for every user in `ids`.
#[server(endpoint = "users_action")]
pub async fn users_action(
    ids: Vec<String>,
    action: crate::users::model::UserAction,
) -> Result<BulkOutcome, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::users::service::act_in_bulk(
        &services,
        &actor,
        &ids.into_iter().map(Into::into).collect::<Vec<_>>(),
        action,
    )
    .await?)
}

/// One user, one action: the refusal comes back as an error. (The action type is spelled out: the
/// server function's own struct is called `UserAction` too.)
#[server(endpoint = "user_action")]
pub async fn user_action(id: String, action: crate::users::model::UserAction) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::users::service::act(&services, &actor, &id.into(), action).await?)
}

#[server(endpoint = "make_primary_admin")]
pub async fn make_primary_admin(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::users::service::make_primary_admin(&services, &actor, &id.into()).await?)
}

#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::users::service::my_sessions(&services, &actor).await?)
}

#[server(endpoint = "end_session")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::users::service::end_my_session(&services, &actor, &id).await?)
}
