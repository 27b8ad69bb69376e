//! The events an account's webhook endpoints can subscribe to: their stable names (the `type` of
//! a delivery, part of the API's contract) and their labels on the Webhooks page.

/// Something that happened in an account that its own systems may want to hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    GrantInvited,
    GrantRequested,
    GrantAccepted,
    GrantRejected,
    GrantGranted,
    GrantDenied,
    GrantRevoked,
    GrantDeleted,
    GrantExpired,
    ManagedAccountCreated,
    ManagedAccountUnlinked,
    UserAdded,
    UserDeleted,
    UserForcedOut,
    ManagerLoggedIn,
    ManagerBackHome,
}

impl EventType {
    pub const ALL: [Self; 16] = [
        Self::GrantInvited,
        Self::GrantRequested,
        Self::GrantAccepted,
        Self::GrantRejected,
        Self::GrantGranted,
        Self::GrantDenied,
        Self::GrantRevoked,
        Self::GrantDeleted,
        Self::GrantExpired,
        Self::ManagedAccountCreated,
        Self::ManagedAccountUnlinked,
        Self::UserAdded,
        Self::UserDeleted,
        Self::UserForcedOut,
        Self::ManagerLoggedIn,
        Self::ManagerBackHome,
    ];

    /// The name a delivery carries in `type`; never changed once published.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GrantInvited => "grant.invited",
            Self::GrantRequested => "grant.requested",
            Self::GrantAccepted => "grant.accepted",
            Self::GrantRejected => "grant.rejected",
            Self::GrantGranted => "grant.granted",
            Self::GrantDenied => "grant.denied",
            Self::GrantRevoked => "grant.revoked",
            Self::GrantDeleted => "grant.deleted",
            Self::GrantExpired => "grant.expired",
            Self::ManagedAccountCreated => "managed_account.created",
            Self::ManagedAccountUnlinked => "managed_account.unlinked",
            Self::UserAdded => "user.added",
            Self::UserDeleted => "user.deleted",
            Self::UserForcedOut => "user.forced_out",
            Self::ManagerLoggedIn => "manager.logged_in",
            Self::ManagerBackHome => "manager.back_home",
        }
    }

    /// What the Webhooks page says next to its checkbox.
    pub fn label(self) -> &'static str {
        match self {
            Self::GrantInvited => "An account manager is invited",
            Self::GrantRequested => "An agency requests access",
            Self::GrantAccepted => "An invitation is accepted",
            Self::GrantRejected => "An invitation is rejected",
            Self::GrantGranted => "Access is granted",
            Self::GrantDenied => "A request is denied",
            Self::GrantRevoked => "Access is revoked",
            Self::GrantDeleted => "An account manager is deleted",
            Self::GrantExpired => "An invitation expires",
            Self::ManagedAccountCreated => "A client account is created",
            Self::ManagedAccountUnlinked => "A managed account is unlinked",
            Self::UserAdded => "A user is added",
            Self::UserDeleted => "A user is deleted",
            Self::UserForcedOut => "A user is logged out by force",
            Self::ManagerLoggedIn => "A manager logs in to a managed account",
            Self::ManagerBackHome => "A manager goes back to their own account",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::EventType;

    #[test]
    fn every_event_has_one_name_that_parses_back() {
        let mut names: Vec<_> = EventType::ALL.iter().map(|e| e.as_str()).collect();
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()), Some(e));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
        assert_eq!(EventType::parse("grant.unknown"), None);
    }
}
