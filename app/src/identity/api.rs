//! Sign up, log in, log out, and who am I.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::core::model::Me;

#[server(endpoint = "sign_up")]
pub async fn sign_up(
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    account_name: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    use crate::identity::context;
    use crate::identity::service;
    let services = context::services()?;
    let token = service::sign_up(
        &services,
        service::SignUp {
            first_name,
            last_name,
            email,
            password,
            account_name,
        },
    )
    .await?;
    context::set_session_cookie(&services, &token);
    leptos_axum::redirect(&crate::identity::safe_next(&next));
    Ok(())
}

#[server(endpoint = "log_in")]
pub async fn log_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<(), AppError> {
    use crate::identity::context;
    use crate::identity::service;
    let services = context::services()?;
    // A new session id at every log in: an old cookie is never promoted.
    if let Some(old) = context::session_token() {
        service::log_out(&services, &old).await?;
    }
    let token = service::log_in(&services, &email, &password).await?;
    context::set_session_cookie(&services, &token);
    leptos_axum::redirect(&crate::identity::safe_next(&next));
    Ok(())
}

/// "Forgot your password?": the same answer whether or not the email has an account.
#[server(endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let services = crate::identity::context::services()?;
    crate::identity::service::request_password_reset(&services, &email).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::identity::context;
    use crate::identity::service;
    let services = context::services()?;
    if let Some(token) = context::session_token() {
        service::log_out(&services, &token).await?;
    }
    context::clear_session_cookie(&services);
    leptos_axum::redirect("/login");
    Ok(())
}

/// The acting identity, or `None` when nobody is logged in.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    use crate::identity::context;
    let services = context::services()?;
    let Some(token) = context::session_token() else {
        return Ok(None);
    };
    let Some((actor, notice)) = crate::identity::service::session_for_token(&services, &token).await? else {
        return Ok(None);
    };
    if notice.is_some() {
        super::store::take_notice(&services.db, &actor.session_id)
            .await
            .map_err(crate::core::services::ServiceError::from)?;
    }
    let mut me = actor.me(services.settings.dev_mode);
    me.notice = notice;
    Ok(Some(me))
}
