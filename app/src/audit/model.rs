//! Wire types of the audit log. Shared by the browser and the server (serde only).
use serde::{Deserialize, Serialize};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    /// As the account writes dates and times (Localization).
    pub at: String,
    /// The same instant in RFC 3339, UTC, for machines (the API).
    pub timestamp: String,
    pub who: String,
    /// The agency, when a manager did it from another account.
    pub via: Option<String>,
    pub action: String,
    pub detail: String,
}

/// The filters of the Audit log page, as the page's address carries them (empty: any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// The id of the user who acted.
    pub user: String,
    pub action: String,
    /// First day, YYYY-MM-DD (UTC).
    pub from: String,
    /// Last day, YYYY-MM-DD (UTC), included.
    pub to: String,
    pub page: i64,
}

impl AuditQuery {
    /// The query string of these filters, for links (pages, CSV) that keep them.
    pub fn to_query_string(&self, page: Option<i64>) -> String {
        let mut parts: Vec<String> = [
            ("user", &self.user),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect();
        if let Some(page) = page.filter(|p| *p > 0) {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A choice of a filter list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// One page of the log with what the filters can choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    /// Whether an older page exists.
    pub more: bool,
    pub users: Vec<Choice>,
    pub actions: Vec<Choice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_keeps_the_filters_set_and_encodes_them() {
        let q = AuditQuery {
            user: "u1".into(),
            action: "user.added".into(),
            from: String::new(),
            to: "2026-11-23".into(),
            page: 3,
        };
        assert_eq!(
            q.to_query_string(Some(2)),
            "user=u1&action=user.added&to=2026-11-23&page=2"
        );
        assert_eq!(
            q.to_query_string(Some(0)),
            "user=u1&action=user.added&to=2026-11-23"
        );
        let odd = AuditQuery {
            action: "a&b=c".into(),
            ..AuditQuery::default()
        };
        assert_eq!(odd.to_query_string(None), "action=a%26b%3Dc");
    }
}
