//! Shared UI pieces.
pub mod confirm;
pub mod denied;
pub mod field;
pub mod layout;
