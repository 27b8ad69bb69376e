//! Hourly limits on what makes Steward email people outside the account: invitations, access
//! requests and resends, counted per acting account and clock hour in the database, so that
//! every server counts together and nobody can use Steward to flood someone's inbox.
use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};
use crate::core::ids::AccountId;
use crate::core::services::ServiceError;

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// Invitations, access requests and their resends: emails to people outside the account.
    OutsideEmails,
}

impl Quota {
    fn key(self) -> &'static str {
        match self {
            Self::OutsideEmails => "outside_emails",
        }
    }
}

fn hour_now() -> i64 {
    chrono::Utc::now().timestamp() / 3600
}

fn record(account: &AccountId, quota: Quota, hour: i64) -> surrealdb::types::RecordId {
    rid("send_quota", &format!("{account}|{}|{hour}", quota.key()))
}

async fn used(db: &Db, account: &AccountId, quota: Quota, hour: i64) -> Result<i64, StoreError> {
    let res = db
        .query("SELECT VALUE n FROM ONLY $q")
        .bind(("q", record(account, quota, hour)))
        .await
        .map_err(db_err)?;
    let n: Option<i64> = checked(res)?.take(0).map_err(db_err)?;
    Ok(n.unwrap_or(0))
}

/// Refuses when the account has used up this hour's `limit`; otherwise adds to `tx` one more
/// use (counted when `tx` commits). `field` is the form field the refusal is shown beside.
pub async fn take(
    db: &Db,
    tx: &mut Tx,
    account: &AccountId,
    quota: Quota,
    limit: i64,
    field: &str,
) -> Result<(), ServiceError> {
    let hour = hour_now();
    if used(db, account, quota, hour).await? >= limit {
        return Err(ServiceError::TooMany(
            field.into(),
            format!(
                "This account has sent {limit} invitations and access requests this hour, the most \
                 Steward sends in an hour. Try again after the hour turns."
            ),
        ));
    }
    tx.push("UPSERT $quota_rec SET n += 1, hour = $quota_hour RETURN NONE");
    tx.bind("quota_rec", record(account, quota, hour));
    tx.bind("quota_hour", hour);
    Ok(())
}

/// `take` for the emails an account sends people outside it, at the hourly limit of the
/// settings: what invitations, access requests and resends all call.
pub async fn take_outside_email(
    services: &crate::core::services::Services,
    tx: &mut Tx,
    account: &AccountId,
    field: &str,
) -> Result<(), ServiceError> {
    take(
        &services.db,
        tx,
        account,
        Quota::OutsideEmails,
        services.settings.invitations_per_hour,
        field,
    )
    .await
}

/// Deletes the counts of hours gone by.
pub async fn sweep(db: &Db) -> Result<(), StoreError> {
    let res = db
        .query("DELETE send_quota WHERE hour < $hour")
        .bind(("hour", hour_now()))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}
