//! Where a payment provider plugs in. Steward records subscriptions and processes no cards: the
//! default provider accepts every change. A deployment that charges cards implements
//! [`PaymentProvider`] (Stripe, Paddle, ...) and sets it on `Services::payments`; the billing
//! service calls it before it records a change, and a refusal leaves the account as it was.
use std::future::Future;
use std::pin::Pin;

use crate::core::domain::locale::Currency;
use crate::managed_accounts::plans::Payer;

/// A change the provider is asked to carry out for one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentChange {
    /// The paid subscription starts at this monthly amount (in `currency`'s minor units).
    Start { monthly: i64, currency: Currency },
    /// The monthly amount changes (another level or CMS plan); the currency stays.
    Reprice { monthly: i64, currency: Currency },
    /// Another party pays from now on, this much a month.
    ChangePayer {
        payer: Payer,
        monthly: i64,
        currency: Currency,
    },
}

/// The provider said no: the message is shown to the user.
#[derive(Debug, thiserror::Error)]
#[error("The payment provider refused: {0}")]
pub struct PaymentRefused(pub String);

pub type PaymentResult<'a> = Pin<Box<dyn Future<Output = Result<(), PaymentRefused>> + Send + 'a>>;

pub trait PaymentProvider: Send + Sync {
    /// Carries out `change` for the account `account_key` (named `account_name`).
    fn apply<'a>(
        &'a self,
        account_key: &'a str,
        account_name: &'a str,
        change: &'a PaymentChange,
    ) -> PaymentResult<'a>;
}

/// The default: no card processing, the change is only recorded by Steward.
#[derive(Debug, Default)]
pub struct RecordOnly;

impl PaymentProvider for RecordOnly {
    fn apply<'a>(
        &'a self,
        account_key: &'a str,
        _name: &'a str,
        change: &'a PaymentChange,
    ) -> PaymentResult<'a> {
        Box::pin(async move {
            tracing::info!(
                account = account_key,
                ?change,
                "billing change recorded (no payment provider)"
            );
            Ok(())
        })
    }
}
