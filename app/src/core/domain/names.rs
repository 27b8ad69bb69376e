//! Names people and accounts go by.
use super::Invalid;

/// A first or last name: trimmed, 1 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str, what: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Invalid(format!("Enter a {what}.")));
        }
        if name.chars().count() > 80 {
            return Err(Invalid(format!("The {what} can be at most 80 characters.")));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid(format!(
                "The {what} has characters that are not allowed."
            )));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The name of an account: trimmed, 2 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountName(String);

impl AccountName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        if name.chars().count() < 2 {
            return Err(Invalid("Enter an account name of at least 2 characters.".into()));
        }
        if name.chars().count() > 100 {
            return Err(Invalid("The account name can be at most 100 characters.".into()));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid(
                "The account name has characters that are not allowed.".into(),
            ));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Free text a person typed: trimmed, at least `min` and at most `max` characters.
pub fn text(raw: &str, what: &str, min: usize, max: usize) -> Result<String, Invalid> {
    let v = raw.trim();
    if v.chars().count() < min {
        return Err(Invalid(format!("Enter a {what}.")));
    }
    if v.chars().count() > max {
        return Err(Invalid(format!("The {what} can be at most {max} characters.")));
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("  Ann ", "first name").expect("ok").as_str(),
            "Ann"
        );
        assert_eq!(
            PersonName::parse(" ", "first name").expect_err("empty").0,
            "Enter a first name."
        );
        assert!(PersonName::parse(&"x".repeat(81), "last name").is_err());
        assert!(AccountName::parse("A").is_err());
        assert_eq!(AccountName::parse(" Acme ").expect("ok").into_string(), "Acme");
    }
}
