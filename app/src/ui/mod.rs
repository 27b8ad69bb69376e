//! Shared UI pieces: form fields, the confirm dialog, error views, navigation helpers, and the two
//! pages that belong to no feature (the dashboard and Not found).
pub mod confirm;
pub mod copy_link;
pub mod dashboard;
pub mod denied;
pub mod field;
pub mod me;
pub mod navigate;
pub mod not_found;
