//! Domain rules in plain Rust: no I/O, no framework, driven by unit tests.
pub mod email;
pub mod events;
pub mod locale;
pub mod names;
pub mod password;
pub mod permissions;

pub use email::Email;
pub use names::{AccountName, PersonName};
pub use password::Password;
pub use permissions::{DefaultRole, Permission, PermissionSet};

/// A rule a value broke, said so that the user can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// How an owner hears of account managers logging in: (stored key, label).
pub const LOGIN_NOTIFY: [(&str, &str); 3] = [
    ("each_time", "Each time"),
    ("daily", "Daily summary"),
    ("never", "Never"),
];

/// The types a custom field can have: (stored key, label).
pub const FIELD_KINDS: [(&str, &str); 3] = [("text", "Text"), ("number", "Number"), ("date", "Date")];
