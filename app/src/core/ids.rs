//! Ids as types: an account's id can't be passed where a user's is expected. Each reads as the
//! record key (`&str`) it wraps, which is what the stores bind.
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(key: impl Into<String>) -> Self {
                Self(key.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(key: String) -> Self {
                Self(key)
            }
        }

        impl From<&str> for $name {
            fn from(key: &str) -> Self {
                Self(key.to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id_type!(
    /// An account: a business with its team, data and grants.
    AccountId
);
id_type!(
    /// A user, who logs in to their home account.
    UserId
);
id_type!(
    /// A grant between a client account and a managing account.
    GrantId
);
id_type!(
    /// A team role of an account.
    RoleId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_as_its_key_and_compares_with_text() {
        let id = AccountId::new("abc");
        assert_eq!(&*id, "abc");
        assert_eq!(id, "abc");
        assert_eq!(id.to_string(), "abc");
        assert_eq!(serde_json::to_string(&id).expect("json"), "\"abc\"");
        assert_eq!(String::from(id), "abc");
    }
}
