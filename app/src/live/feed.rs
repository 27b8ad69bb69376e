//! The server's side of live tables: one `LIVE SELECT` per table a page shows, turned into
//! "this topic changed in this account" (or for this user, or this session) and handed to every
//! open channel, which keeps what its own session may see (`Change::concerns`). Every server runs
//! its own feed on the shared database, so a change made through one server reaches the pages
//! open on another.
use std::time::Duration;

use futures::StreamExt;
use surrealdb::types::Value;
use surrealdb::Notification;
use tokio::sync::broadcast;

use super::model::Topic;
use crate::core::db::{self, Db};

/// Whom a change is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everyone acting in this account.
    Account(String),
    /// This user, wherever they act (their own sessions).
    User(String),
    /// This one session (it ended, or moved to another account).
    Session(String),
    /// Whoever logs in with this email, acting in their own account: an invitation sent to it,
    /// before any account of theirs is part of the grant.
    Email(String),
    /// Every open page: the feed lost the database for a while and may have missed changes.
    Everyone,
}

/// One change, as the channels receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub scope: Scope,
    /// `None` for a change of a session itself: its channel checks the session again.
    pub topic: Option<Topic>,
}

/// Who a channel serves: the session behind it.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub session: String,
    pub user: String,
    pub account: String,
    pub email: String,
    /// Acting in their own account (not in a client account through a grant).
    pub at_home: bool,
}

impl Change {
    /// Whether this change goes down the viewer's channel.
    pub fn concerns(&self, viewer: &Viewer) -> bool {
        match &self.scope {
            Scope::Account(a) => *a == viewer.account,
            Scope::User(u) => *u == viewer.user,
            Scope::Session(s) => *s == viewer.session,
            Scope::Email(e) => viewer.at_home && *e == viewer.email,
            Scope::Everyone => true,
        }
    }
}

/// The changes of every table, for every open channel of this server.
#[derive(Clone)]
pub struct LiveHub {
    tx: broadcast::Sender<Change>,
    /// Set when the server stops: every channel ends, so a graceful shutdown doesn't wait for
    /// pages that stay open (their browsers reconnect to the next server).
    closing: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        // A slow channel that falls this far behind is told to read everything again.
        let (tx, _) = broadcast::channel(4096);
        let (closing, _) = tokio::sync::watch::channel(false);
        Self {
            tx,
            closing: std::sync::Arc::new(closing),
        }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.tx.subscribe()
    }

    /// What tells a channel the server is stopping.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every channel (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Open channels.
    pub fn channels(&self) -> usize {
        self.tx.receiver_count()
    }

    fn publish(&self, change: Change) {
        // No channel open: nobody to tell.
        let _ = self.tx.send(change);
    }
}

/// The tables a page shows, and whom a change of one of their records concerns.
const TABLES: &[&str] = &[
    "grant",
    "membership",
    "role",
    "template",
    "session",
    "audit",
    "webhook_endpoint",
    "webhook_delivery",
];

/// The `LIVE SELECT` of a table: its whole records, but only the account of a delivery, whose
/// payload and attempts a channel never needs and which changes at every attempt.
fn live_select(table: &str) -> String {
    match table {
        "webhook_delivery" => "LIVE SELECT id, account FROM webhook_delivery".to_string(),
        _ => format!("LIVE SELECT * FROM {table}"),
    }
}

fn field_text(record: &Value, field: &str) -> Option<String> {
    match record {
        Value::Object(o) => match o.get(field) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn field_key(record: &Value, field: &str) -> Option<String> {
    match record {
        Value::Object(o) => match o.get(field) {
            Some(Value::RecordId(id)) => Some(db::key(id)),
            _ => None,
        },
        _ => None,
    }
}

/// The changes one record's notification means.
pub fn changes_of(table: &str, record: &Value) -> Vec<Change> {
    let account = |field: &str, topic: Topic| {
        field_key(record, field).map(|a| Change {
            scope: Scope::Account(a),
            topic: Some(topic),
        })
    };
    match table {
        "grant" => {
            let managing = account("managing_account", Topic::Grants);
            // Until an account of theirs manages it, the invited person is known by email only.
            let invited = managing
                .is_none()
                .then(|| field_text(record, "manager_email"))
                .flatten()
                .map(|e| Change {
                    scope: Scope::Email(e),
                    topic: Some(Topic::Grants),
                });
            [account("client_account", Topic::Grants), managing, invited]
                .into_iter()
                .flatten()
                .collect()
        }
        "membership" => account("account", Topic::Users).into_iter().collect(),
        "role" => account("account", Topic::Roles).into_iter().collect(),
        "template" => account("owner_account", Topic::Templates).into_iter().collect(),
        "audit" => account("account", Topic::Audit).into_iter().collect(),
        "webhook_endpoint" | "webhook_delivery" => account("account", Topic::Webhooks).into_iter().collect(),
        "session" => {
            let mut out = Vec::new();
            if let Some(id) = field_key(record, "id") {
                out.push(Change {
                    scope: Scope::Session(id),
                    topic: None,
                });
            }
            if let Some(user) = field_key(record, "user") {
                out.push(Change {
                    scope: Scope::User(user),
                    topic: Some(Topic::Sessions),
                });
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Follows one table until the process ends, starting again after a lost stream.
async fn follow(db: std::sync::Arc<Db>, hub: LiveHub, table: &'static str) {
    let mut lost = false;
    loop {
        match db.query(live_select(table)).await {
            Ok(mut res) => match res.stream::<Notification<Value>>(0) {
                Ok(mut stream) => {
                    tracing::info!(table, "live: following");
                    // Following again after a lost stream (the database restarted, say): what
                    // changed meanwhile was not heard, so every open page reads its lists again.
                    if std::mem::take(&mut lost) {
                        hub.publish(Change {
                            scope: Scope::Everyone,
                            topic: None,
                        });
                    }
                    while let Some(item) = stream.next().await {
                        match item {
                            Ok(n) => {
                                for change in changes_of(table, &n.data) {
                                    hub.publish(change);
                                }
                            }
                            Err(e) => tracing::warn!(table, error = %e, "live: unreadable notification"),
                        }
                    }
                    tracing::warn!(table, "live: the stream ended; following again");
                    lost = true;
                }
                Err(e) => tracing::warn!(table, error = %e, "live: no stream"),
            },
            Err(e) => tracing::warn!(table, error = %e, "live: LIVE SELECT refused"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Starts following every table a page shows (on the runtime of the caller).
pub fn start(db: std::sync::Arc<Db>, hub: LiveHub) {
    for table in TABLES {
        tokio::spawn(follow(db.clone(), hub.clone(), table));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_gets_the_changes_of_its_account_user_and_session_only() {
        let viewer = Viewer {
            session: "s1".into(),
            user: "u1".into(),
            account: "a1".into(),
            email: "max@agency.com".into(),
            at_home: true,
        };
        let change = |scope| Change {
            scope,
            topic: Some(Topic::Grants),
        };
        assert!(change(Scope::Account("a1".into())).concerns(&viewer));
        assert!(!change(Scope::Account("a2".into())).concerns(&viewer));
        assert!(change(Scope::User("u1".into())).concerns(&viewer));
        assert!(!change(Scope::User("u2".into())).concerns(&viewer));
        assert!(change(Scope::Session("s1".into())).concerns(&viewer));
        assert!(!change(Scope::Session("s2".into())).concerns(&viewer));
        assert!(change(Scope::Email("max@agency.com".into())).concerns(&viewer));
        assert!(!change(Scope::Email("eve@agency.com".into())).concerns(&viewer));
        // Acting in a client account, the invitations to one's email are not that page's.
        let away = Viewer {
            at_home: false,
            ..viewer
        };
        assert!(!change(Scope::Email("max@agency.com".into())).concerns(&away));
    }
}
