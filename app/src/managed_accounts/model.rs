//! Wire types of the agency's Managed accounts and access requests. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

use crate::grants::state::GrantState;

/// One row of the agency's Managed accounts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedAccountRow {
    pub id: String,
    /// Empty until the owner grants access to an agency's request: before that the agency knows
    /// only the email it typed (`owner_email`).
    pub name: String,
    pub owner_email: String,
    pub role_name: String,
    /// "Account access": the grant's state, as its label.
    pub access: String,
    /// The same state, for the page to decide which actions a row offers.
    pub state: GrantState,
    /// "Account status": Free trial, Active or Trial ended; empty until the owner grants.
    pub account_status: String,
    /// Plan, payer and monthly amount, on the accounts this agency made.
    pub billing: Option<crate::billing::model::RowBilling>,
    /// While pending: the link the owner was sent. On a client account the agency created,
    /// while its owner has not set a password: the set-password link.
    pub invitation_link: Option<String>,
    /// The owner of a client account the agency created has not set a password yet: the link
    /// can be sent again.
    pub password_not_set: bool,
    /// The agency asked for access (rather than being invited or creating the account): while
    /// pending or expired, it can send the request again.
    pub requested_by_agency: bool,
}

impl ManagedAccountRow {
    /// How the row names its account: by its name, or before it is known by the email typed.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.owner_email
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ManagedAccountsPage {
    pub rows: Vec<ManagedAccountRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// Where the next and the previous page start (`after:`/`before:` a row's key), sent back
    /// with them so that a far page costs what the first does. `None` where the list has no
    /// such page, or is a search's (its pages go by number).
    pub next: Option<String>,
    pub previous: Option<String>,
    pub can_add: bool,
    pub can_update: bool,
    pub can_log_in: bool,
    /// Owners' pending invitations to the viewer's own email, answered from this page.
    pub invitations: Vec<crate::grants::model::InvitationForYou>,
    /// What the agency pays and earns per month from its running subscriptions.
    pub totals: crate::billing::model::AgencyTotals,
    /// The agency's Localization currency: new accounts' prices are shown in it.
    pub currency: crate::core::domain::locale::Currency,
}

/// Another client account the bar offers to go to straight away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchTarget {
    /// The grant's id.
    pub id: String,
    pub name: String,
}
