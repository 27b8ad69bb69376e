//! One file per page.
pub mod access_request;
pub mod account_managers;
pub mod audit;
pub mod contacts;
pub mod dashboard;
pub mod invitation;
pub mod login;
pub mod mailbox;
pub mod managed_accounts;
pub mod not_found;
pub mod sessions;
pub mod set_password;
pub mod settings;
pub mod signup;
pub mod users;
