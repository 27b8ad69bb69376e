//! Billing: each account's plan, price, payer and subscription status (Administration →
//! Billing), the agency's totals on its Managed accounts list, and the sweep that ends trials.
//! No card is processed: `provider` is where a payment provider plugs in.
pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub(crate) mod store;
