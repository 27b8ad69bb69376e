//! Failed log-ins per email, kept in memory by each server: after `FREE` failures in a row,
//! every further failure locks the email for twice as long as the one before (1 s, 2 s, 4 s, …
//! up to 15 minutes), and a log-in during a lock is refused before any password is checked.
//! Keyed by the email as typed (trimmed, lower-cased) whether or not an account uses it, so the
//! answer tells nobody which emails exist. The per-address limit is the router's
//! (`tower_governor`); this one holds when an attacker spreads over many addresses.
use std::sync::Mutex;

/// Failures that cost nothing.
pub const FREE: u32 = 5;
/// The longest lock, in seconds.
pub const MAX_LOCK_SECS: i64 = 15 * 60;
/// A day without a failure forgets the ones before.
const FORGET_SECS: i64 = 24 * 3600;
/// Emails remembered at most; the least used are dropped first, so memory stays bounded.
const CAPACITY: usize = 100_000;

/// Instants are in milliseconds: a lock of one second counted in whole seconds could end the
/// moment it began.
#[derive(Debug, Clone, Copy, Default)]
struct Failures {
    count: u32,
    last_ms: i64,
    locked_until_ms: i64,
}

pub struct LoginThrottle {
    // The count of one email changes under its own lock: two failures at once both count.
    entries: quick_cache::sync::Cache<String, std::sync::Arc<Mutex<Failures>>>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            entries: quick_cache::sync::Cache::new(CAPACITY),
        }
    }
}

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

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl LoginThrottle {
    /// Seconds to wait (rounded up) before this email may try again, if it is locked at
    /// `now_ms` (milliseconds since 1970).
    pub fn wait_secs(&self, email: &str, now_ms: i64) -> Option<i64> {
        let entry = self.entries.get(&key(email))?;
        let f = *entry.lock().ok()?;
        (f.locked_until_ms > now_ms).then(|| (f.locked_until_ms - now_ms + 999) / 1000)
    }

    /// Counts a failed log-in of this email at `now_ms`.
    pub fn failed(&self, email: &str, now_ms: i64) {
        let entry = self
            .entries
            .get_or_insert_with(&key(email), || {
                Ok::<_, std::convert::Infallible>(Default::default())
            })
            .unwrap_or_else(|e| match e {});
        let Ok(mut f) = entry.lock() else { return };
        if now_ms - f.last_ms > FORGET_SECS * 1000 {
            *f = Failures::default();
        }
        f.count += 1;
        f.last_ms = now_ms;
        f.locked_until_ms = now_ms + lock_secs(f.count) * 1000;
    }

    /// A log-in of this email succeeded: its failures are forgotten.
    pub fn succeeded(&self, email: &str) {
        self.entries.remove(&key(email));
    }
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
    fn an_email_is_locked_after_its_failures_whatever_its_case_and_freed_by_a_success() {
        let t = LoginThrottle::default();
        for _ in 0..FREE - 1 {
            t.failed("Ann@Acme.com ", 1_000_000);
        }
        assert_eq!(
            t.wait_secs("ann@acme.com", 1_000_000),
            None,
            "four failures are free"
        );
        t.failed("ann@acme.com", 1_000_000);
        assert_eq!(t.wait_secs("ANN@acme.com", 1_000_000), Some(1));
        assert_eq!(t.wait_secs("ann@acme.com", 1_000_999), Some(1), "a whole second");
        assert_eq!(t.wait_secs("ann@acme.com", 1_001_000), None, "the lock ends");
        t.failed("ann@acme.com", 1_001_000);
        assert_eq!(t.wait_secs("ann@acme.com", 1_001_000), Some(2));
        assert_eq!(
            t.wait_secs("bob@acme.com", 1_001_000),
            None,
            "other emails are free"
        );
        t.succeeded("ann@acme.com");
        assert_eq!(t.wait_secs("ann@acme.com", 1_001_000), None);
        // A day later the count starts again.
        for _ in 0..FREE {
            t.failed("cid@acme.com", 1_000_000);
        }
        t.failed("cid@acme.com", (1000 + FORGET_SECS + 1) * 1000);
        assert_eq!(t.wait_secs("cid@acme.com", (1000 + FORGET_SECS + 1) * 1000), None);
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(8), "8 seconds");
        assert_eq!(wait_in_words(64), "1 minute");
        assert_eq!(wait_in_words(900), "15 minutes");
    }
}
