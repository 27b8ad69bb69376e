//! Shared UI pieces.
pub mod field;
pub mod layout;
