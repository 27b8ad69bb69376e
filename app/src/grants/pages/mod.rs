//! The owner's Account managers page and the invitation link's page.
pub mod account_managers;
pub mod invitation;
