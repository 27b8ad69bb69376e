//! An account's billing record, the agency totals it feeds, and the trials the sweep looks at.
use surrealdb::types::{Datetime, RecordId, SurrealValue};

use crate::billing::model::{AccountStatus, AgencyTotals, Currency};
use crate::core::db::{checked, db_err, key, rid, Db, StoreError, Tx};
use crate::managed_accounts::plans::Payer;

#[derive(Debug, Clone, SurrealValue)]
struct BillingRecord {
    id: RecordId,
    name: String,
    status: String,
    level: String,
    cms_plan: String,
    paid_by: Option<String>,
    discount_percent: i64,
    commission_percent: i64,
    created_by_account: Option<RecordId>,
    agency_name: Option<String>,
    agency_email: Option<String>,
    owner_email: Option<String>,
    trial_ends_at: Option<Datetime>,
    subscribed_at: Option<Datetime>,
    handover_offered_at: Option<Datetime>,
    /// The account's Localization currency, and its agency's.
    currency: Option<String>,
    agency_currency: Option<String>,
    subscription_currency: Option<String>,
}

/// An account's billing as stored, read whole so that a change can say what it replaces.
#[derive(Debug, Clone)]
pub struct Billing {
    pub account_key: String,
    pub name: String,
    /// As stored: a trial past its end is still `FreeTrial` until the sweep.
    pub status: AccountStatus,
    pub level: String,
    pub cms_plan: String,
    pub payer: Payer,
    pub discount_percent: i64,
    pub commission_percent: i64,
    /// The agency that made the account, if one did.
    pub agency_key: Option<String>,
    pub agency_name: Option<String>,
    /// The agency's primary admin, who hears of the changes that touch its bill.
    pub agency_email: Option<String>,
    pub owner_email: Option<String>,
    pub trial_ends_at: Option<chrono::DateTime<chrono::Utc>>,
    pub subscribed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub handover_offered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The account's own Localization currency: what its users pay in.
    pub own_currency: Currency,
    /// The agency's Localization currency: what it pays in.
    pub agency_currency: Currency,
    /// Fixed when the subscription started (and when its payer changed since).
    pub subscription_currency: Option<Currency>,
}

impl Billing {
    /// The payer's Localization currency.
    pub fn payer_currency(&self, payer: Payer) -> Currency {
        match payer {
            Payer::Agency => self.agency_currency,
            Payer::Client => self.own_currency,
        }
    }

    /// What the bill is in: the running subscription's currency, or else the payer's, which
    /// follows their Localization until a subscription starts.
    pub fn currency(&self) -> Currency {
        self.subscription_currency
            .unwrap_or_else(|| self.payer_currency(self.payer))
    }
}

impl TryFrom<BillingRecord> for Billing {
    type Error = StoreError;

    fn try_from(r: BillingRecord) -> Result<Self, StoreError> {
        let status = AccountStatus::from_key(&r.status)
            .ok_or_else(|| StoreError::Unreadable(format!("account {} status {:?}", key(&r.id), r.status)))?;
        // An account nobody made for it (a sign-up) is paid by its own users.
        let payer = match r.paid_by.as_deref() {
            Some("agency") if r.created_by_account.is_some() => Payer::Agency,
            _ => Payer::Client,
        };
        Ok(Self {
            account_key: key(&r.id),
            name: r.name,
            status,
            level: r.level,
            cms_plan: r.cms_plan,
            payer,
            discount_percent: r.discount_percent,
            commission_percent: r.commission_percent,
            agency_key: r.created_by_account.as_ref().map(key),
            agency_name: r.agency_name,
            agency_email: r.agency_email,
            owner_email: r.owner_email,
            trial_ends_at: r.trial_ends_at.map(|t| *t),
            subscribed_at: r.subscribed_at.map(|t| *t),
            handover_offered_at: r.handover_offered_at.map(|t| *t),
            own_currency: Currency::of_stored(r.currency.as_deref()),
            agency_currency: Currency::of_stored(r.agency_currency.as_deref()),
            subscription_currency: r
                .subscription_currency
                .as_deref()
                .map(|c| Currency::of_stored(Some(c))),
        })
    }
}

const COLUMNS: &str = "id, name, status, level, cms_plan, paid_by, discount_percent, commission_percent,
    created_by_account, created_by_account.name AS agency_name,
    created_by_account.primary_admin.email AS agency_email, primary_admin.email AS owner_email,
    trial_ends_at, subscribed_at, handover_offered_at,
    currency, created_by_account.currency AS agency_currency, subscription_currency";

pub async fn read(db: &Db, account_key: &str) -> Result<Option<Billing>, StoreError> {
    let res = db
        .query(format!("SELECT {COLUMNS} FROM ONLY $account"))
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let row: Option<BillingRecord> = checked(res)?.take(0).map_err(db_err)?;
    row.map(Billing::try_from).transpose()
}

/// What a Managed accounts row shows of the billing of an account the agency made, kept on its
/// grant (`grant.billing`, migration 0028) so that the page reads nothing more: plain fields.
#[derive(Debug, Clone, SurrealValue)]
pub struct GrantBilling {
    status: String,
    level: String,
    cms_plan: String,
    paid_by: Option<String>,
    discount_percent: i64,
    commission_percent: i64,
    trial_ends_at: Option<Datetime>,
    /// The client's Localization currency.
    currency: Option<String>,
    subscription_currency: Option<String>,
}

impl GrantBilling {
    /// The billing of `account_key`, made by `agency_key` (whose Localization currency is
    /// `agency_currency`); only the fields a row shows.
    pub fn into_billing(
        self,
        account_key: &str,
        agency_key: &str,
        agency_currency: Currency,
    ) -> Result<Billing, StoreError> {
        Billing::try_from(BillingRecord {
            id: rid("account", account_key),
            name: String::new(),
            status: self.status,
            level: self.level,
            cms_plan: self.cms_plan,
            paid_by: self.paid_by,
            discount_percent: self.discount_percent,
            commission_percent: self.commission_percent,
            created_by_account: Some(rid("account", agency_key)),
            agency_name: None,
            agency_email: None,
            owner_email: None,
            trial_ends_at: self.trial_ends_at,
            subscribed_at: None,
            handover_offered_at: None,
            currency: self.currency,
            agency_currency: Some(agency_currency.code().to_string()),
            subscription_currency: self.subscription_currency,
        })
    }
}

/// The statement that reads an agency's totals (`$totals`: [`totals_ids`]), for a caller that
/// reads them in the same round trip as its own statements: a record per currency, read by id.
pub const TOTALS: &str = "SELECT currency, pays_cents, earns_cents FROM $totals";

/// The agency's totals in `currency` (amounts in its minor units, whatever the field names).
fn totals_id(agency_key: &str, currency: Currency) -> RecordId {
    rid("billing_total", &format!("{agency_key}-{}", currency.code()))
}

/// The records [`TOTALS`] reads: one per currency the agency may be charged or paid in.
pub fn totals_ids(agency_key: &str) -> Vec<RecordId> {
    Currency::ALL.iter().map(|&c| totals_id(agency_key, c)).collect()
}

#[derive(Debug, SurrealValue)]
pub struct TotalsRecord {
    currency: String,
    pays_cents: i64,
    earns_cents: i64,
}

impl AgencyTotals {
    pub(crate) fn from_records(records: Vec<TotalsRecord>) -> Self {
        Self::from_parts(records.into_iter().map(|t| {
            (
                Currency::of_stored(Some(&t.currency)),
                t.pays_cents,
                t.earns_cents,
            )
        }))
    }
}

/// An agency's monthly totals.
pub async fn totals(db: &Db, agency_key: &str) -> Result<AgencyTotals, StoreError> {
    let res = db
        .query(TOTALS)
        .bind(("totals", totals_ids(agency_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<TotalsRecord> = checked(res)?.take(0).map_err(db_err)?;
    Ok(AgencyTotals::from_records(rows))
}

/// What a billing change writes; every field is the account's value after it.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub status: AccountStatus,
    pub level: &'a str,
    pub cms_plan: &'a str,
    pub payer: Payer,
    pub discount_percent: i64,
    pub commission_percent: i64,
    /// Set when the subscription starts now.
    pub subscribing: bool,
    /// The agency's offer to hand the payment over: made now, kept, or cleared.
    pub handover: Handover,
    /// The running subscription's currency; `None` while none runs.
    pub subscription_currency: Option<Currency>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    Offer,
    Keep,
    Clear,
}

/// What a change does to the agency's totals in one currency: (currency, pays, earns).
pub type TotalsDelta = (Currency, i64, i64);

/// Adds to `tx` a change of the account's billing from `from`, refused (`billing changed`) if
/// the account no longer holds what `from` read, and the changes of its agency's totals
/// (`deltas`, a currency each): all in one transaction, so the totals never drift from the
/// accounts.
pub fn change(tx: &mut Tx, from: &Billing, to: &Change<'_>, deltas: &[TotalsDelta]) {
    let handover = match to.handover {
        Handover::Offer => "time::now()",
        Handover::Keep => "handover_offered_at",
        Handover::Clear => "NONE",
    };
    let subscribed = if to.subscribing {
        "time::now()"
    } else {
        "subscribed_at"
    };
    tx.push(format!(
        "LET $bill_changed = (UPDATE $bill_acc SET status = $bill_status, level = $bill_level, \
         cms_plan = $bill_cms, paid_by = $bill_paid_by, discount_percent = $bill_discount, \
         commission_percent = $bill_commission, subscribed_at = {subscribed}, \
         handover_offered_at = {handover}, subscription_currency = $bill_sub_currency \
         WHERE status = $bill_from_status AND level = $bill_from_level AND cms_plan = $bill_from_cms \
           AND (paid_by ?? 'self') = $bill_from_paid_by RETURN AFTER)"
    ));
    tx.push("IF array::len($bill_changed) = 0 { THROW 'billing changed' }");
    tx.bind("bill_acc", rid("account", &from.account_key));
    tx.bind("bill_status", to.status.key().to_string());
    tx.bind("bill_level", to.level.to_string());
    tx.bind("bill_cms", to.cms_plan.to_string());
    // An account no agency made pays for itself: it keeps no payer.
    tx.bind(
        "bill_paid_by",
        from.agency_key.as_ref().map(|_| to.payer.key().to_string()),
    );
    tx.bind("bill_discount", to.discount_percent);
    tx.bind("bill_commission", to.commission_percent);
    tx.bind("bill_from_status", from.status.key().to_string());
    tx.bind("bill_from_level", from.level.clone());
    tx.bind("bill_from_cms", from.cms_plan.clone());
    tx.bind("bill_from_paid_by", stored_payer(from));
    tx.bind(
        "bill_sub_currency",
        to.subscription_currency.map(|c| c.code().to_string()),
    );
    if let Some(agency) = &from.agency_key {
        for (i, &delta) in deltas.iter().enumerate() {
            if delta.1 != 0 || delta.2 != 0 {
                add_to_totals(tx, agency, i, delta);
            }
        }
    }
}

/// How `from`'s payer is stored: an account with no agency has none ("self" here).
fn stored_payer(from: &Billing) -> String {
    match (&from.agency_key, from.payer) {
        (None, _) => "self".into(),
        (Some(_), p) => p.key().into(),
    }
}

/// The `n`th change of the agency's totals in a transaction (a change may touch two currencies).
fn add_to_totals(tx: &mut Tx, agency_key: &str, n: usize, (currency, pays, earns): TotalsDelta) {
    tx.push(format!(
        "UPSERT $bill_totals_{n} SET currency = $bill_currency_{n}, \
         pays_cents = (pays_cents ?? 0) + $bill_d_pays_{n}, \
         earns_cents = (earns_cents ?? 0) + $bill_d_earns_{n} RETURN NONE"
    ));
    tx.bind(&format!("bill_totals_{n}"), totals_id(agency_key, currency));
    tx.bind(&format!("bill_currency_{n}"), currency.code().to_string());
    tx.bind(&format!("bill_d_pays_{n}"), pays);
    tx.bind(&format!("bill_d_earns_{n}"), earns);
}

/// Adds to `tx`: refused (`agency pays`) while `agency_key` pays a running subscription of
/// `client_key`. Checked in the transaction that removes the agency's access, so a
/// subscription started meanwhile is seen.
pub fn refuse_if_agency_pays(tx: &mut Tx, client_key: &str, agency_key: &str) {
    tx.push(
        "IF (SELECT VALUE status = 'active' AND paid_by = 'agency' AND created_by_account = $pays_agency
             FROM ONLY $pays_client) = true { THROW 'agency pays' }",
    );
    tx.bind("pays_client", rid("account", client_key));
    tx.bind("pays_agency", rid("account", agency_key));
}

/// Is `err` the refusal of [`refuse_if_agency_pays`]?
pub fn is_agency_paying(err: &StoreError) -> bool {
    matches!(err, StoreError::Db(e) if e.to_string().contains("agency pays"))
}

/// Is `err` the refusal of a billing change whose account changed meanwhile?
pub fn is_changed_meanwhile(err: &StoreError) -> bool {
    matches!(err, StoreError::Db(e) if e.to_string().contains("billing changed"))
}

/// Trials past their end the sweep has not recorded yet, at most `limit`, through the
/// (status, trial end) index. Only the upper bound reads the index (with a lower bound too the
/// planner scans every future trial: 173 ms at 100,000 accounts, 0.5 ms so); the accounts with
/// no trial end (templates) it also reads are few.
pub async fn trials_ended(db: &Db, limit: i64) -> Result<Vec<Billing>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM account WITH INDEX account_trial
             WHERE status = 'free_trial' AND trial_ends_at <= time::now() AND trial_ends_at != NONE
             LIMIT $limit"
        ))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    let rows: Vec<BillingRecord> = checked(res)?.take(0).map_err(db_err)?;
    rows.into_iter().map(Billing::try_from).collect()
}

/// Trials ending within `days` whose owner has not been told yet, at most `limit`, through the
/// (status, reminded, trial end) index read up to the bound; the lower bound is a function so
/// that the planner does not read the index from it (which scans every later trial).
pub async fn trials_to_remind(db: &Db, days: i64, limit: i64) -> Result<Vec<Billing>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM account WITH INDEX account_trial_reminder
             WHERE status = 'free_trial' AND trial_reminded = false
               AND trial_ends_at <= time::now() + type::duration($within)
               AND time::unix(trial_ends_at ?? d'1970-01-01T00:00:00Z') > time::unix(time::now()) LIMIT $limit"
        ))
        .bind(("within", format!("{days}d")))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    let rows: Vec<BillingRecord> = checked(res)?.take(0).map_err(db_err)?;
    rows.into_iter().map(Billing::try_from).collect()
}

/// Adds to `tx`: the trial of `account_key` ends, if it is still a trial.
pub fn end_trial(tx: &mut Tx, account_key: &str) {
    tx.push(
        "LET $trial_ended = (UPDATE $trial_acc SET status = 'trial_ended' WHERE status = 'free_trial' RETURN AFTER)",
    );
    tx.push("IF array::len($trial_ended) = 0 { THROW 'billing changed' }");
    tx.bind("trial_acc", rid("account", account_key));
}

/// Adds to `tx`: the owner of `account_key` has been told that its trial ends soon.
pub fn mark_trial_reminded(tx: &mut Tx, account_key: &str) {
    tx.push(
        "LET $trial_marked = (UPDATE $trial_acc SET trial_reminded = true WHERE status = 'free_trial' AND trial_reminded = false RETURN AFTER)",
    );
    tx.push("IF array::len($trial_marked) = 0 { THROW 'billing changed' }");
    tx.bind("trial_acc", rid("account", account_key));
}

/// How many of the agency's client accounts on trial end within `days`, counted up to `cap`,
/// through the (agency, status, trial end) index read up to the bound (3 ms at 100,000).
pub async fn trials_ending_for(db: &Db, agency_key: &str, days: i64, cap: i64) -> Result<i64, StoreError> {
    let res = db
        .query(
            "SELECT VALUE id FROM account WITH INDEX account_agency_trial
             WHERE created_by_account = $agency AND status = 'free_trial'
               AND trial_ends_at <= time::now() + type::duration($within)
               AND time::unix(trial_ends_at ?? d'1970-01-01T00:00:00Z') > time::unix(time::now()) LIMIT $cap",
        )
        .bind(("agency", rid("account", agency_key)))
        .bind(("within", format!("{days}d")))
        .bind(("cap", cap))
        .await
        .map_err(db_err)?;
    let ids: Vec<RecordId> = checked(res)?.take(0).map_err(db_err)?;
    Ok(ids.len() as i64)
}
