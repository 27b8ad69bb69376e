//! The templates Steward ships, as plain data, and the rules for naming a template.
use crate::core::domain::Invalid;

pub struct BuiltInTemplate {
    /// Stable key: the template is `template:<key>`, its content `account:builtin_<key>`.
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// (name, kind)
    pub fields: &'static [(&'static str, &'static str)],
    pub tags: &'static [&'static str],
    /// (name, subject, body)
    pub messages: &'static [(&'static str, &'static str, &'static str)],
    /// (first name, last name, email, tags, [(field, value)])
    pub contacts: &'static [SampleContact],
}

pub struct SampleContact {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub tags: &'static [&'static str],
    pub fields: &'static [(&'static str, &'static str)],
}

pub const BUILT_IN: &[BuiltInTemplate] = &[
    BuiltInTemplate {
        key: "coach",
        name: "Coach",
        description: "For coaches: appointment and course fields, client tags and welcome messages.",
        fields: &[
            ("Next appointment", "date"),
            ("Appointment type", "text"),
            ("Course", "text"),
            ("Course start", "date"),
            ("Sessions left", "number"),
            ("Goal", "text"),
        ],
        tags: &[
            "Lead",
            "Client",
            "Course student",
            "Alumni",
            "Discovery call booked",
        ],
        messages: &[
            (
                "Welcome",
                "Welcome aboard, {{First name}}!",
                "Hi {{First name}},\n\nI'm glad you're here. Your goal: {{Goal}}. Let's get you there.\n",
            ),
            (
                "Appointment reminder",
                "See you soon",
                "Hi {{First name}},\n\nA reminder of our {{Appointment type}} on {{Next appointment}}.\n",
            ),
            (
                "Course welcome",
                "Your course starts {{Course start}}",
                "Hi {{First name}},\n\nWelcome to {{Course}}. It starts on {{Course start}}.\n",
            ),
        ],
        contacts: &[
            SampleContact {
                first_name: "Sample",
                last_name: "Client",
                email: "sample.client@example.com",
                tags: &["Client"],
                fields: &[
                    ("Appointment type", "Coaching session"),
                    ("Sessions left", "4"),
                    ("Goal", "Run a marathon"),
                ],
            },
            SampleContact {
                first_name: "Sample",
                last_name: "Lead",
                email: "sample.lead@example.com",
                tags: &["Lead", "Discovery call booked"],
                fields: &[("Appointment type", "Discovery call")],
            },
        ],
    },
    BuiltInTemplate {
        key: "agency_client",
        name: "Agency client",
        description: "A small CRM set-up: lead source and deal fields, pipeline tags, follow-up messages.",
        fields: &[
            ("Company", "text"),
            ("Lead source", "text"),
            ("Deal value", "number"),
            ("Last contacted", "date"),
        ],
        tags: &["New lead", "Qualified", "Proposal sent", "Customer", "Lost"],
        messages: &[
            (
                "First follow-up",
                "Thanks for reaching out, {{First name}}",
                "Hi {{First name}},\n\nThanks for your interest. How can we help {{Company}}?\n",
            ),
            (
                "Proposal",
                "Your proposal",
                "Hi {{First name}},\n\nAttached is our proposal for {{Company}}.\n",
            ),
        ],
        contacts: &[SampleContact {
            first_name: "Sample",
            last_name: "Customer",
            email: "sample.customer@example.com",
            tags: &["Customer"],
            fields: &[
                ("Company", "Example Ltd"),
                ("Lead source", "Website"),
                ("Deal value", "1200"),
            ],
        }],
    },
];

/// A template's name: trimmed, 2 to 80 characters.
pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    if name.chars().count() < 2 {
        return Err(Invalid("Enter a template name of at least 2 characters.".into()));
    }
    if name.chars().count() > 80 {
        return Err(Invalid("The template name can be at most 80 characters.".into()));
    }
    Ok(name.to_string())
}

pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    let text = raw.trim();
    if text.chars().count() > 500 {
        return Err(Invalid("The description can be at most 500 characters.".into()));
    }
    Ok(text.to_string())
}

/// The names a message uses as `{{Name}}` placeholders, in order of first use.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        rest = &after[end + 2..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_once_each() {
        assert_eq!(
            placeholders("Hi {{First name}}, {{ Goal }} and {{First name}} {{ }} {{open"),
            vec!["First name", "Goal"]
        );
    }

    #[test]
    fn built_in_templates_only_use_their_own_fields_and_tags() {
        for t in BUILT_IN {
            for c in t.contacts {
                assert!(c.tags.iter().all(|tag| t.tags.contains(tag)), "{}", t.name);
                assert!(
                    c.fields.iter().all(|(f, _)| t.fields.iter().any(|(n, _)| n == f)),
                    "{}",
                    t.name
                );
            }
        }
    }

    #[test]
    fn template_names_are_checked() {
        assert!(parse_name(" x ").is_err());
        assert_eq!(parse_name(" Coach ").expect("ok"), "Coach");
    }
}
