//! What the log-in and two-factor pages receive.
use serde::{Deserialize, Serialize};

/// What setting two-factor up shows: the secret (to type into an authenticator app), the same
/// as a QR code, and the recovery codes, shown before the set-up is confirmed and never again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetUpInfo {
    pub secret: String,
    pub otpauth_url: String,
    /// An SVG image of the `otpauth://` address.
    pub qr_svg: String,
    pub recovery_codes: Vec<String>,
}

/// A log-in waiting for its second step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingLogIn {
    /// The user's home account requires two-factor and it is not on yet: set it up first.
    pub set_up: Option<SetUpInfo>,
}

/// The acting user's two-factor authentication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    pub enabled: bool,
    /// The user's home account requires it: it can't be turned off.
    pub required: bool,
    pub recovery_codes_left: usize,
    /// When it is off: what turning it on needs.
    pub set_up: Option<SetUpInfo>,
}

/// What a sign-up link creates when it is opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignUpLink {
    pub email: String,
    pub account_name: String,
}
