//! An email address as Steward compares them: trimmed, lower-cased, `+tags` kept.
use super::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses what a person typed. Case does not make an email different; a `+tag` does.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(Invalid("Enter an email address.".into()));
        }
        if email.len() > 254 {
            return Err(Invalid("That email address is too long.".into()));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(Invalid("Enter an email address like name@example.com.".into()));
        };
        // The dot-atom form of RFC 5322, as the database's `string::is_email` checks it: a
        // local part of letters, digits and `!#$%&'*+/=?^_`{|}~-` between single dots; domain
        // labels of letters, digits and inner hyphens, the last not all digits (no bare IPs).
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
            && !labels
                .last()
                .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()));
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local.split('.').all(|atom| {
                !atom.is_empty()
                    && atom
                        .chars()
                        .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
            });
        if !domain_ok || !local_ok {
            return Err(Invalid("Enter an email address like name@example.com.".into()));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spaces_do_not_make_an_email_different() {
        let a = Email::parse("  Ann@Example.COM ").expect("valid");
        let b = Email::parse("ann@example.com").expect("valid");
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "ann@example.com");
    }

    #[test]
    fn a_plus_tag_makes_a_different_email() {
        let a = Email::parse("ann+portal1@example.com").expect("valid");
        let b = Email::parse("ann@example.com").expect("valid");
        assert_ne!(a, b);
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "ann@.com",
            "a b@example.com",
            "ann@exa mple.com",
            "a..b@example.com",
            ".a@example.com",
            "a(b)@example.com",
            "ann@-example.com",
            "ann@1.2.3.4",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
