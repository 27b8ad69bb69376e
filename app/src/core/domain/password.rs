//! A new password and the rules it must meet. Never `Debug`-printed, never serialised.
use super::Invalid;

pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<hidden>)")
    }
}

impl Password {
    pub const MIN_LEN: usize = 10;

    /// Checks a password someone chooses (sign up, new user, change of password).
    pub fn parse_new(raw: &str, email: &str) -> Result<Self, Invalid> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(Invalid(format!(
                "Use at least {} characters for the password.",
                Self::MIN_LEN
            )));
        }
        if len > 256 {
            return Err(Invalid("Use at most 256 characters for the password.".into()));
        }
        let lower = raw.to_lowercase();
        if !email.is_empty() && lower == email.to_lowercase() {
            return Err(Invalid("The password can't be your email address.".into()));
        }
        let distinct: std::collections::HashSet<char> = raw.chars().collect();
        if distinct.len() < 4 {
            return Err(Invalid(
                "That password is too easy to guess: use more different characters.".into(),
            ));
        }
        const COMMON: [&str; 8] = [
            "password",
            "1234567890",
            "qwertyuiop",
            "letmein",
            "iloveyou",
            "welcome",
            "admin",
            "steward",
        ];
        if COMMON
            .iter()
            .any(|c| lower.starts_with(c) && lower.len() <= c.len() + 3)
        {
            return Err(Invalid("That password is too common: choose another one.".into()));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(Password::parse_new("short", "a@b.co")
            .expect_err("short")
            .0
            .contains("at least 10"));
        assert!(Password::parse_new("aaaaaaaaaaaa", "a@b.co").is_err());
        assert!(Password::parse_new("password123", "a@b.co").is_err());
        assert!(Password::parse_new("ann@example.com", "Ann@example.com").is_err());
        assert!(Password::parse_new("correct horse battery", "a@b.co").is_ok());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let p = Password::parse_new("correct horse battery", "a@b.co").expect("ok");
        assert!(!format!("{p:?}").contains("horse"));
    }
}
