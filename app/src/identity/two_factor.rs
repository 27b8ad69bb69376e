//! Two-factor authentication: time-based codes (RFC 6238, any authenticator app) and one-time
//! recovery codes.
//!
//! Nothing secret is stored: the secret and the recovery codes of a user are derived from the
//! server secret, the user's key and a generation number (see migration 0021). The database
//! keeps whether two-factor is on, the last time step a code was used for, and which recovery
//! codes were used.
use totp_rs::{Builder, Totp};

use crate::core::services::{derive_token, ServiceError, Services};
use crate::identity::model::SetUpInfo;

/// How many recovery codes a set-up hands out.
pub const RECOVERY_CODES: usize = 8;

/// How a code was proven: a time step of the authenticator, or one of the recovery codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Code { step: i64 },
    Recovery { index: i64 },
}

/// A user's two-factor secret and recovery codes for one generation.
pub struct Enrollment {
    totp: Totp,
    recovery: Vec<String>,
}

impl Enrollment {
    pub fn derive(
        services: &Services,
        user_key: &str,
        email: &str,
        generation: i64,
    ) -> Result<Self, ServiceError> {
        Self::from_secret(&services.settings.link_secret, user_key, email, generation)
    }

    fn from_secret(
        server_secret: &[u8],
        user_key: &str,
        email: &str,
        generation: i64,
    ) -> Result<Self, ServiceError> {
        let derived = |purpose: &str, nonce: &str| derive_token(server_secret, purpose, user_key, nonce);
        let secret = hex::decode(derived("two-factor", &generation.to_string()))
            .map_err(|e| ServiceError::Internal(format!("two-factor secret: {e}")))?;
        // 160 bits, as RFC 4226 recommends; SHA-1 and 6 digits, the parameters every app reads.
        let totp = Builder::new()
            .with_secret(secret[..20].to_vec())
            .with_issuer(Some("Steward"))
            .with_account_name(email.replace(':', ""))
            .build()
            .map_err(|e| ServiceError::Internal(format!("two-factor: {e}")))?;
        let recovery = (0..RECOVERY_CODES)
            .map(|i| {
                let raw = derived("two-factor-recovery", &format!("{generation}:{i}"));
                hex::decode(raw)
                    .map(|bytes| recovery_code(&bytes[..17]))
                    .map_err(|e| ServiceError::Internal(format!("recovery code: {e}")))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { totp, recovery })
    }

    /// What the set-up page shows: the secret to type in, its QR code, the recovery codes.
    pub fn set_up_info(&self) -> Result<SetUpInfo, ServiceError> {
        let url = self
            .totp
            .to_url()
            .map_err(|e| ServiceError::Internal(format!("two-factor url: {e}")))?;
        let svg = qrcode::QrCode::new(url.as_bytes())
            .map_err(|e| ServiceError::Internal(format!("QR code: {e}")))?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .build();
        // Inlined in the page: the XML declaration has no place inside HTML.
        let svg = match svg.find("<svg") {
            Some(start) => svg[start..].to_string(),
            None => svg,
        };
        Ok(SetUpInfo {
            secret: self.totp.secret().to_base32(),
            otpauth_url: url,
            qr_svg: svg,
            recovery_codes: self.recovery.clone(),
        })
    }

    /// Checks a 6-digit code (this time step, or one before or after it, for clock drift) or a
    /// recovery code. A time step at or before `last_step`, or a recovery code in `used`, was
    /// used already and does not count again.
    pub fn check(&self, input: &str, now_secs: u64, last_step: i64, used: &[i64]) -> Option<Proof> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.len() == 6 && compact.chars().all(|c| c.is_ascii_digit()) {
            let step = self.totp.check(&compact, now_secs)? as i64;
            return (step > last_step).then_some(Proof::Code { step });
        }
        let wanted = compact.to_ascii_lowercase();
        self.recovery
            .iter()
            .position(|code| constant_time_eq(code.replace('-', "").as_bytes(), wanted.as_bytes()))
            .map(|i| i as i64)
            .filter(|i| !used.contains(i))
            .map(|index| Proof::Recovery { index })
    }

    /// Only a code of the authenticator (no recovery code) confirms a set-up: it proves the app
    /// holds the secret.
    pub fn check_code_only(&self, input: &str, now_secs: u64) -> Option<i64> {
        match self.check(input, now_secs, -1, &[]) {
            Some(Proof::Code { step }) => Some(step),
            _ => None,
        }
    }
}

/// 17 bytes (136 bits) in lower-case base32, in four groups of seven: `abcdefg-hijklmn-…`.
fn recovery_code(bytes: &[u8]) -> String {
    let text = base32::encode(base32::Alphabet::Rfc4648 { padding: false }, bytes).to_ascii_lowercase();
    text.as_bytes()
        .chunks(7)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrollment(generation: i64) -> Enrollment {
        Enrollment::from_secret(&[7u8; 32], "u1", "ann@acme.com", generation).expect("enrollment")
    }

    #[test]
    fn a_code_works_once_and_only_near_its_time() {
        let e = enrollment(0);
        let now = 1_800_000_000u64;
        let code = e.totp.generate(now);
        let step = (now / 30) as i64;
        assert_eq!(
            e.check(&code.to_string(), now, 0, &[]),
            Some(Proof::Code { step })
        );
        assert_eq!(
            e.check(&code.to_string(), now + 30, 0, &[]),
            Some(Proof::Code { step }),
            "one step of drift"
        );
        assert_eq!(
            e.check(&code.to_string(), now + 90, 0, &[]),
            None,
            "three steps later"
        );
        assert_eq!(
            e.check(&code.to_string(), now, step, &[]),
            None,
            "the same step twice"
        );
        assert_eq!(e.check("12345", now, 0, &[]), None);
        assert_eq!(e.check("", now, 0, &[]), None);
    }

    #[test]
    fn recovery_codes_are_long_random_looking_and_single_use() {
        let e = enrollment(0);
        let info = e.set_up_info().expect("info");
        assert_eq!(info.recovery_codes.len(), RECOVERY_CODES);
        let first = &info.recovery_codes[0];
        assert_eq!(first.replace('-', "").len(), 28, "{first}");
        assert_eq!(e.check(first, 0, 0, &[]), Some(Proof::Recovery { index: 0 }));
        assert_eq!(
            e.check(&first.to_uppercase().replace('-', " "), 0, 0, &[]),
            Some(Proof::Recovery { index: 0 })
        );
        assert_eq!(e.check(first, 0, 0, &[0]), None, "used already");
        assert_eq!(e.check_code_only(first, 0), None, "a set-up needs the app's code");
        assert!(info.qr_svg.starts_with("<svg"));
        assert!(
            info.otpauth_url
                .starts_with("otpauth://totp/Steward:ann%40acme.com?"),
            "{}",
            info.otpauth_url
        );
    }

    #[test]
    fn a_new_generation_has_a_new_secret_and_new_codes() {
        let (a, b) = (
            enrollment(0).set_up_info().expect("a"),
            enrollment(1).set_up_info().expect("b"),
        );
        assert_ne!(a.secret, b.secret);
        assert!(a.recovery_codes.iter().all(|c| !b.recovery_codes.contains(c)));
        assert_eq!(
            a.secret,
            enrollment(0).set_up_info().expect("again").secret,
            "derived, not random"
        );
    }
}
