//! The email outbox: emails wait here until the sender delivers them.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError};

#[derive(Debug, Clone, SurrealValue)]
pub struct OutboxRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub created_at: String,
}

const COLUMNS: &str =
    "record::id(id) AS id, to, subject, body, link, status, attempts, <string> created_at AS created_at";

/// The newest emails to `to` first, for the development Mailbox.
pub async fn recent_to(db: &Db, to: &str, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM outbox WHERE to = $to ORDER BY created_at DESC LIMIT $limit"
        ))
        .bind(("to", to.to_string()))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Emails due for a (new) delivery attempt, oldest first.
pub async fn due(db: &Db, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= time::now() \
             ORDER BY created_at ASC LIMIT $limit"
        ))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Claims a due email for this sender for `lease_secs`: when several Steward servers share the
/// database, only the one whose conditional update commits sends it (the others' updates find
/// it no longer due, or conflict and are refused). A sender that dies holding it frees it when
/// the lease ends; a delivery records its outcome (sent, or the next attempt) in the meantime.
pub async fn claim(db: &Db, key: &str, lease_secs: i64) -> Result<bool, StoreError> {
    let res = db
        .query(
            "UPDATE $mail SET next_attempt_at = time::now() + type::duration($lease)
                 WHERE status = 'pending' AND next_attempt_at <= time::now() RETURN VALUE id",
        )
        .bind(("mail", rid("outbox", key)))
        .bind(("lease", format!("{lease_secs}s")))
        .await;
    let claimed: Vec<surrealdb::types::RecordId> = match res.map_err(db_err).and_then(checked) {
        Ok(mut res) => res.take(0).map_err(db_err)?,
        // Another server claimed it at the same moment.
        Err(StoreError::Conflict(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    Ok(!claimed.is_empty())
}

/// Marks an email delivered. Its link (an invitation, a set-password token) goes: from now on
/// only the recipient's inbox holds it, not every copy of the database.
pub async fn mark_sent(db: &Db, key: &str) -> Result<(), StoreError> {
    let res = db
        .query(
            "UPDATE $mail SET status = 'sent', sent_at = time::now(), attempts += 1, last_error = NONE,
                 link = NONE",
        )
        .bind(("mail", rid("outbox", key)))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// Records a failed attempt; after `max_attempts` the email is given up as failed, and its link
/// with it.
pub async fn mark_retry(
    db: &Db,
    key: &str,
    error: &str,
    delay_secs: i64,
    max_attempts: i64,
) -> Result<(), StoreError> {
    let res = db
        // Two statements: within one SET, SurrealDB 3 reads `attempts` as it was before `+= 1`
        // (the email was given up one attempt late).
        .query(
            "BEGIN TRANSACTION;
             UPDATE $mail SET attempts += 1, last_error = $error,
                 next_attempt_at = time::now() + type::duration($delay) RETURN NONE;
             UPDATE $mail SET status = IF attempts >= $max THEN 'failed' ELSE 'pending' END,
                 link = IF attempts >= $max THEN NONE ELSE link END RETURN NONE;
             COMMIT TRANSACTION;",
        )
        .bind(("mail", rid("outbox", key)))
        .bind(("error", error.to_string()))
        .bind(("delay", format!("{delay_secs}s")))
        .bind(("max", max_attempts))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}
