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

    /// `grant_is_revoked`, `grant_is_pending`, ...: what the grant is, that does not allow it.
    fn code(&self) -> String {
        format!("grant_is_{}", self.from.key())
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

    #[test]
    fn a_refusal_has_a_stable_code_from_its_name() {
        let code = |e: ServiceError| match e {
            ServiceError::Conflict(r) | ServiceError::Forbidden(r) | ServiceError::NotFound(r) => r.code,
            _ => None,
        };
        assert_eq!(
            code(GrantRefusal::InvitationExpired.into()).as_deref(),
            Some("invitation_expired")
        );
        assert_eq!(
            code(GrantRefusal::InvitationForSomeoneElse("max@agency.com".into()).into()).as_deref(),
            Some("invitation_for_someone_else")
        );
        let refused = crate::grants::state::GrantState::Pending
            .apply(
                crate::grants::state::GrantEvent::Revoke,
                crate::grants::state::Initiator::Owner,
            )
            .expect_err("a pending grant is not revoked");
        assert_eq!(code(refused.into()).as_deref(), Some("grant_is_pending"));
    }
}
