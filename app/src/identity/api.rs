//! Sign up, log in, log out, and who am I.
use leptos::prelude::*;

use crate::core::error::AppError;
use crate::core::model::Me;
use crate::identity::model::{PendingLogIn, TwoFactorStatus};

/// Emails a link that creates the account; the same answer whether or not the email is taken.
/// `true` in development mode, where the Mailbox shows the link instead.
#[server(endpoint = "sign_up")]
pub async fn sign_up(
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    account_name: String,
    #[server(default)] next: String,
) -> Result<bool, AppError> {
    use crate::identity::context;
    use crate::identity::service;
    let services = context::services()?;
    let sent = service::sign_up(
        &services,
        service::SignUp {
            first_name,
            last_name,
            email,
            password,
            account_name,
        },
        &next,
    )
    .await?;
    context::set_sign_up_cookie(&services, &sent.browser);
    let dev = services.settings.dev_mode;
    leptos_axum::redirect(if dev {
        "/signup?sent=1&mailbox=1"
    } else {
        "/signup?sent=1"
    });
    Ok(dev)
}

/// What a sign-up link creates: the email and the account name.
#[server(endpoint = "sign_up_link")]
pub async fn sign_up_link(token: String) -> Result<crate::identity::model::SignUpLink, AppError> {
    let services = crate::identity::context::services()?;
    let (email, account_name) = crate::identity::service::sign_up_link(&services, &token).await?;
    Ok(crate::identity::model::SignUpLink { email, account_name })
}

/// Opens a sign-up link: creates the account, logs in, and answers where to go.
#[server(endpoint = "confirm_sign_up")]
pub async fn confirm_sign_up(token: String) -> Result<String, AppError> {
    use crate::identity::context;
    use crate::identity::service;
    let services = context::services()?;
    let result = async {
        let (session, next) = service::confirm_sign_up(&services, &token).await?;
        // Whoever was logged in in this browser is not any more: the new account's user is.
        if let Some(old) = context::session_token() {
            service::log_out(&services, &old).await?;
        }
        context::set_session_cookie(&services, &session);
        let next = crate::identity::safe_next(&next);
        leptos_axum::redirect(&next);
        Ok::<_, AppError>(next)
    }
    .await;
    let next = result.as_ref().ok().cloned();
    context::lead_plain_form_back(
        <ConfirmSignUp as leptos::server_fn::ServerFn>::PATH,
        "/signup/confirm/",
        &token,
        next.as_deref(),
        &result,
    );
    result
}

/// Answers where to go next: `next`, or the two-factor step of the log-in.
#[server(endpoint = "log_in")]
pub async fn log_in(
    email: String,
    password: String,
    #[server(default)] next: String,
) -> Result<String, AppError> {
    use crate::identity::context;
    use crate::identity::service::{self, LogIn};
    let services = context::services()?;
    let step = service::log_in(&services, &email, &password).await?;
    // A new session id at every log in: an old cookie is never promoted. Ended only once the
    // credentials are right, so a refused log-in changes nothing.
    if let Some(old) = context::session_token() {
        service::log_out(&services, &old).await?;
    }
    let next = crate::identity::safe_next(&next);
    let go = match step {
        LogIn::Session(token) => {
            context::set_session_cookie(&services, &token);
            next
        }
        LogIn::SecondStep { challenge, .. } => {
            context::set_challenge_cookie(&services, &challenge);
            format!(
                "/login/code?next={}",
                crate::identity::pages::signup::encode(&next)
            )
        }
    };
    leptos_axum::redirect(&go);
    Ok(go)
}

/// The log-in waiting for its second step, or `None` when it expired (or there is none).
#[server(endpoint = "log_in_challenge")]
pub async fn log_in_challenge() -> Result<Option<PendingLogIn>, AppError> {
    use crate::identity::context;
    let services = context::services()?;
    let Some(token) = context::challenge_token() else {
        return Ok(None);
    };
    Ok(crate::identity::service::challenge(&services, &token).await?)
}

/// The second step of a log-in: a code of the authenticator app, or a recovery code.
#[server(endpoint = "log_in_code")]
pub async fn log_in_code(code: String, #[server(default)] next: String) -> Result<String, AppError> {
    use crate::identity::context;
    use crate::identity::service;
    let services = context::services()?;
    let Some(challenge) = context::challenge_token() else {
        return Err(crate::core::services::ServiceError::field("code", service::LOG_IN_AGAIN).into());
    };
    let token = service::complete_log_in(&services, &challenge, &code).await?;
    context::clear_challenge_cookie(&services);
    if let Some(old) = context::session_token() {
        service::log_out(&services, &old).await?;
    }
    context::set_session_cookie(&services, &token);
    let next = crate::identity::safe_next(&next);
    leptos_axum::redirect(&next);
    Ok(next)
}

/// The acting user's two-factor authentication.
#[server(endpoint = "two_factor")]
pub async fn two_factor() -> Result<TwoFactorStatus, AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    Ok(crate::identity::service::two_factor_status(&services, &actor).await?)
}

#[server(endpoint = "turn_on_two_factor")]
pub async fn turn_on_two_factor(code: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::identity::service::turn_on_two_factor(&services, &actor, &code).await?;
    leptos_axum::redirect("/two-factor?done=on");
    Ok(())
}

#[server(endpoint = "turn_off_two_factor")]
pub async fn turn_off_two_factor(password: String) -> Result<(), AppError> {
    let (services, actor) = crate::identity::context::actor().await?;
    crate::identity::service::turn_off_two_factor(&services, &actor, &password).await?;
    leptos_axum::redirect("/two-factor?done=off");
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
