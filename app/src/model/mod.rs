//! Wire types shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// Who is acting, in which account, with which role: what the UI needs to draw itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub account_id: String,
    pub account_name: String,
    pub role_name: String,
    pub permissions: Vec<String>,
    pub is_primary_admin: bool,
    /// The Mailbox page exists only in development mode.
    pub dev_mode: bool,
    /// Set while logged in to a managed account: the bar on every page says so.
    pub managing: Option<ManagingInfo>,
    /// A message to show once (e.g. access to a managed account ended).
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagingInfo {
    pub client_account: String,
    pub agency: String,
    pub role_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub tags: Vec<String>,
    /// Values of custom fields, by field id.
    pub values: Vec<(String, String)>,
}

/// A custom field of the account: `kind` is `text`, `number` or `date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldView {
    pub id: String,
    pub name: String,
    pub kind: String,
}

/// The contacts an actor may see, and what the actor may do with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ContactList {
    pub contacts: Vec<ContactView>,
    pub fields: Vec<CustomFieldView>,
    pub can_create_edit: bool,
    pub can_delete: bool,
    pub can_manage_tags: bool,
    pub can_manage_fields: bool,
    pub can_export: bool,
    pub can_import: bool,
    pub can_view_notes: bool,
    pub can_create_notes: bool,
    pub can_edit_notes: bool,
}

/// A message (email template) of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub body: String,
    /// Names of the custom fields it uses.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MessageList {
    pub messages: Vec<MessageView>,
    pub can_use: bool,
    pub can_create: bool,
    pub can_edit_delete: bool,
}

/// A template an agency can create accounts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub source_name: Option<String>,
    pub updated_at: String,
    pub fields: i64,
    pub tags: i64,
    pub messages: i64,
    pub contacts: i64,
}

/// A sandbox account an agency builds templates in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxView {
    pub id: String,
    pub name: String,
    pub templates: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TemplatesPage {
    pub built_in: Vec<TemplateView>,
    pub mine: Vec<TemplateView>,
    pub sandboxes: Vec<SandboxView>,
    pub can_add: bool,
    pub can_update: bool,
}

/// An email as the outbox holds it (development Mailbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub status: String,
    pub created_at: String,
}

/// A role of the account, for choosing one in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleOption {
    pub id: String,
    pub name: String,
}

/// One row of Administration → User management → Account managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountManagerRow {
    pub id: String,
    pub manager_email: String,
    /// The account that manages, once it accepted.
    pub managing_account: Option<String>,
    pub role_name: String,
    /// "Pending", "Active", "Rejected", "Denied", "Revoked" or "Expired".
    pub status: String,
    /// The link to copy, while the invitation is pending.
    pub invitation_link: Option<String>,
    /// The agency asked for access (rather than being invited): the owner grants or denies it.
    pub requested_by_agency: bool,
    pub access_until: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The owner's page: the grants and the roles an invitation may carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountManagers {
    pub rows: Vec<AccountManagerRow>,
    pub roles: Vec<RoleOption>,
}

/// An invitation as its link shows it to the person who opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub client_account: String,
    pub invited_by: String,
    pub manager_email: String,
    pub role_name: String,
    pub status: String,
    /// Why it can't be answered (wrong user, expired, already answered), if so.
    pub blocked: Option<String>,
    /// Nobody is logged in: log in or sign up with `manager_email` first.
    pub needs_login: bool,
}

/// One row of Administration → User management → Users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role_id: String,
    pub role_name: String,
    pub last_active: Option<String>,
    pub sessions: i64,
    pub is_primary_admin: bool,
    pub is_you: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UsersPageData {
    pub users: Vec<UserView>,
    pub roles: Vec<RoleOption>,
    /// The acting user is the account's primary admin (may hand the role over).
    pub you_are_primary_admin: bool,
}

/// What a bulk action did: how many succeeded, and why any did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BulkOutcome {
    pub succeeded: usize,
    pub failed: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub current: bool,
}

/// One row of the agency's Managed accounts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedAccountRow {
    pub id: String,
    pub name: String,
    pub owner_email: String,
    pub role_name: String,
    /// "Account access": the grant's state.
    pub access: String,
    /// "Account status": Free trial or Active.
    pub account_status: String,
    /// While pending: the link the owner was sent.
    pub invitation_link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ManagedAccountsPage {
    pub rows: Vec<ManagedAccountRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub can_add: bool,
    pub can_update: bool,
    pub can_log_in: bool,
}

/// An agency's request to manage an account, as the owner's link shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestView {
    pub agency: String,
    pub requester: String,
    pub client_account: String,
    pub role_name: String,
    pub status: String,
    pub blocked: Option<String>,
    pub needs_login: bool,
}

/// The owner's settings about account managers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub allow_manager_requests: bool,
    /// `each_time`, `daily` or `never`.
    pub login_notify: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub at: String,
    pub who: String,
    /// The agency, when a manager did it from another account.
    pub via: Option<String>,
    pub action: String,
    pub detail: String,
}

/// A team role of the account, with who uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleView {
    pub id: String,
    pub name: String,
    /// One of the four default roles: can't be renamed, edited or deleted.
    pub is_default: bool,
    pub permissions: Vec<String>,
    pub users: i64,
    pub grants: i64,
}

/// Admin tools → Business information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BusinessInformation {
    pub business_name: String,
    pub address: String,
    pub time_zone: String,
}

/// Admin tools → Localization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Localization {
    pub language: String,
    pub date_format: String,
    pub currency: String,
}

/// A note on a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub id: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

/// What an import did: how many contacts it created, or why it created none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub created: usize,
}
