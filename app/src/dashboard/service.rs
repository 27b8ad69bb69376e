//! The Dashboard's one read: a few bounded queries, each through an index, each part only for
//! whom it concerns (the rules are the features' own).
use crate::core::domain::Permission;
use crate::core::services::{Actor, ServiceError, Services};
use crate::dashboard::model::{DashboardView, ManagedSummary, PENDING_CAP};

/// How many invitations, requests and audit entries the Dashboard lists.
const SHOWN: i64 = 5;

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn dashboard(services: &Services, actor: &Actor) -> Result<DashboardView, ServiceError> {
    let managed = if actor.managing.is_none() && actor.can(Permission::MANAGED_ACCOUNTS_VIEW) {
        let (total, pending) =
            crate::managed_accounts::store::summary(&services.db, &actor.account_id, PENDING_CAP).await?;
        let trials_ending = crate::billing::store::trials_ending_for(
            &services.db,
            &actor.account_id,
            crate::billing::service::TRIAL_REMINDER_DAYS,
            PENDING_CAP,
        )
        .await?;
        let totals = crate::billing::store::totals(&services.db, &actor.account_id).await?;
        Some(ManagedSummary {
            total,
            pending,
            trials_ending,
            totals,
            currency: actor.currency,
        })
    } else {
        None
    };
    let mut invitations = crate::grants::service::invitations_for_me(services, actor).await?;
    invitations.truncate(SHOWN as usize);
    Ok(DashboardView {
        managed,
        invitations,
        requests: crate::grants::service::requests_waiting(services, actor, SHOWN).await?,
        latest: crate::audit::service::latest(services, actor, SHOWN).await?,
        billing: if actor.can(Permission::ADMINISTRATOR_TOOLS) {
            Some(crate::billing::service::view(services, actor).await?)
        } else {
            None
        },
    })
}
