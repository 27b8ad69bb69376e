//! Billing as both sides see it: an account's status, its plan, who pays and on which terms.
//! Plain Rust and serde only, shared by the browser and the server.
use serde::{Deserialize, Serialize};

use crate::managed_accounts::plans::{self, Payer};

/// "Account status": where the account stands with its subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountStatus {
    FreeTrial,
    Active,
    TrialEnded,
}

impl AccountStatus {
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "free_trial" => Some(Self::FreeTrial),
            "active" => Some(Self::Active),
            "trial_ended" => Some(Self::TrialEnded),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::FreeTrial => "free_trial",
            Self::Active => "active",
            Self::TrialEnded => "trial_ended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::FreeTrial => "Free trial",
            Self::Active => "Active",
            Self::TrialEnded => "Trial ended",
        }
    }

    /// A trial past its end reads as ended, even before the sweep records it.
    pub fn effective(self, trial_ended: bool) -> Self {
        if self == Self::FreeTrial && trial_ended {
            Self::TrialEnded
        } else {
            self
        }
    }

    /// Whether the payer can start the paid subscription from here.
    pub fn can_start(self) -> bool {
        self != Self::Active
    }
}

/// What an account costs per month, and what that means for the agency that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub monthly_cents: i64,
    pub payer: Payer,
    /// Whether an agency made the account: its discount or commission applies.
    pub has_agency: bool,
    pub discount_percent: i64,
    pub commission_percent: i64,
}

impl Terms {
    /// What the payer is charged per month: the agency pays less its discount.
    pub fn charged_cents(&self) -> i64 {
        match self.payer {
            Payer::Agency => self.monthly_cents * (100 - self.discount_percent) / 100,
            Payer::Client => self.monthly_cents,
        }
    }

    /// What the agency earns per month when its client pays.
    pub fn commission_cents(&self) -> i64 {
        match (self.payer, self.has_agency) {
            (Payer::Client, true) => self.monthly_cents * self.commission_percent / 100,
            _ => 0,
        }
    }

    /// What the account adds to its agency's monthly totals (pays, earns): only a running
    /// subscription counts, a trial costs nothing.
    pub fn agency_share(&self, status: AccountStatus) -> (i64, i64) {
        if status != AccountStatus::Active || !self.has_agency {
            return (0, 0);
        }
        match self.payer {
            Payer::Agency => (self.charged_cents(), 0),
            Payer::Client => (0, self.commission_cents()),
        }
    }
}

/// The monthly price of a level with a CMS plan, in cents; `None` for an unknown key.
pub fn monthly_cents(level: &str, cms_plan: &str) -> Option<i64> {
    Some(plans::level(level)?.monthly_cents + plans::cms_plan(cms_plan)?.monthly_cents)
}

/// US dollars from cents, as the plans are priced: "$1,234.50".
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{:02}", cents % 100)
}

/// The Billing page of the account acted in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingView {
    pub account_name: String,
    pub level: String,
    pub cms_plan: String,
    pub status: AccountStatus,
    /// "2026-12-08", while the account has a trial end.
    pub trial_ends_on: Option<String>,
    pub subscribed_on: Option<String>,
    pub monthly_cents: i64,
    pub payer: Payer,
    /// The agency that made the account, when one did.
    pub agency_name: Option<String>,
    pub discount_percent: i64,
    pub commission_percent: i64,
    /// What the payer is charged per month.
    pub charged_cents: i64,
    /// What the agency earns per month from the client's payment.
    pub commission_cents: i64,
    /// The viewer acts for the agency that made the account (through a grant).
    pub viewer_is_agency: bool,
    /// The actor is the payer: they may start the subscription and change the plan.
    pub is_payer: bool,
    /// The agency, acting in its client's account, may offer the payment to the client.
    pub can_hand_over: bool,
    /// The client's own users may take the payment over from the agency.
    pub can_take_over: bool,
    /// The agency asked the client to take the payment over, on this day.
    pub handover_offered_on: Option<String>,
}

/// One Managed accounts row's billing, for an account the agency made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowBilling {
    /// "Pro · Starter CMS".
    pub plan: String,
    pub payer: Payer,
    /// What the payer is charged per month.
    pub monthly_cents: i64,
}

/// Above the Managed accounts list: the agency's month, from its running subscriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AgencyTotals {
    /// What the agency pays per month for the client accounts it pays for, after its discount.
    pub pays_cents: i64,
    /// The commission it earns per month on the client accounts its clients pay for.
    pub earns_cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(payer: Payer, has_agency: bool) -> Terms {
        Terms {
            monthly_cents: monthly_cents("pro", "starter").expect("known plans"),
            payer,
            has_agency,
            discount_percent: if payer == Payer::Agency { 25 } else { 0 },
            commission_percent: if payer == Payer::Client { 25 } else { 0 },
        }
    }

    #[test]
    fn the_agency_pays_less_its_discount_and_earns_its_commission() {
        // Pro 299 + Starter CMS 29 = 328 a month.
        let agency = terms(Payer::Agency, true);
        assert_eq!(agency.charged_cents(), 24_600);
        assert_eq!(agency.agency_share(AccountStatus::Active), (24_600, 0));
        let client = terms(Payer::Client, true);
        assert_eq!(client.charged_cents(), 32_800);
        assert_eq!(client.agency_share(AccountStatus::Active), (0, 8_200));
    }

    #[test]
    fn only_a_running_subscription_of_an_agencys_account_counts() {
        let agency = terms(Payer::Agency, true);
        assert_eq!(agency.agency_share(AccountStatus::FreeTrial), (0, 0));
        assert_eq!(agency.agency_share(AccountStatus::TrialEnded), (0, 0));
        assert_eq!(
            terms(Payer::Client, false).agency_share(AccountStatus::Active),
            (0, 0)
        );
    }

    #[test]
    fn a_trial_past_its_end_reads_as_ended() {
        assert_eq!(
            AccountStatus::FreeTrial.effective(true),
            AccountStatus::TrialEnded
        );
        assert_eq!(
            AccountStatus::FreeTrial.effective(false),
            AccountStatus::FreeTrial
        );
        assert_eq!(AccountStatus::Active.effective(true), AccountStatus::Active);
        for s in [
            AccountStatus::FreeTrial,
            AccountStatus::Active,
            AccountStatus::TrialEnded,
        ] {
            assert_eq!(AccountStatus::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn dollars_read_as_people_write_them() {
        assert_eq!(dollars(9_900), "$99.00");
        assert_eq!(dollars(12_345_675), "$123,456.75");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(-2_500), "-$25.00");
    }
}
