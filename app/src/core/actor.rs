//! The acting identity, derived by the server from the session, and the one authorisation check.
use crate::core::domain::{Permission, PermissionSet};
use crate::core::ids::{AccountId, GrantId, UserId};
use crate::core::model::Me;

use super::services::{Refusal, RefusalKind, ServiceError};

/// Who acts, and in which account with which role. Built only from a session record, or from
/// an API key (`api_keys::service::actor_for_key`).
#[derive(Debug, Clone)]
pub struct Actor {
    pub session_id: String,
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// The account acted in: every query of a use case is scoped to it.
    pub account_id: AccountId,
    pub account_name: String,
    /// The account the user belongs to (the one they manage other accounts from).
    pub home_account_id: AccountId,
    pub role_name: String,
    pub permissions: PermissionSet,
    pub is_primary_admin: bool,
    /// Set while the user is logged in to a managed account through a grant.
    pub managing: Option<Managing>,
    /// How the account acted in writes dates: its Localization date format, in its time zone.
    pub dates: crate::core::domain::locale::DateStyle,
    /// The acting account's Localization currency.
    pub currency: crate::core::domain::locale::Currency,
    /// Set when the call came with an API key rather than a session: the key's user acts
    /// through it, with the key's role.
    pub api_key: Option<ApiKeyRef>,
}

/// The API key a call came with, as the audit names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRef {
    pub id: String,
    pub name: String,
}

/// What a session logged in to a managed account may never do, whatever its grant's role holds:
/// each one creates or controls access that would outlive the grant, or decides who is told
/// what. Every use case that does one of these authorises with [`Actor::authorize_owner`], so
/// the rule lives here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerOnly {
    /// Adding team users; changing another user's email or password.
    TeamAccess,
    /// Inviting account managers, answering access requests, granting again, revoking or
    /// deleting grants.
    Grants,
    /// Whether agencies may ask for access, and how the owner hears of their log-ins.
    ConsentSettings,
    /// Handing the primary admin role to someone else.
    PrimaryAdmin,
    /// Making or revoking API keys: a key would outlast the grant.
    ApiKeys,
    /// Adding, changing or reading the secret of webhook endpoints: an endpoint would go on
    /// telling its owner of the account's events after the grant ends.
    Webhooks,
}

impl OwnerOnly {
    fn message(self) -> &'static str {
        match self {
            Self::TeamAccess => {
                "Account managers can't add users or change a user's email or password. Ask the account's owner."
            }
            Self::Grants => "Account managers can't change who manages this account. Ask the account's owner.",
            Self::ConsentSettings => "Account managers can't change these settings. Ask the account's owner.",
            Self::PrimaryAdmin => "Account managers can't change the primary admin. Ask the account's owner.",
            Self::ApiKeys => "Account managers can't make or revoke API keys: a key would outlast the grant. Ask the account's owner.",
            Self::Webhooks => "Account managers can't change webhooks: an endpoint would outlast the grant. Ask the account's owner.",
        }
    }
}

/// Why the actor may not do what they asked, whatever the thing acted on.
#[derive(Debug, thiserror::Error)]
pub enum AccessRefusal {
    #[error("You are logged in to a managed account: go back to your account first.")]
    NotInHomeAccount,
    #[error("This account no longer exists.")]
    AccountGone,
    /// Done by a person only: a key would make it a way in of its own (logging in to a
    /// managed account, making or revoking keys).
    #[error("An API key can't do this. Log in to Steward to do it.")]
    NotWithApiKey,
    #[error("Your role ({role}) does not allow this.")]
    RoleDoesNotAllow { role: String },
    #[error("{}", .0.message())]
    OwnerOnly(OwnerOnly),
    #[error("You can't hand out more than your role ({role}) holds: {what} includes {}.", .beyond.join(", "))]
    AboveCeiling {
        role: String,
        what: String,
        beyond: Vec<String>,
    },
}

impl Refusal for AccessRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::NotInHomeAccount => RefusalKind::Conflict,
            Self::AccountGone => RefusalKind::NotFound,
            Self::RoleDoesNotAllow { .. }
            | Self::OwnerOnly(_)
            | Self::AboveCeiling { .. }
            | Self::NotWithApiKey => RefusalKind::Forbidden,
        }
    }
}

/// A manager logged in to a client account: through which grant, from which agency.
#[derive(Debug, Clone)]
pub struct Managing {
    pub grant_id: GrantId,
    pub agency_name: String,
}

impl Actor {
    /// Refuses while logged in to a managed account: the action belongs to the home account.
    pub fn require_home_account(&self) -> Result<(), ServiceError> {
        if self.managing.is_some() {
            return Err(AccessRefusal::NotInHomeAccount.into());
        }
        Ok(())
    }

    /// Refuses a call made with an API key: see [`AccessRefusal::NotWithApiKey`].
    pub fn require_person(&self) -> Result<(), ServiceError> {
        if self.api_key.is_some() {
            return Err(AccessRefusal::NotWithApiKey.into());
        }
        Ok(())
    }

    /// The one place that decides whether the actor may do a thing in the account acted in.
    pub fn authorize(&self, permission: Permission) -> Result<(), ServiceError> {
        if self.permissions.allows(permission) {
            Ok(())
        } else {
            Err(AccessRefusal::RoleDoesNotAllow {
                role: self.role_name.clone(),
            }
            .into())
        }
    }

    /// `authorize`, and refused while logged in to a managed account: see [`OwnerOnly`].
    pub fn authorize_owner(&self, permission: Permission, power: OwnerOnly) -> Result<(), ServiceError> {
        self.authorize_owner_unless(permission, power, false)
    }

    /// `authorize_owner`, where the owner may have handed `power` to account managers:
    /// `consented` is the account's own setting ("Account managers may manage users" for
    /// [`OwnerOnly::TeamAccess`]); no other power can be handed over.
    pub fn authorize_owner_unless(
        &self,
        permission: Permission,
        power: OwnerOnly,
        consented: bool,
    ) -> Result<(), ServiceError> {
        self.authorize(permission)?;
        if self.managing.is_some() && !(consented && power == OwnerOnly::TeamAccess) {
            return Err(AccessRefusal::OwnerOnly(power).into());
        }
        Ok(())
    }

    /// The privilege ceiling: nobody hands out a permission they do not hold (the primary admin
    /// holds everything). `what` names the role being given or changed, for the message.
    pub fn may_hand_out(&self, permissions: &PermissionSet, what: &str) -> Result<(), ServiceError> {
        if self.is_primary_admin && self.managing.is_none() {
            return Ok(());
        }
        let beyond = permissions.beyond(&self.permissions);
        if beyond.is_empty() {
            Ok(())
        } else {
            Err(AccessRefusal::AboveCeiling {
                role: self.role_name.clone(),
                what: what.to_string(),
                beyond,
            }
            .into())
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.allows(permission)
    }

    pub fn display_name(&self) -> String {
        format!("{} {} <{}>", self.first_name, self.last_name, self.email)
    }

    pub fn me(&self, dev_mode: bool) -> Me {
        Me {
            user_id: self.user_id.to_string(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            account_id: self.account_id.to_string(),
            account_name: self.account_name.clone(),
            role_name: self.role_name.clone(),
            permissions: self.permissions.keys().map(str::to_string).collect(),
            is_primary_admin: self.is_primary_admin,
            dev_mode,
            managing: self.managing.as_ref().map(|m| crate::core::model::ManagingInfo {
                client_account: self.account_name.clone(),
                agency: m.agency_name.clone(),
                role_name: self.role_name.clone(),
            }),
            notice: None,
        }
    }

    /// Who did it, for the audit log: "manager X of agency Y" while managing another account.
    pub fn audit_name(&self) -> String {
        match (&self.managing, &self.api_key) {
            (Some(m), _) => format!("manager {} of agency {}", self.display_name(), m.agency_name),
            (None, Some(key)) => format!("{} with API key \"{}\"", self.display_name(), key.name),
            (None, None) => self.display_name(),
        }
    }

    pub fn audit(&self, action: &str, detail: impl Into<String>) -> crate::core::db::AuditEntry {
        crate::core::db::AuditEntry {
            account: crate::core::db::rid("account", &self.account_id),
            actor_user: Some(crate::core::db::rid("user", &self.user_id)),
            actor_name: self.audit_name(),
            via_account: self
                .managing
                .as_ref()
                .map(|_| crate::core::db::rid("account", &self.home_account_id)),
            action: action.to_string(),
            detail: detail.into(),
        }
    }
}
