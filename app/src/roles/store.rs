//! Team roles of an account: who uses them, and their changes.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct RoleSummary {
    pub id: String,
    pub name: String,
    pub default_key: Option<String>,
    pub permissions: Vec<String>,
    pub users: i64,
    pub grants: i64,
}

/// Every role of the account with how many team users and live grants hold it.
pub async fn list(db: &Db, account_key: &str) -> Result<Vec<RoleSummary>, StoreError> {
    list_where(db, account_key, None).await
}

pub async fn get(db: &Db, account_key: &str, role_key: &str) -> Result<Option<RoleSummary>, StoreError> {
    Ok(list_where(db, account_key, Some(role_key))
        .await?
        .into_iter()
        .next())
}

async fn list_where(db: &Db, account_key: &str, only: Option<&str>) -> Result<Vec<RoleSummary>, StoreError> {
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, name, default_key, permissions, created_at,
                (SELECT count() FROM membership WHERE role = $parent.id GROUP ALL)[0].count ?? 0 AS users,
                (SELECT count() FROM grant WHERE role = $parent.id AND state IN ['pending', 'active'] GROUP ALL)[0].count ?? 0 AS grants
             FROM role WHERE account = $account{} ORDER BY created_at, name",
            if only.is_some() { " AND id = $only" } else { "" }
        ))
        .bind(("account", rid("account", account_key)))
        .bind(("only", rid("role", only.unwrap_or_default())))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Who holds a role: team users' emails and the managing accounts of grants (any state but
/// closed ones, which keep their role for the record).
pub async fn holders(db: &Db, role_key: &str) -> Result<Vec<String>, StoreError> {
    let res = db
        .query(
            "array::concat(
                (SELECT VALUE user.email FROM membership WHERE role = $role),
                (SELECT VALUE manager_email + ' (account manager)' FROM grant WHERE role = $role))",
        )
        .bind(("role", rid("role", role_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

pub fn create(tx: &mut Tx, account_key: &str, role_key: &str, name: &str, permissions: Vec<String>) {
    tx.bind("r_account", rid("account", account_key));
    tx.bind("r_role", rid("role", role_key));
    tx.bind("r_name", name.to_string());
    tx.bind("r_perms", permissions);
    tx.push("CREATE $r_role SET account = $r_account, name = $r_name, permissions = $r_perms");
}

/// Adds to `tx` the change of a custom role of the account; throws for a default role or a
/// role of another account.
pub fn update(tx: &mut Tx, account_key: &str, role_key: &str, name: &str, permissions: Vec<String>) {
    tx.bind("r_account", rid("account", account_key));
    tx.bind("r_role", rid("role", role_key));
    tx.bind("r_name", name.to_string());
    tx.bind("r_perms", permissions);
    tx.push("IF (SELECT VALUE id FROM role WHERE id = $r_role AND account = $r_account AND default_key = NONE) = [] { THROW 'role not editable' }");
    tx.push("UPDATE $r_role SET name = $r_name, permissions = $r_perms");
}

/// Adds to `tx` the removal of a custom role nobody holds; throws otherwise, so that a role
/// given to someone between the check and the delete is not removed.
pub fn delete(tx: &mut Tx, account_key: &str, role_key: &str) {
    tx.bind("r_account", rid("account", account_key));
    tx.bind("r_role", rid("role", role_key));
    tx.push("IF (SELECT VALUE id FROM role WHERE id = $r_role AND account = $r_account AND default_key = NONE) = [] { THROW 'role not editable' }");
    tx.push("IF (SELECT VALUE id FROM membership WHERE role = $r_role) != [] OR (SELECT VALUE id FROM grant WHERE role = $r_role) != [] { THROW 'role in use' }");
    tx.push("DELETE $r_role");
}

/// The permissions of a role of the account; `None` when the account has no such role.
pub async fn permissions_of(
    db: &Db,
    account_key: &str,
    role_key: &str,
) -> Result<Option<Vec<String>>, StoreError> {
    let res = db
        .query("SELECT VALUE permissions FROM role WHERE id = $role AND account = $account")
        .bind(("role", rid("role", role_key)))
        .bind(("account", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<Vec<String>> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}
