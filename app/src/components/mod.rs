//! Shared UI pieces.
pub mod confirm;
pub mod field;
pub mod layout;
