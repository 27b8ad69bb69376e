//! The grant state machine: the one record behind account managers and managed accounts.
//!
//! Every change of state goes through [`GrantState::apply`]; a change that no longer applies is
//! refused with a message a person can read, and nothing changes.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GrantState {
    Pending,
    Active,
    Rejected,
    Denied,
    Revoked,
    Expired,
}

/// Who started the grant: the owner invites a manager, or an agency requests access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Initiator {
    Owner,
    Agency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantEvent {
    /// The invited manager accepts (owner-initiated).
    Accept,
    /// The invited manager rejects (owner-initiated).
    Reject,
    /// The owner grants an agency's request (agency-initiated).
    Approve,
    /// The owner denies an agency's request (agency-initiated).
    Deny,
    /// The owner revokes an active grant.
    Revoke,
    /// The owner grants a revoked grant again.
    GrantAgain,
    /// A new link and expiry for a pending or expired invitation.
    Resend,
    /// The invitation was not answered in time, or the access end date passed.
    Expire,
}

/// A step the grant's state does not allow, with the state it is in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    pub from: GrantState,
    pub message: String,
}

impl Initiator {
    pub fn key(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Agency => "agency",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [Self::Owner, Self::Agency].into_iter().find(|i| i.key() == key)
    }
}

impl GrantState {
    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
            Self::Rejected => "rejected",
            Self::Denied => "denied",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Active,
            Self::Rejected,
            Self::Denied,
            Self::Revoked,
            Self::Expired,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// The label a user sees.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Active => "Active",
            Self::Rejected => "Rejected",
            Self::Denied => "Denied",
            Self::Revoked => "Revoked",
            Self::Expired => "Expired",
        }
    }

    /// Does this state let the managing account in?
    pub fn gives_access(self) -> bool {
        self == Self::Active
    }

    /// The state after `event`, or why the event no longer applies.
    pub fn apply(self, event: GrantEvent, initiator: Initiator) -> Result<GrantState, Refused> {
        use GrantEvent as E;
        use GrantState as S;
        match (self, event, initiator) {
            (S::Pending, E::Accept, Initiator::Owner) => Ok(S::Active),
            (S::Pending, E::Reject, Initiator::Owner) => Ok(S::Rejected),
            (S::Pending, E::Approve, Initiator::Agency) => Ok(S::Active),
            (S::Pending, E::Deny, Initiator::Agency) => Ok(S::Denied),
            (S::Active, E::Revoke, _) => Ok(S::Revoked),
            (S::Revoked, E::GrantAgain, _) => Ok(S::Active),
            // The owner sends an invitation again, the agency its request (issue 14).
            (S::Pending | S::Expired, E::Resend, _) => Ok(S::Pending),
            (S::Pending | S::Active, E::Expire, _) => Ok(S::Expired),
            (from, event, _) => Err(Refused {
                from,
                message: refusal(from, event),
            }),
        }
    }
}

fn refusal(from: GrantState, event: GrantEvent) -> String {
    use GrantEvent as E;
    use GrantState as S;
    match (from, event) {
        (S::Active, E::Accept | E::Approve | E::GrantAgain) => "Access is already active.".into(),
        (S::Revoked, E::Accept | E::Reject | E::Approve | E::Deny) => "This invitation was revoked.".into(),
        (S::Expired, E::Accept | E::Reject | E::Approve | E::Deny) => "This invitation has expired.".into(),
        (S::Rejected, _) => "This invitation was rejected.".into(),
        (S::Denied, _) => "This request was denied.".into(),
        (S::Active, E::Reject | E::Deny) => "This invitation was already accepted.".into(),
        (S::Pending, E::Revoke) => "This invitation is still pending: delete it instead.".into(),
        (S::Revoked, E::Revoke) => "Access is already revoked.".into(),
        (S::Active, E::Resend) => "Access is active: there is nothing to resend.".into(),
        (S::Revoked, E::Resend) => "Access was revoked: grant access again instead.".into(),
        (from, _) => format!(
            "This can't be done while the grant is {}.",
            from.label().to_lowercase()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use GrantEvent as E;
    use GrantState as S;

    #[test]
    fn states_and_initiators_read_back_from_their_keys() {
        for s in STATES {
            assert_eq!(GrantState::from_key(s.key()), Some(s));
        }
        for i in [Initiator::Owner, Initiator::Agency] {
            assert_eq!(Initiator::from_key(i.key()), Some(i));
        }
        assert_eq!(GrantState::from_key("paused"), None);
        assert_eq!(Initiator::from_key("vendor"), None);
    }

    const STATES: [GrantState; 6] = [
        S::Pending,
        S::Active,
        S::Rejected,
        S::Denied,
        S::Revoked,
        S::Expired,
    ];
    const EVENTS: [GrantEvent; 8] = [
        E::Accept,
        E::Reject,
        E::Approve,
        E::Deny,
        E::Revoke,
        E::GrantAgain,
        E::Resend,
        E::Expire,
    ];

    /// The whole table: every state, event and initiator, allowed or refused.
    #[test]
    fn every_transition_is_allowed_or_refused_as_specified() {
        let allowed = |s: GrantState, e: GrantEvent, i: Initiator| -> Option<GrantState> {
            match (s, e, i) {
                (S::Pending, E::Accept, Initiator::Owner) => Some(S::Active),
                (S::Pending, E::Reject, Initiator::Owner) => Some(S::Rejected),
                (S::Pending, E::Approve, Initiator::Agency) => Some(S::Active),
                (S::Pending, E::Deny, Initiator::Agency) => Some(S::Denied),
                (S::Active, E::Revoke, _) => Some(S::Revoked),
                (S::Revoked, E::GrantAgain, _) => Some(S::Active),
                (S::Pending, E::Resend, _) | (S::Expired, E::Resend, _) => Some(S::Pending),
                (S::Pending, E::Expire, _) | (S::Active, E::Expire, _) => Some(S::Expired),
                _ => None,
            }
        };
        let mut checked = 0;
        for s in STATES {
            for e in EVENTS {
                for i in [Initiator::Owner, Initiator::Agency] {
                    let got = s.apply(e, i);
                    match allowed(s, e, i) {
                        Some(to) => assert_eq!(got, Ok(to), "{s:?} --{e:?}/{i:?}-->"),
                        None => {
                            let refused = got.expect_err("must be refused");
                            assert!(!refused.message.is_empty());
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 96);
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(
            S::Revoked
                .apply(E::Accept, Initiator::Owner)
                .expect_err("x")
                .message,
            "This invitation was revoked."
        );
        assert_eq!(
            S::Active
                .apply(E::Accept, Initiator::Owner)
                .expect_err("x")
                .message,
            "Access is already active."
        );
        assert_eq!(
            S::Expired
                .apply(E::Accept, Initiator::Owner)
                .expect_err("x")
                .message,
            "This invitation has expired."
        );
        assert_eq!(
            S::Pending
                .apply(E::Approve, Initiator::Owner)
                .expect_err("x")
                .message,
            "This can't be done while the grant is pending."
        );
    }

    #[test]
    fn only_active_gives_access() {
        for s in STATES {
            assert_eq!(s.gives_access(), s == S::Active);
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in STATES {
            assert_eq!(GrantState::from_key(s.key()), Some(s));
        }
    }
}
