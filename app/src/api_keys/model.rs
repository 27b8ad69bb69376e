//! Wire types of the API manager page. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

use crate::roles::model::RoleOption;

/// One key of the account, as the API manager lists it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub role_name: String,
    /// The email of the user who made it, who it acts as.
    pub made_by: String,
    pub created: String,
    /// "Never" or the date.
    pub expires: String,
    /// "Active", "Expired" or "Revoked".
    pub status: String,
    pub revocable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApiKeysPage {
    pub keys: Vec<ApiKeyRow>,
    /// The roles a new key may have: those within the viewer's own.
    pub roles: Vec<RoleOption>,
    /// The key this person just made with the form before the WebAssembly ran, shown this once.
    #[serde(default)]
    pub just_made: Option<NewApiKey>,
}

/// A key just made: the only time it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
    pub key: String,
}

/// How long a new key lasts: the choices of the form, in days (0: until revoked).
pub const EXPIRY_CHOICES: &[(i64, &str)] = &[(30, "30 days"), (90, "90 days"), (365, "1 year"), (0, "Never")];
