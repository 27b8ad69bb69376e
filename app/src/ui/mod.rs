//! Shared UI pieces: the layout with its managing bar, form fields, the confirm dialog, error views,
//! and the two pages that belong to no feature (the dashboard and Not found).
pub mod confirm;
pub mod dashboard;
pub mod denied;
pub mod field;
pub mod layout;
pub mod not_found;
