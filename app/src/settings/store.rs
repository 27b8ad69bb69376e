//! An account's own settings about account managers.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};
use crate::settings::model::AccountSettings;

#[derive(Debug, Clone, SurrealValue)]
pub struct SettingsRow {
    pub allow_manager_requests: bool,
    pub managers_manage_users: Option<bool>,
    pub login_notify: String,
    pub require_two_factor: Option<bool>,
}

pub async fn get(db: &Db, account_key: &str) -> Result<SettingsRow, StoreError> {
    let res = db
        .query("SELECT allow_manager_requests, managers_manage_users, login_notify, require_two_factor FROM ONLY $acc")
        .bind(("acc", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let row: Option<SettingsRow> = checked(res)?.take(0).map_err(db_err)?;
    Ok(row.unwrap_or(SettingsRow {
        allow_manager_requests: true,
        managers_manage_users: Some(false),
        login_notify: "each_time".into(),
        require_two_factor: Some(false),
    }))
}

pub fn save(tx: &mut Tx, account_key: &str, settings: &AccountSettings) {
    tx.push(
        "UPDATE $set_acc SET allow_manager_requests = $set_allow, managers_manage_users = $set_manage, \
         login_notify = $set_notify, require_two_factor = $set_two_factor",
    );
    tx.bind("set_acc", rid("account", account_key));
    tx.bind("set_allow", settings.allow_manager_requests);
    tx.bind("set_manage", settings.managers_manage_users);
    tx.bind("set_notify", settings.login_notify.clone());
    tx.bind("set_two_factor", settings.require_two_factor);
}

/// An account whose daily summary of manager log-ins is due, with the log-ins to report.
#[derive(Debug, Clone, SurrealValue)]
pub struct SummaryDue {
    pub account: String,
    pub name: String,
    pub owner_email: Option<String>,
    pub logins: Vec<String>,
}

pub async fn summaries_due(db: &Db) -> Result<Vec<SummaryDue>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS account, name, primary_admin.email AS owner_email,
                    (SELECT VALUE string::concat(<string> at, ' ', actor_name, ': ', detail) FROM audit
                       WHERE account = $parent.id AND action = 'manager.logged_in'
                         AND at > ($parent.login_summary_sent_at ?? time::now() - 1d) ORDER BY at) AS logins
             FROM account WHERE login_notify = 'daily'
               AND (login_summary_sent_at = NONE OR login_summary_sent_at <= time::now() - 1d)",
        )
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

pub fn mark_summary_sent(tx: &mut Tx, account_key: &str) {
    tx.push("UPDATE $sum_acc SET login_summary_sent_at = time::now()");
    tx.bind("sum_acc", rid("account", account_key));
}

#[derive(Debug, Clone, SurrealValue)]
pub struct AdminToolsRow {
    pub business_name: String,
    pub address: String,
    pub time_zone: String,
    pub language: String,
    pub date_format: String,
    pub currency: String,
}

pub async fn admin_tools(db: &Db, account_key: &str) -> Result<Option<AdminToolsRow>, StoreError> {
    let res = db
        .query("SELECT business_name, address, time_zone, language, date_format, currency FROM ONLY $acc")
        .bind(("acc", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

pub fn save_business(tx: &mut Tx, account_key: &str, name: &str, address: &str, time_zone: &str) {
    tx.push("UPDATE $bi_acc SET business_name = $bi_name, address = $bi_address, time_zone = $bi_tz");
    tx.bind("bi_acc", rid("account", account_key));
    tx.bind("bi_name", name.to_string());
    tx.bind("bi_address", address.to_string());
    tx.bind("bi_tz", time_zone.to_string());
}

pub fn save_localization(tx: &mut Tx, account_key: &str, language: &str, date_format: &str, currency: &str) {
    tx.push("UPDATE $lo_acc SET language = $lo_lang, date_format = $lo_date, currency = $lo_cur");
    tx.bind("lo_acc", rid("account", account_key));
    tx.bind("lo_lang", language.to_string());
    tx.bind("lo_date", date_format.to_string());
    tx.bind("lo_cur", currency.to_string());
}
