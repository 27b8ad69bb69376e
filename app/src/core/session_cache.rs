//! Resolved sessions kept in memory, so that a request reads one session record instead of
//! resolving user, membership, account, grant and role again.
//!
//! An entry is only a shortcut, never a decision: every request still reads its session record
//! (expiry, idleness, force logout and deletion are decided there), and an entry is used only
//! while that record carries the stamp it was resolved at. The database bumps the stamp in the
//! same transaction as any change a session depends on (migration 0006), so a changed role, a
//! revoked grant or an edited user applies at the very next request on every server.
use std::sync::Arc;

use crate::core::services::Actor;

/// What a cached session was resolved at: if any part differs, it is resolved again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub session_id: String,
    pub auth_version: i64,
    pub account_id: String,
    pub via_grant: Option<String>,
}

struct Entry {
    stamp: Stamp,
    actor: Actor,
    /// A grant with an end date stops being usable then, even before the sweep expires it.
    until_unix: Option<i64>,
}

/// At most this many sessions are kept; the least used are dropped first.
const CAPACITY: usize = 20_000;

pub struct SessionCache {
    entries: quick_cache::sync::Cache<String, Arc<Entry>>,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self {
            entries: quick_cache::sync::Cache::new(CAPACITY),
        }
    }
}

impl SessionCache {
    /// The actor resolved for `token_hash`, if it was resolved at exactly this stamp.
    pub fn get(&self, token_hash: &str, stamp: &Stamp, now_unix: i64) -> Option<Actor> {
        let entry = self.entries.get(token_hash)?;
        let current = entry.stamp == *stamp && entry.until_unix.is_none_or(|until| now_unix < until);
        current.then(|| entry.actor.clone())
    }

    pub fn put(&self, token_hash: String, stamp: Stamp, actor: Actor, until_unix: Option<i64>) {
        self.entries.insert(
            token_hash,
            Arc::new(Entry {
                stamp,
                actor,
                until_unix,
            }),
        );
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::domain::PermissionSet;

    fn actor() -> Actor {
        Actor {
            session_id: "s".into(),
            user_id: "u".into(),
            email: "a@example.com".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            account_id: "acc".into(),
            account_name: "Acc".into(),
            home_account_id: "acc".into(),
            role_name: "Admin".into(),
            permissions: PermissionSet::from_keys(Vec::<String>::new()),
            is_primary_admin: true,
            managing: None,
            dates: Default::default(),
            currency: Default::default(),
            api_key: None,
        }
    }

    fn stamp(version: i64) -> Stamp {
        Stamp {
            session_id: "s".into(),
            auth_version: version,
            account_id: "acc".into(),
            via_grant: None,
        }
    }

    #[test]
    fn an_entry_is_used_only_at_its_stamp_and_before_its_end() {
        let cache = SessionCache::default();
        cache.put("h".into(), stamp(3), actor(), Some(100));
        assert!(cache.get("h", &stamp(3), 99).is_some());
        assert!(
            cache.get("h", &stamp(4), 99).is_none(),
            "a bumped version is a miss"
        );
        assert!(
            cache.get("h", &stamp(3), 100).is_none(),
            "past the grant's end is a miss"
        );
        assert!(cache.get("other", &stamp(3), 99).is_none());
        let mut moved = stamp(3);
        moved.via_grant = Some("g".into());
        assert!(cache.get("h", &moved, 99).is_none(), "another grant is a miss");
    }
}
