//! The audit log as a hash chain per account, so that a deleted or edited entry shows.
//!
//! Each entry has a link (`audit_link`, keyed as the entry) with its place in its account's chain
//! (`seq`, from 1), the hash of the entry before it, and its own hash over that and every field a
//! reader sees. `audit_head` keeps each account's newest place and hash, so deleting the newest
//! entries shows too.
//!
//! Requests write entries unchained, each with a mark (`audit_pending`); the sealer chains them
//! just after their commit. Chaining in the request's own transaction would make every audited
//! write of an account meet on its head (an agency accepting 50 invitations at once would retry
//! them in turn). The link lives apart from the entry so that an entry is written once, with few
//! indexes: its cost is on every audited request.
use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::store::{self, ChainRow, Sealing};
use crate::core::db::{key, StoreError};
use crate::core::services::Services;

/// Entries chained per round (one transaction).
const BATCH: i64 = 500;

/// What an entry's hash covers, besides the hash before it.
pub struct Fields<'a> {
    pub account: &'a str,
    pub seq: i64,
    /// Nanoseconds since 1970.
    pub at_ns: i64,
    pub actor_user: Option<&'a str>,
    pub actor_name: &'a str,
    pub via_account: Option<&'a str>,
    pub action: &'a str,
    pub detail: &'a str,
}

/// SHA-256 over the hash before and every field, each length-prefixed (and absent fields marked)
/// so that no two different entries hash the same bytes; lowercase hex.
pub fn entry_hash(prev_hash: &str, f: &Fields<'_>) -> String {
    fn part(h: &mut Sha256, text: Option<&str>) {
        match text {
            None => h.update([0u8]),
            Some(t) => {
                h.update([1u8]);
                h.update((t.len() as u64).to_be_bytes());
                h.update(t.as_bytes());
            }
        }
    }
    let mut h = Sha256::new();
    h.update(b"steward-audit-v1");
    let (seq, at) = (f.seq.to_string(), f.at_ns.to_string());
    for text in [
        Some(prev_hash),
        Some(f.account),
        Some(seq.as_str()),
        Some(at.as_str()),
        f.actor_user,
        Some(f.actor_name),
        f.via_account,
        Some(f.action),
        Some(f.detail),
    ] {
        part(&mut h, text);
    }
    hex::encode(h.finalize())
}

fn hash_of(row: &ChainRow, seq: i64, prev_hash: &str) -> String {
    let (account, user, via) = (
        key(&row.account),
        row.actor_user.as_ref().map(key),
        row.via_account.as_ref().map(key),
    );
    entry_hash(
        prev_hash,
        &Fields {
            account: &account,
            seq,
            at_ns: row.at_ns,
            actor_user: user.as_deref(),
            actor_name: &row.actor_name,
            via_account: via.as_deref(),
            action: &row.action,
            detail: &row.detail,
        },
    )
}

/// Chains up to one batch of unchained entries; returns how many.
#[tracing::instrument(skip_all)]
pub async fn seal_pending(services: &Services) -> Result<usize, StoreError> {
    let store::Unsealed { marks, rows, heads } = store::unsealed(&services.db, BATCH).await?;
    if marks.is_empty() {
        return Ok(0);
    }
    let count = marks.len();
    let mut sealing = Sealing::default();
    // A mark whose entry is gone (deleted before it was chained) has nothing to chain.
    let present: std::collections::HashSet<String> = rows.iter().map(|r| key(&r.id)).collect();
    for mark in marks.iter().filter(|m| !present.contains(*m)) {
        sealing.unmark(mark);
    }
    let mut by_account: BTreeMap<String, Vec<ChainRow>> = BTreeMap::new();
    for row in rows {
        by_account.entry(key(&row.account)).or_default().push(row);
    }
    // The filter lists get the values this batch brings that they don't hold yet.
    let mut values: Vec<(String, String, String, String)> = Vec::new();
    for (account, rows) in &by_account {
        for row in rows {
            values.push((
                account.clone(),
                "action".into(),
                row.action.clone(),
                row.action.clone(),
            ));
            if let Some(user) = &row.actor_user {
                values.push((account.clone(), "user".into(), key(user), row.actor_name.clone()));
            }
        }
    }
    values.sort();
    values.dedup_by(|a, b| (&a.0, &a.1, &a.2) == (&b.0, &b.1, &b.2));
    let wanted: Vec<(String, String, String)> = values
        .iter()
        .map(|(a, k, v, _)| (a.clone(), k.clone(), v.clone()))
        .collect();
    let known = store::known_facets(&services.db, &wanted).await?;
    for (account, kind, value, label) in &values {
        if !known.contains(&(account.clone(), kind.clone(), value.clone())) {
            sealing.facet(account, kind, value, label);
        }
    }
    for (account, mut rows) in by_account {
        rows.sort_by(|a, b| a.at_ns.cmp(&b.at_ns).then_with(|| key(&a.id).cmp(&key(&b.id))));
        let (mut seq, mut prev) = heads
            .get(&account)
            .map(|h| (h.seq, h.hash.clone()))
            .unwrap_or((0, String::new()));
        sealing.expect_head(&account, seq);
        for row in rows {
            seq += 1;
            let hash = hash_of(&row, seq, &prev);
            sealing.entry(&account, &key(&row.id), seq, &prev, &hash);
            prev = hash;
        }
        sealing.head(&account, seq, &prev);
    }
    match sealing.commit(&services.db).await {
        // Another sealer moved a head first: this round wrote nothing and can start again.
        Err(StoreError::Db(e)) if e.to_string().contains(CHAIN_MOVED) => {
            Err(StoreError::Conflict(CHAIN_MOVED.into()))
        }
        done => done.map(|()| count),
    }
}

/// What a round says when a head it read was moved by another sealer meanwhile.
pub(super) const CHAIN_MOVED: &str = "audit chain moved";

/// Chains everything written so far, starting a round again when another sealer met it.
pub async fn seal_all(services: &Services) -> Result<usize, StoreError> {
    let (mut total, mut conflicts) = (0, 0);
    loop {
        match seal_pending(services).await {
            Ok(n) => {
                total += n;
                if n < BATCH as usize {
                    return Ok(total);
                }
            }
            Err(StoreError::Conflict(_)) if conflicts < 50 => {
                conflicts += 1;
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Runs for the life of the server: chains new entries when a commit wrote some, and once a
/// second for those of other servers or of writes that did not say so. Two sealers (two
/// servers) never chain one account at once: the head check makes one of them start again.
pub async fn run_sealer(services: Services) {
    loop {
        match seal_all(&services).await {
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "audit sealing failed"),
        }
        tokio::select! {
            _ = services.audit_wakeup.notified() => {
                // Let the requests of the same moment commit, and chain them together.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
        }
    }
}

/// The first entry where an account's chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub account: String,
    /// The place in the chain where it breaks.
    pub seq: i64,
    /// The entry found there, if any.
    pub entry: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "account {}: entry {}", self.account, self.seq)?;
        if let Some(id) = &self.entry {
            write!(f, " (audit:{id})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What `verify` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub accounts: usize,
    pub entries: u64,
    /// Entries not chained yet (the sealer chains them within a second of their write).
    pub unsealed: i64,
    pub breaks: Vec<Break>,
}

/// Checks every account's chain from its first entry to its head and names the first broken
/// entry of each account whose chain breaks.
#[tracing::instrument(skip_all)]
pub async fn verify(services: &Services) -> Result<Report, StoreError> {
    let db = &services.db;
    let mut report = Report {
        unsealed: store::unsealed_count(db).await?,
        ..Report::default()
    };
    for account in store::chained_accounts(db).await? {
        report.accounts += 1;
        let head = store::heads(db, std::slice::from_ref(&account))
            .await?
            .remove(&account);
        let (mut seq, mut prev) = (0_i64, String::new());
        let broken = 'chain: loop {
            let rows = store::chain_after(db, &account, seq, 1000).await?;
            if rows.is_empty() {
                break None;
            }
            for link in rows {
                report.entries += 1;
                let found = link.seq;
                let id = Some(link.key.clone());
                let at = |seq: i64, reason: String| Break {
                    account: account.clone(),
                    seq,
                    entry: id.clone(),
                    reason,
                };
                if found != seq + 1 {
                    break 'chain Some(Break {
                        entry: None,
                        ..at(
                            seq + 1,
                            format!("missing: the chain goes from entry {seq} to entry {found}"),
                        )
                    });
                }
                if link.prev_hash != prev {
                    break 'chain Some(at(found, "does not follow the entry before it".into()));
                }
                let Some(row) = &link.entry else {
                    break 'chain Some(at(found, "missing: the entry was deleted".into()));
                };
                let hash = hash_of(row, found, &prev);
                if link.hash != hash {
                    break 'chain Some(at(found, "changed after it was written".into()));
                }
                seq = found;
                prev = hash;
            }
        };
        let broken = broken.or_else(|| match &head {
            Some(h) if h.seq > seq => Some(Break {
                account: account.clone(),
                seq: seq + 1,
                entry: None,
                reason: format!("missing: the log ends at entry {seq} but had {} entries", h.seq),
            }),
            Some(h) if h.seq != seq || h.hash != prev => Some(Break {
                account: account.clone(),
                seq,
                entry: None,
                reason: "the newest entry is not the one last chained".into(),
            }),
            None if seq > 0 => Some(Break {
                account: account.clone(),
                seq,
                entry: None,
                reason: "the record of the newest entry is missing".into(),
            }),
            _ => None,
        });
        report.breaks.extend(broken);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(detail: &'a str, user: Option<&'a str>) -> Fields<'a> {
        Fields {
            account: "a1",
            seq: 1,
            at_ns: 1_795_428_000_000_000_000,
            actor_user: user,
            actor_name: "Pat",
            via_account: None,
            action: "user.added",
            detail,
        }
    }

    #[test]
    fn the_hash_covers_every_field_and_the_hash_before() {
        let base = entry_hash("", &fields("Added x", Some("u1")));
        assert_eq!(base.len(), 64);
        assert_eq!(base, entry_hash("", &fields("Added x", Some("u1"))));
        assert_ne!(base, entry_hash("", &fields("Added y", Some("u1"))));
        assert_ne!(base, entry_hash("", &fields("Added x", None)));
        assert_ne!(base, entry_hash("", &fields("Added x", Some(""))));
        assert_ne!(base, entry_hash("00", &fields("Added x", Some("u1"))));
    }

    #[test]
    fn moving_text_from_one_field_to_the_next_changes_the_hash() {
        let mut a = fields("x", None);
        a.action = "user.added";
        let mut b = fields("dx", None);
        b.action = "user.adde";
        assert_ne!(entry_hash("", &a), entry_hash("", &b));
    }
}
