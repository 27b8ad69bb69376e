//! One file per page.
pub mod account_managers;
pub mod contacts;
pub mod invitation;
pub mod dashboard;
pub mod login;
pub mod mailbox;
pub mod not_found;
pub mod sessions;
pub mod signup;
pub mod users;
