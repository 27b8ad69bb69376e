//! The owner stays in control: whether agencies may ask for access, and how the owner hears of
//! account managers logging in (each time, a daily summary, or never).
use super::store;
use crate::core::actor::OwnerOnly;
use crate::core::db::{Mail, Tx};
use crate::core::domain::{Permission, LOGIN_NOTIFY};
use crate::core::services::{Actor, ServiceError, Services};
use crate::settings::model::AccountSettings;

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn get(services: &Services, actor: &Actor) -> Result<AccountSettings, ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let row = store::get(&services.db, &actor.account_id).await?;
    Ok(AccountSettings {
        allow_manager_requests: row.allow_manager_requests,
        managers_manage_users: row.managers_manage_users.unwrap_or(false),
        login_notify: row.login_notify,
        require_two_factor: row.require_two_factor.unwrap_or(false),
    })
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn save(
    services: &Services,
    actor: &Actor,
    settings: &AccountSettings,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::ConsentSettings)?;
    if !LOGIN_NOTIFY.iter().any(|(k, _)| *k == settings.login_notify) {
        return Err(ServiceError::field("login_notify", "Choose when to be told."));
    }
    let mut tx = Tx::new();
    store::save(&mut tx, &actor.account_id, settings);
    let yes_no = |on: bool| if on { "allowed" } else { "refused" };
    tx.audit(actor.audit(
        "account.settings",
        format!(
            "Account manager requests {}; account managers managing users {}; log-in emails: {}; two-factor {}",
            yes_no(settings.allow_manager_requests),
            yes_no(settings.managers_manage_users),
            settings.login_notify,
            if settings.require_two_factor { "required" } else { "optional" },
        ),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

/// Sends the daily summaries that are due; returns how many went out.
#[tracing::instrument(skip_all)]
pub async fn send_login_summaries(services: &Services) -> Result<usize, ServiceError> {
    let mut sent = 0;
    for due in store::summaries_due(&services.db).await? {
        let mut tx = Tx::new();
        store::mark_summary_sent(&mut tx, &due.account);
        if let (Some(owner), false) = (&due.owner_email, due.logins.is_empty()) {
            tx.mail(Mail {
                to: owner.clone(),
                subject: format!("Account managers logged in to {} today", due.name),
                body: format!(
                    "Account managers logged in to {}:\n{}\n",
                    due.name,
                    due.logins.join("\n")
                ),
                link: Some(services.link("/account-managers")),
            });
            sent += 1;
        }
        tx.commit(&services.db).await?;
    }
    if sent > 0 {
        services.outbox_wakeup.notify_one();
    }
    Ok(sent)
}
