//! Wire types of the grants, as the owner and the invited manager see them. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

use crate::grants::state::GrantState;
use crate::roles::model::RoleOption;

/// One row of Administration → User management → Account managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountManagerRow {
    pub id: String,
    pub manager_email: String,
    /// The account that manages, once it accepted.
    pub managing_account: Option<String>,
    /// The role's id, for "Edit" to start from.
    pub role_id: Option<String>,
    pub role_name: String,
    /// The state's label: "Pending", "Active", "Rejected", "Denied", "Revoked" or "Expired".
    pub status: String,
    /// The state itself, for the page to decide which actions a row offers.
    pub state: GrantState,
    /// The link to copy, while the invitation is pending.
    pub invitation_link: Option<String>,
    /// The agency asked for access (rather than being invited): the owner grants or denies it.
    pub requested_by_agency: bool,
    /// The last day of access, YYYY-MM-DD (the Edit form's date field).
    pub access_until: Option<String>,
    /// The same day as the account writes dates.
    pub access_until_shown: Option<String>,
    /// The day of the invitation or request, as the account writes dates.
    pub created_at: String,
    pub updated_at: String,
    /// Users the agency's managers added through this grant ("Account managers may manage
    /// users"): revoking or deleting asks whether to remove them too.
    pub added_users: i64,
}

/// The owner's page: the grants and the roles an invitation may carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountManagers {
    /// One page of the grants.
    pub rows: Vec<AccountManagerRow>,
    /// How many match the search in all.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub roles: Vec<RoleOption>,
}

/// Which page of Account managers: what was searched (the start of an email), the sort column
/// ("email", "role", "status", "created_at"; newest first when none) and the page (from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ManagersQuery {
    pub search: String,
    pub sort: String,
    pub descending: bool,
    pub page: i64,
}

/// Account managers per page.
pub const MANAGERS_PAGE_SIZE: i64 = 25;

/// An invitation as its link shows it to the person who opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub client_account: String,
    pub invited_by: String,
    pub manager_email: String,
    pub role_name: String,
    pub status: String,
    /// Answered already, or not the viewer's to answer; `None` while they may answer.
    pub outcome: Option<LinkOutcome>,
    /// Nobody is logged in: log in or sign up with `manager_email` first.
    pub needs_login: bool,
}

/// Where an emailed link stands for whoever opened it, when it no longer waits for their answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkOutcome {
    /// It was answered: news, not a fault, and the page leads on to `next`.
    Answered { message: String, next: NextPage },
    /// This person can't answer it (someone else's, expired, withdrawn): the reason.
    Blocked(String),
}

/// Where a link's page leads once it is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NextPage {
    /// The manager's list, where they log in to the account (the seed's flow).
    ManagedAccounts,
    /// The owner's list of who manages the account.
    AccountManagers,
}

impl NextPage {
    pub fn href(self) -> &'static str {
        match self {
            Self::ManagedAccounts => "/managed-accounts",
            Self::AccountManagers => "/account-managers",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ManagedAccounts => "Go to Managed accounts",
            Self::AccountManagers => "Go to Account managers",
        }
    }
}

/// A pending invitation to the email of the person looking, in their own Managed accounts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationForYou {
    pub id: String,
    pub client_account: String,
    pub invited_by: String,
    pub role_name: String,
    /// The last day of access the owner chose, if any (YYYY-MM-DD).
    pub access_until: Option<String>,
}

/// An agency's request waiting for the owner's answer, as the Dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRequest {
    pub agency: String,
    pub requester: String,
    pub role_name: String,
}

/// What happens to the users an agency added when its grant is revoked or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddedUsers {
    #[default]
    Keep,
    Remove,
}

/// Owner actions on a row of Account managers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerAction {
    Revoke,
    GrantAgain,
    Resend,
    /// Grant an agency's pending request.
    Approve,
    /// Deny an agency's pending request.
    Deny,
}

/// An agency's request to manage an account, as the owner's link shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestView {
    pub agency: String,
    pub requester: String,
    pub client_account: String,
    pub role_name: String,
    pub status: String,
    /// Answered already, or not the viewer's to answer; `None` while they may answer.
    pub outcome: Option<LinkOutcome>,
    pub needs_login: bool,
}
