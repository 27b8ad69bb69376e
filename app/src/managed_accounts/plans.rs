//! What a new client account can be: account levels, CMS plans, and the terms for who pays.
//! The one place where prices and percentages live.

pub struct Plan {
    pub key: &'static str,
    pub label: &'static str,
    /// Monthly price in cents (USD).
    pub monthly_cents: i64,
}

pub const ACCOUNT_LEVELS: &[Plan] = &[
    Plan {
        key: "basic",
        label: "Basic",
        monthly_cents: 9_900,
    },
    Plan {
        key: "plus",
        label: "Plus",
        monthly_cents: 19_900,
    },
    Plan {
        key: "pro",
        label: "Pro",
        monthly_cents: 29_900,
    },
    Plan {
        key: "enterprise",
        label: "Enterprise",
        monthly_cents: 49_900,
    },
];

pub const CMS_PLANS: &[Plan] = &[
    Plan {
        key: "none",
        label: "No CMS",
        monthly_cents: 0,
    },
    Plan {
        key: "starter",
        label: "Starter CMS",
        monthly_cents: 2_900,
    },
    Plan {
        key: "business",
        label: "Business CMS",
        monthly_cents: 7_900,
    },
];

/// "My agency": the agency owns and pays for the account, at this discount.
pub const AGENCY_DISCOUNT_PERCENT: i64 = 25;
/// "My client": the client owns and pays; the agency earns this commission.
pub const CLIENT_COMMISSION_PERCENT: i64 = 25;
/// Every new account starts with a free trial this long.
pub const TRIAL_DAYS: i64 = 14;

pub fn level(key: &str) -> Option<&'static Plan> {
    ACCOUNT_LEVELS.iter().find(|p| p.key == key)
}

pub fn cms_plan(key: &str) -> Option<&'static Plan> {
    CMS_PLANS.iter().find(|p| p.key == key)
}

/// Who pays for a new client account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Payer {
    Agency,
    Client,
}

impl Payer {
    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "agency" => Some(Self::Agency),
            "client" => Some(Self::Client),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Agency => "agency",
            Self::Client => "client",
        }
    }

    /// (discount for the agency, commission for the agency), in percent.
    pub fn terms(self) -> (i64, i64) {
        match self {
            Self::Agency => (AGENCY_DISCOUNT_PERCENT, 0),
            Self::Client => (0, CLIENT_COMMISSION_PERCENT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_of_paying_has_its_terms() {
        assert_eq!(Payer::parse("agency").map(Payer::terms), Some((25, 0)));
        assert_eq!(Payer::parse("client").map(Payer::terms), Some((0, 25)));
        assert_eq!(Payer::parse("nobody"), None);
        assert!(level("pro").is_some() && cms_plan("none").is_some() && level("gold").is_none());
    }
}
