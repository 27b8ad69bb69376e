//! What a new client account can be: account levels, CMS plans, and the terms for who pays.
//! The one place where prices and percentages live.
use crate::core::domain::locale::Currency;

pub struct Plan {
    pub key: &'static str,
    pub label: &'static str,
    /// The monthly price list: one price per currency, in its minor units, in
    /// [`Currency::ALL`]'s order. Each is a list price of its own, not a conversion.
    pub monthly: [i64; 6],
}

impl Plan {
    /// The monthly price in `currency`'s minor units.
    pub fn price(&self, currency: Currency) -> i64 {
        self.monthly[currency.index()]
    }
}

pub const ACCOUNT_LEVELS: &[Plan] = &[
    Plan {
        key: "basic",
        label: "Basic",
        monthly: [9_900, 9_500, 7_900, 14_900, 13_500, 14_900],
    },
    Plan {
        key: "plus",
        label: "Plus",
        monthly: [19_900, 18_900, 15_900, 29_900, 26_900, 29_900],
    },
    Plan {
        key: "pro",
        label: "Pro",
        monthly: [29_900, 27_900, 23_900, 44_900, 39_900, 44_900],
    },
    Plan {
        key: "enterprise",
        label: "Enterprise",
        monthly: [49_900, 46_900, 39_900, 74_900, 67_900, 74_900],
    },
];

pub const CMS_PLANS: &[Plan] = &[
    Plan {
        key: "none",
        label: "No CMS",
        monthly: [0, 0, 0, 0, 0, 0],
    },
    Plan {
        key: "starter",
        label: "Starter CMS",
        monthly: [2_900, 2_700, 2_300, 4_500, 3_900, 4_500],
    },
    Plan {
        key: "business",
        label: "Business CMS",
        monthly: [7_900, 7_500, 6_300, 11_900, 10_500, 11_900],
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

    #[test]
    fn every_plan_has_a_price_in_every_currency() {
        for plan in ACCOUNT_LEVELS.iter().chain(CMS_PLANS) {
            for c in Currency::ALL {
                assert!(plan.price(c) >= 0, "{} in {}", plan.key, c.code());
            }
            // A paid plan costs something everywhere, a free one nothing anywhere.
            let paid = plan.price(Currency::Usd) > 0;
            assert!(
                Currency::ALL.iter().all(|&c| (plan.price(c) > 0) == paid),
                "{}",
                plan.key
            );
        }
        assert_eq!(level("pro").map(|p| p.price(Currency::Eur)), Some(27_900));
        assert_eq!(level("basic").map(|p| p.price(Currency::Jpy)), Some(14_900));
    }
}
