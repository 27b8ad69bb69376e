//! The agency's Managed accounts page, the owner's access-request page, and the client's set-password page.
pub mod access_request;
pub mod managed_accounts;
pub mod set_password;
