//! Wire types of the Dashboard (serde only).
use serde::{Deserialize, Serialize};

use crate::audit::model::AuditEntryView;
use crate::grants::model::{InvitationForYou, WaitingRequest};

/// The agency's managed accounts at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedSummary {
    /// Every managed account in the list, whatever its state.
    pub total: i64,
    /// Of those, the ones waiting for an answer (counted up to `PENDING_CAP`).
    pub pending: i64,
    /// Client accounts it made whose free trial ends within three days (up to `PENDING_CAP`).
    pub trials_ending: i64,
    /// What it pays and earns per month from running subscriptions.
    pub totals: crate::billing::model::AgencyTotals,
    /// The agency's Localization currency, for totals of nothing.
    pub currency: crate::core::domain::locale::Currency,
}

/// How many pending rows the Dashboard counts before it says "100+".
pub const PENDING_CAP: i64 = 100;

/// What the Dashboard shows; each part only to whom it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DashboardView {
    /// At home, with "Managed accounts" in the role.
    pub managed: Option<ManagedSummary>,
    /// Owners' invitations to this user's email, waiting for their answer.
    pub invitations: Vec<InvitationForYou>,
    /// Agencies asking to manage the account, for its admins to answer.
    pub requests: Vec<WaitingRequest>,
    /// The newest audit entries, for those who may read the log.
    pub latest: Option<Vec<AuditEntryView>>,
    /// This account's own subscription, for those who may see its Billing page.
    pub billing: Option<crate::billing::model::BillingView>,
}
