//! Billing as both sides see it: an account's status, its plan, who pays and on which terms.
//! Plain Rust and serde only, shared by the browser and the server.
use serde::{Deserialize, Serialize};

pub use crate::core::domain::locale::Currency;
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

/// What an account costs per month, and what that means for the agency that made it. Amounts
/// are in `currency`'s minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub monthly: i64,
    pub currency: Currency,
    pub payer: Payer,
    /// Whether an agency made the account: its discount or commission applies.
    pub has_agency: bool,
    pub discount_percent: i64,
    pub commission_percent: i64,
}

impl Terms {
    /// What the payer is charged per month: the agency pays less its discount.
    pub fn charged(&self) -> i64 {
        match self.payer {
            Payer::Agency => self.monthly * (100 - self.discount_percent) / 100,
            Payer::Client => self.monthly,
        }
    }

    /// What the agency earns per month when its client pays.
    pub fn commission(&self) -> i64 {
        match (self.payer, self.has_agency) {
            (Payer::Client, true) => self.monthly * self.commission_percent / 100,
            _ => 0,
        }
    }

    /// What the account adds to its agency's monthly totals in its currency (pays, earns): only
    /// a running subscription counts, a trial costs nothing.
    pub fn agency_share(&self, status: AccountStatus) -> (i64, i64) {
        if status != AccountStatus::Active || !self.has_agency {
            return (0, 0);
        }
        match self.payer {
            Payer::Agency => (self.charged(), 0),
            Payer::Client => (0, self.commission()),
        }
    }
}

/// The monthly price of a level with a CMS plan in `currency`'s price list, in its minor
/// units; `None` for an unknown key.
pub fn monthly_price(level: &str, cms_plan: &str, currency: Currency) -> Option<i64> {
    Some(plans::level(level)?.price(currency) + plans::cms_plan(cms_plan)?.price(currency))
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
    /// The currency of the amounts: the running subscription's, fixed when it started, or
    /// else the payer's Localization currency.
    pub currency: Currency,
    /// A subscription runs: its currency no longer follows the payer's Localization.
    pub currency_fixed: bool,
    pub monthly: i64,
    pub payer: Payer,
    /// The agency that made the account, when one did.
    pub agency_name: Option<String>,
    pub discount_percent: i64,
    pub commission_percent: i64,
    /// What the payer is charged per month.
    pub charged: i64,
    /// What the agency earns per month from the client's payment.
    pub commission_amount: i64,
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
    /// What the client would pay once the payment is theirs: the full price in their own
    /// Localization currency.
    pub client_price: i64,
    pub client_currency: Currency,
}

/// One Managed accounts row's billing, for an account the agency made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowBilling {
    /// "Pro · Starter CMS".
    pub plan: String,
    pub payer: Payer,
    /// What the payer is charged per month, in `currency`.
    pub monthly: i64,
    pub currency: Currency,
}

/// Above the Managed accounts list: the agency's month, from its running subscriptions, one
/// line per currency they are charged in (the currencies' price lists are not conversions of
/// each other, so they are not added up).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AgencyTotals {
    /// Only currencies with something to show, in [`Currency::ALL`]'s order.
    pub by_currency: Vec<CurrencyTotals>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyTotals {
    pub currency: Currency,
    /// What the agency pays per month for the client accounts it pays for, after its discount.
    pub pays: i64,
    /// The commission it earns per month on the client accounts its clients pay for.
    pub earns: i64,
}

impl AgencyTotals {
    /// Totals from (currency, pays, earns) parts, in any order; empty ones left out.
    pub fn from_parts(parts: impl IntoIterator<Item = (Currency, i64, i64)>) -> Self {
        let mut by_currency: Vec<CurrencyTotals> = Vec::new();
        for (currency, pays, earns) in parts {
            match by_currency.iter_mut().find(|t| t.currency == currency) {
                Some(t) => {
                    t.pays += pays;
                    t.earns += earns;
                }
                None => by_currency.push(CurrencyTotals {
                    currency,
                    pays,
                    earns,
                }),
            }
        }
        by_currency.retain(|t| t.pays != 0 || t.earns != 0);
        by_currency.sort_by_key(|t| t.currency.index());
        Self { by_currency }
    }

    /// "$246.00 + €95.00": what the agency pays, each currency on its own; nothing is written
    /// in `home`, the agency's own currency.
    pub fn pays_text(&self, home: Currency) -> String {
        self.text(home, |t| t.pays)
    }

    /// The commission earned, written as [`Self::pays_text`].
    pub fn earns_text(&self, home: Currency) -> String {
        self.text(home, |t| t.earns)
    }

    fn text(&self, home: Currency, amount: fn(&CurrencyTotals) -> i64) -> String {
        let parts: Vec<String> = self
            .by_currency
            .iter()
            .filter(|t| amount(t) != 0)
            .map(|t| t.currency.format(amount(t)))
            .collect();
        if parts.is_empty() {
            home.format(0)
        } else {
            parts.join(" + ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(payer: Payer, has_agency: bool) -> Terms {
        Terms {
            monthly: monthly_price("pro", "starter", Currency::Usd).expect("known plans"),
            currency: Currency::Usd,
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
        assert_eq!(agency.charged(), 24_600);
        assert_eq!(agency.agency_share(AccountStatus::Active), (24_600, 0));
        let client = terms(Payer::Client, true);
        assert_eq!(client.charged(), 32_800);
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
    fn each_currency_has_its_own_price_list() {
        // Pro + Starter CMS: €279 + €27 = €306 a month; ¥44,900 + ¥4,500 = ¥49,400.
        assert_eq!(monthly_price("pro", "starter", Currency::Eur), Some(30_600));
        assert_eq!(monthly_price("pro", "starter", Currency::Jpy), Some(49_400));
        assert_eq!(monthly_price("gold", "starter", Currency::Eur), None);
        let euros = Terms {
            monthly: 30_600,
            currency: Currency::Eur,
            ..terms(Payer::Agency, true)
        };
        assert_eq!(euros.charged(), 22_950);
    }

    #[test]
    fn totals_keep_each_currency_apart() {
        let totals = AgencyTotals::from_parts([
            (Currency::Eur, 22_950, 0),
            (Currency::Usd, 24_600, 8_200),
            (Currency::Gbp, 0, 0),
            (Currency::Eur, 0, 1_000),
        ]);
        assert_eq!(totals.pays_text(Currency::Gbp), "$246.00 + €229.50");
        assert_eq!(totals.earns_text(Currency::Gbp), "$82.00 + €10.00");
        assert_eq!(totals.by_currency.len(), 2);
        assert_eq!(AgencyTotals::default().pays_text(Currency::Gbp), "£0.00");
    }
}
