//! One SurrealDB transaction built statement by statement, with its audit entries and outbox emails.
use surrealdb::types::{SurrealValue, Value};
use surrealdb::IndexedResults;

use super::{checked, Db, StoreError};

/// An email to be delivered after the transaction that reports it commits.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
}

/// Who did what, for the audit log. `account` is where it happened.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub account: surrealdb::types::RecordId,
    pub actor_user: Option<surrealdb::types::RecordId>,
    pub actor_name: String,
    pub via_account: Option<surrealdb::types::RecordId>,
    pub action: String,
    pub detail: String,
}

#[derive(Default)]
pub struct Tx {
    statements: Vec<String>,
    vars: Vec<(String, Value)>,
    counter: usize,
}

impl Tx {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, statement: impl Into<String>) -> &mut Self {
        self.statements.push(statement.into());
        self
    }

    pub fn bind(&mut self, name: &str, value: impl SurrealValue) -> &mut Self {
        self.vars.push((name.to_string(), value.into_value()));
        self
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{}", self.counter)
    }

    pub fn mail(&mut self, mail: Mail) -> &mut Self {
        let p = self.fresh("mail");
        self.push(format!(
            "CREATE outbox SET to = ${p}_to, subject = ${p}_subject, body = ${p}_body, link = ${p}_link, status = 'pending'"
        ));
        self.bind(&format!("{p}_to"), mail.to);
        self.bind(&format!("{p}_subject"), mail.subject);
        self.bind(&format!("{p}_body"), mail.body);
        self.bind(&format!("{p}_link"), mail.link);
        self
    }

    pub fn audit(&mut self, entry: AuditEntry) -> &mut Self {
        let p = self.fresh("audit");
        self.push(format!(
            "CREATE audit SET account = ${p}_account, actor_user = ${p}_user, actor_name = ${p}_name, \
             via_account = ${p}_via, action = ${p}_action, detail = ${p}_detail"
        ));
        self.bind(&format!("{p}_account"), entry.account);
        self.bind(&format!("{p}_user"), entry.actor_user);
        self.bind(&format!("{p}_name"), entry.actor_name);
        self.bind(&format!("{p}_via"), entry.via_account);
        self.bind(&format!("{p}_action"), entry.action);
        self.bind(&format!("{p}_detail"), entry.detail);
        self
    }

    /// Runs every statement in one transaction: all of them take effect, or none.
    pub async fn commit(self, db: &Db) -> Result<IndexedResults, StoreError> {
        let sql = format!(
            "BEGIN TRANSACTION;\n{};\nCOMMIT TRANSACTION;",
            self.statements.join(";\n")
        );
        let mut query = db.query(sql);
        for (name, value) in self.vars {
            query = query.bind((name, value));
        }
        checked(query.await.map_err(super::db_err)?)
    }
}
