//! Accounts, their users, memberships and roles.
use crate::core::ids::RoleId;
use surrealdb::types::{RecordId, SurrealValue};

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};
use crate::core::domain::DefaultRole;

/// A user as the login needs it.
#[derive(Debug, Clone, SurrealValue)]
pub struct UserLogin {
    pub id: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
}

/// Everything a new account with its primary admin needs.
pub struct NewAccount {
    pub account_key: String,
    pub name: String,
    pub user_key: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    /// How long its free trial lasts.
    pub trial_secs: i64,
}

/// Adds to `tx` the statements that create an account, its four default roles and its primary
/// admin holding the Admin role.
pub fn create_account_with_admin(tx: &mut Tx, new: NewAccount) {
    let account = rid("account", &new.account_key);
    let user = rid("user", &new.user_key);
    tx.push(
        "CREATE $account SET name = $account_name, status = 'free_trial', \
         trial_ends_at = time::now() + type::duration($account_trial)",
    );
    tx.bind("account_trial", format!("{}s", new.trial_secs.max(0)));
    tx.bind("account", account.clone());
    tx.bind("account_name", new.name);
    let mut admin_role = None;
    for role in DefaultRole::ALL {
        let role_id = rid("role", &default_role_key(&new.account_key, role));
        let p = role.key();
        tx.push(format!(
            "CREATE $role_{p} SET account = $account, name = $role_{p}_name, default_key = $role_{p}_key, permissions = $role_{p}_perms"
        ));
        tx.bind(&format!("role_{p}"), role_id.clone());
        tx.bind(&format!("role_{p}_name"), role.name().to_string());
        tx.bind(&format!("role_{p}_key"), role.key().to_string());
        tx.bind(
            &format!("role_{p}_perms"),
            role.permissions().keys().map(str::to_string).collect::<Vec<_>>(),
        );
        if role == DefaultRole::Admin {
            admin_role = Some(role_id);
        }
    }
    tx.push("CREATE $user SET email = $email, first_name = $first_name, last_name = $last_name, password_hash = $password_hash");
    tx.bind("user", user);
    tx.bind("email", new.email);
    tx.bind("first_name", new.first_name);
    tx.bind("last_name", new.last_name);
    tx.bind("password_hash", new.password_hash);
    tx.push("CREATE membership SET user = $user, account = $account, role = $admin_role");
    tx.bind("admin_role", admin_role);
    tx.push("UPDATE $account SET primary_admin = $user");
}

pub async fn find_login(db: &Db, email: &str) -> Result<Option<UserLogin>, StoreError> {
    let res = db
        .query("SELECT record::id(id) AS id, password_hash, first_name, last_name FROM user WHERE email = $email LIMIT 1")
        .bind(("email", email.to_string()))
        .await
        .map_err(db_err)?;
    let rows: Vec<UserLogin> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

/// Who a user is, for messages and audit entries.
#[derive(Debug, Clone, SurrealValue)]
pub struct UserBrief {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

pub async fn user_brief(db: &Db, user_key: &str) -> Result<Option<UserBrief>, StoreError> {
    let res = db
        .query("SELECT email, first_name, last_name FROM ONLY $user")
        .bind(("user", rid("user", user_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// The home account of a user: where they log in to.
pub async fn home_account(db: &Db, user_key: &str) -> Result<Option<String>, StoreError> {
    let res = db
        .query("SELECT VALUE record::id(account) FROM membership WHERE user = $user LIMIT 1")
        .bind(("user", rid("user", user_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<String> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

/// A team user added to an existing account with one of its roles.
pub struct NewTeamUser {
    pub account_key: String,
    pub user_key: String,
    pub role_key: RoleId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
}

/// Adds to `tx` a user and their membership of the account with the given role. The role must
/// belong to the account: the statement throws otherwise.
pub fn add_team_user(tx: &mut Tx, new: NewTeamUser) {
    tx.bind("tu_account", rid("account", &new.account_key));
    tx.bind("tu_role", rid("role", &new.role_key));
    tx.bind("tu_user", rid("user", &new.user_key));
    tx.push("IF (SELECT VALUE id FROM role WHERE id = $tu_role AND account = $tu_account) = [] { THROW 'role not in account' }");
    tx.push("CREATE $tu_user SET email = $tu_email, first_name = $tu_first, last_name = $tu_last, password_hash = $tu_hash");
    tx.bind("tu_email", new.email);
    tx.bind("tu_first", new.first_name);
    tx.bind("tu_last", new.last_name);
    tx.bind("tu_hash", new.password_hash);
    tx.push("CREATE membership SET user = $tu_user, account = $tu_account, role = $tu_role");
}

/// The key of an account's default role (`admin`, `manager`, `builder`, `designer`).
pub fn default_role_key(account_key: &str, role: DefaultRole) -> RoleId {
    RoleId::new(format!("{account_key}_{}", role.key()))
}

#[derive(Debug, Clone, SurrealValue)]
pub struct RoleRow {
    pub id: String,
    pub name: String,
}

pub async fn roles(db: &Db, account_key: &str) -> Result<Vec<RoleRow>, StoreError> {
    let res = db
        .query("SELECT record::id(id) AS id, name, created_at FROM role WHERE account = $account ORDER BY created_at, name")
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Is `email` a user of this account?
pub async fn has_member_email(db: &Db, account_key: &str, email: &str) -> Result<bool, StoreError> {
    let res = db
        .query("SELECT VALUE id FROM membership WHERE account = $account AND user.email = $email LIMIT 1")
        .bind(("account", rid("account", account_key)))
        .bind(("email", email.to_string()))
        .await
        .map_err(db_err)?;
    let rows: Vec<RecordId> = checked(res)?.take(0).map_err(db_err)?;
    Ok(!rows.is_empty())
}

/// The home account and primary admin email of the user with this email, if any.
#[derive(Debug, Clone, SurrealValue)]
pub struct AccountOfEmail {
    pub account: String,
    pub name: String,
    pub allow_manager_requests: bool,
    pub owner_email: Option<String>,
}

pub async fn account_of_email(db: &Db, email: &str) -> Result<Option<AccountOfEmail>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(account) AS account, account.name AS name,
                    account.allow_manager_requests AS allow_manager_requests,
                    account.primary_admin.email AS owner_email
             FROM membership WHERE user.email = $email LIMIT 1",
        )
        .bind(("email", email.to_string()))
        .await
        .map_err(db_err)?;
    let rows: Vec<AccountOfEmail> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

/// Whether the owner lets account managers manage users, and the owner's (primary admin's)
/// email, to tell them when a manager does.
#[derive(Debug, Clone, SurrealValue)]
pub struct TeamConsent {
    pub managers_manage_users: Option<bool>,
    pub owner_email: Option<String>,
}

pub async fn team_consent(db: &Db, account_key: &str) -> Result<TeamConsent, StoreError> {
    let res = db
        .query("SELECT managers_manage_users, primary_admin.email AS owner_email FROM ONLY $account")
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let row: Option<TeamConsent> = checked(res)?.take(0).map_err(db_err)?;
    Ok(row.unwrap_or(TeamConsent {
        managers_manage_users: Some(false),
        owner_email: None,
    }))
}
