//! Why the grant use cases say no, on either side of a grant.
use super::state::Refused;
use crate::core::services::{Refusal, RefusalKind};

#[derive(Debug, thiserror::Error)]
pub enum GrantRefusal {
    #[error("This account manager no longer exists.")]
    ManagerGone,
    #[error("This invitation no longer exists. Ask the account owner for a new one.")]
    InvitationGone,
    #[error("This request no longer exists.")]
    RequestGone,
    #[error("This managed account is no longer in your list.")]
    NotInYourList,
    #[error("This invitation is for {0}.")]
    InvitationForSomeoneElse(String),
    #[error("You can't manage your own account.")]
    OwnAccount,
    #[error("This invitation has expired.")]
    InvitationExpired,
    #[error("This request has expired.")]
    RequestExpired,
    #[error("Someone else changed this account manager at the same time. Try again.")]
    ManagerChangedMeanwhile,
    #[error("This invitation changed meanwhile. Open the link again.")]
    InvitationChangedMeanwhile,
    #[error("This request changed meanwhile.")]
    RequestChangedMeanwhile,
}

impl Refusal for GrantRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::ManagerGone | Self::InvitationGone | Self::RequestGone | Self::NotInYourList => {
                RefusalKind::NotFound
            }
            Self::InvitationForSomeoneElse(_) => RefusalKind::Forbidden,
            Self::OwnAccount
            | Self::InvitationExpired
            | Self::RequestExpired
            | Self::ManagerChangedMeanwhile
            | Self::InvitationChangedMeanwhile
            | Self::RequestChangedMeanwhile => RefusalKind::Conflict,
        }
    }
}

/// A step the grant's state does not allow (accepting a revoked invitation, ...).
impl Refusal for Refused {
    fn kind(&self) -> RefusalKind {
        RefusalKind::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::services::ServiceError;

    #[test]
    fn a_refusal_keeps_its_words_and_becomes_an_error_of_its_kind() {
        assert!(matches!(
            ServiceError::from(GrantRefusal::InvitationExpired),
            ServiceError::Conflict(m) if m == "This invitation has expired."
        ));
        assert!(matches!(
            ServiceError::from(GrantRefusal::InvitationForSomeoneElse("max@agency.com".into())),
            ServiceError::Forbidden(m) if m == "This invitation is for max@agency.com."
        ));
        assert!(matches!(
            ServiceError::from(GrantRefusal::RequestGone),
            ServiceError::NotFound(_)
        ));
    }
}
