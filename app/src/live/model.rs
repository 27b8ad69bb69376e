//! What a live channel tells a page: which of its tables changed. Never the data itself: the
//! page reads it again through its own server function, with that function's permission checks.
use serde::{Deserialize, Serialize};

/// A table a page shows, as the live channel names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Topic {
    /// Grants, either side: Account managers, Managed accounts, the invitation and request pages.
    Grants,
    /// The account's users (memberships): Users.
    Users,
    /// Team roles.
    Roles,
    /// Account templates.
    Templates,
    /// The user's own sessions: Your sessions.
    Sessions,
    /// The audit log.
    Audit,
    /// Webhook endpoints and their deliveries.
    Webhooks,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::Grants,
        Topic::Users,
        Topic::Roles,
        Topic::Templates,
        Topic::Sessions,
        Topic::Audit,
        Topic::Webhooks,
    ];

    /// The name of its server-sent event.
    pub fn key(self) -> &'static str {
        match self {
            Topic::Grants => "grants",
            Topic::Users => "users",
            Topic::Roles => "roles",
            Topic::Templates => "templates",
            Topic::Sessions => "sessions",
            Topic::Audit => "audit",
            Topic::Webhooks => "webhooks",
        }
    }

    pub fn from_key(key: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// The event that tells a page its session ended (force logout, deleted user, or this browser
/// moved to a new session): go home, which leads to log in when there is no session.
pub const ENDED: &str = "ended";
/// The event that tells a page its session now acts elsewhere (a grant ended): go home.
pub const MOVED: &str = "moved";
/// The event that tells a page it may have missed changes: read every table again.
pub const EVERYTHING: &str = "everything";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_reads_back_from_its_key() {
        for topic in Topic::ALL {
            assert_eq!(Topic::from_key(topic.key()), Some(topic));
        }
        assert_eq!(Topic::from_key(ENDED), None);
        assert_eq!(Topic::from_key(MOVED), None);
        assert_eq!(Topic::from_key(EVERYTHING), None);
    }
}
