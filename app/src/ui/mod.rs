//! Shared UI pieces: form fields, the confirm dialog, error views, navigation helpers, and the
//! page that belongs to no feature (Not found).
pub mod confirm;
pub mod copy_link;
pub mod denied;
pub mod field;
pub mod list_query;
pub mod me;
pub mod navigate;
pub mod not_found;
