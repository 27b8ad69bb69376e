//! Failed log-ins per email, counted in the database so that every server counts together:
//! after `FREE` failures in a row, every further failure locks the email for twice as long as
//! the one before (1 s, 2 s, 4 s, … up to 15 minutes), and a log-in during a lock is refused
//! before any password is checked. Keyed by the email as typed (trimmed, lower-cased, hashed)
//! whether or not an account uses it, so the answer tells nobody which emails exist, and the
//! table holds no email. The per-address limit is the router's (`tower_governor`); this one holds
//! when an attacker spreads over many addresses. A record is written only on a failure, deleted
//! by a success, and forgotten by the sweep a day after its last failure (migration 0025).
use sha2::{Digest, Sha256};
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError};

/// Failures that cost nothing.
pub const FREE: u32 = 5;
/// The longest lock, in seconds.
pub const MAX_LOCK_SECS: i64 = 15 * 60;
/// A day without a failure forgets the ones before.
pub const FORGET_SECS: i64 = 24 * 3600;

/// How long the `count`-th failure in a row locks the email.
pub fn lock_secs(count: u32) -> i64 {
    if count < FREE {
        0
    } else {
        1_i64
            .checked_shl(count - FREE)
            .unwrap_or(MAX_LOCK_SECS)
            .min(MAX_LOCK_SECS)
    }
}

fn record(key: &str) -> surrealdb::types::RecordId {
    let normalized = key.trim().to_lowercase();
    rid(
        "login_failure",
        &hex::encode(Sha256::digest(normalized.as_bytes())),
    )
}

/// Failures in a row and when the last one was (milliseconds since 1970). Instants are in
/// milliseconds: a lock of one second counted in whole seconds could end the moment it began.
#[derive(Debug, Clone, Copy, Default, SurrealValue)]
struct Failures {
    count: i64,
    last_ms: i64,
}

/// The lock a record of failures means at `now_ms`, in seconds rounded up.
fn wait_of(f: Failures, now_ms: i64) -> Option<i64> {
    if now_ms - f.last_ms > FORGET_SECS * 1000 {
        return None;
    }
    let until = f.last_ms + lock_secs(u32::try_from(f.count).unwrap_or(u32::MAX)) * 1000;
    (until > now_ms).then(|| (until - now_ms + 999) / 1000)
}

/// What the failures of one email (or other `key`) mean at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    /// Seconds to wait (rounded up) before it may try again, if it is locked.
    pub wait_secs: Option<i64>,
    /// It has failures on record: a success has something to forget.
    pub has_failures: bool,
}

/// The lock of this email (or other `key`) at `now_ms`: one read by record id.
pub async fn lock(db: &Db, key: &str, now_ms: i64) -> Result<Lock, StoreError> {
    let res = db
        .query("SELECT count, last_ms FROM ONLY $rec")
        .bind(("rec", record(key)))
        .await
        .map_err(db_err)?;
    let found: Option<Failures> = checked(res)?.take(0).map_err(db_err)?;
    Ok(Lock {
        wait_secs: found.and_then(|f| wait_of(f, now_ms)),
        has_failures: found.is_some(),
    })
}

/// Counts a failed log-in of this email at `now_ms`. One statement: two failures at once both
/// count (a write conflict is tried again).
pub async fn failed(db: &Db, key: &str, now_ms: i64) -> Result<(), StoreError> {
    let mut last = None;
    for _ in 0..3 {
        let res = db
            .query(
                "UPSERT $rec SET
                     count = IF last_ms = NONE OR $now - last_ms > $forget THEN 1 ELSE count + 1 END,
                     last_ms = $now
                 RETURN NONE",
            )
            .bind(("rec", record(key)))
            .bind(("now", now_ms))
            .bind(("forget", FORGET_SECS * 1000))
            .await
            .map_err(db_err);
        match res.and_then(checked) {
            Ok(_) => return Ok(()),
            Err(e @ StoreError::Conflict(_)) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| StoreError::Unreadable("login failure not counted".into())))
}

/// A log-in of this email succeeded: its failures are forgotten. Called only when `lock` found
/// some, so that a log-in with none writes nothing here.
pub async fn succeeded(db: &Db, key: &str) -> Result<(), StoreError> {
    let res = db
        .query("DELETE $rec RETURN NONE")
        .bind(("rec", record(key)))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// Deletes up to `batch` records whose last failure is over a day old (at `now_ms`).
pub async fn forget_old(db: &Db, now_ms: i64, batch: i64) -> Result<(), StoreError> {
    let res = db
        .query(
            "LET $old = (SELECT VALUE id FROM login_failure WHERE last_ms < $before LIMIT $batch);
             DELETE $old RETURN NONE;",
        )
        .bind(("before", now_ms - FORGET_SECS * 1000))
        .bind(("batch", batch))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// "12 seconds", "3 minutes": how long to wait, for a person.
pub fn wait_in_words(secs: i64) -> String {
    match secs {
        ..=1 => "1 second".into(),
        2..=59 => format!("{secs} seconds"),
        60..=119 => "1 minute".into(),
        _ => format!("{} minutes", (secs + 59) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_double_after_the_free_failures_up_to_fifteen_minutes() {
        let locks: Vec<i64> = (1..=16).map(lock_secs).collect();
        assert_eq!(&locks[..8], &[0, 0, 0, 0, 1, 2, 4, 8]);
        assert_eq!(locks[14], 900, "capped");
        assert_eq!(lock_secs(u32::MAX), 900);
    }

    #[test]
    fn a_lock_follows_the_last_failure_and_a_day_forgets_it() {
        let at = |count, last_ms| Failures { count, last_ms };
        assert_eq!(
            wait_of(at(4, 1_000_000), 1_000_000),
            None,
            "four failures are free"
        );
        assert_eq!(wait_of(at(5, 1_000_000), 1_000_000), Some(1));
        assert_eq!(wait_of(at(5, 1_000_000), 1_000_999), Some(1), "a whole second");
        assert_eq!(wait_of(at(5, 1_000_000), 1_001_000), None, "the lock ends");
        assert_eq!(wait_of(at(6, 1_001_000), 1_001_000), Some(2));
        assert_eq!(wait_of(at(40, 0), 899_000), Some(1), "capped at 15 minutes");
        assert_eq!(wait_of(at(40, 0), FORGET_SECS * 1000 + 1), None);
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(8), "8 seconds");
        assert_eq!(wait_in_words(64), "1 minute");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
