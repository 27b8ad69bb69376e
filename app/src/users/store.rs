//! The users of an account (team memberships) and their sessions.
use surrealdb::types::{Datetime, RecordId, SurrealValue};

use crate::core::accounts::default_role_key;
use crate::core::db::{checked, db_err, key, rid, Db, StoreError, Tx};
use crate::core::domain::DefaultRole;

#[derive(Debug, Clone, SurrealValue)]
pub struct UserRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role_id: String,
    pub role_name: String,
    pub last_active: Option<String>,
    pub sessions: i64,
    pub is_primary_admin: bool,
    /// The grant whose manager added the user ("Account managers may manage users").
    pub added_by_grant: Option<String>,
    /// Who added them: "manager X of agency Y".
    pub added_by: Option<String>,
    /// "last first", lowercase: the name sort's key.
    pub sort_name: String,
}

/// A membership row as stored: what the list shows of the user, the role and the sessions is kept
/// on it (migration 0008); ids are turned into keys in Rust (see `db::key`).
#[derive(Debug, Clone, SurrealValue)]
struct MemberRecord {
    user: RecordId,
    role: RecordId,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    last_active_at: Option<Datetime>,
    role_name: Option<String>,
    open_sessions: i64,
    added_by_grant: Option<RecordId>,
    added_by: Option<String>,
    sort_name: Option<String>,
}

/// Reads users of the account (all, or the one `$user`): one index range of membership, no link
/// followed and no session read.
async fn read(db: &Db, account_key: &str, user_key: Option<&str>) -> Result<Vec<UserRow>, StoreError> {
    let only = if user_key.is_some() {
        " AND user = $user"
    } else {
        ""
    };
    let res = db
        .query(format!(
            "SELECT VALUE primary_admin FROM ONLY $account;
             SELECT {MEMBER_COLUMNS} FROM membership WHERE account = $account{only};"
        ))
        .bind(("account", rid("account", account_key)))
        .bind(("user", user_key.map(|u| rid("user", u))))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let primary_admin: Option<RecordId> = res.take(0).map_err(db_err)?;
    let members: Vec<MemberRecord> = res.take(1).map_err(db_err)?;
    Ok(rows_of(members, primary_admin.as_ref()))
}

fn rows_of(members: Vec<MemberRecord>, primary_admin: Option<&RecordId>) -> Vec<UserRow> {
    members
        .into_iter()
        .map(|m| UserRow {
            sessions: m.open_sessions,
            is_primary_admin: primary_admin == Some(&m.user),
            id: key(&m.user),
            first_name: m.first_name.unwrap_or_default(),
            last_name: m.last_name.unwrap_or_default(),
            email: m.email.unwrap_or_default(),
            role_id: key(&m.role),
            role_name: m.role_name.unwrap_or_default(),
            last_active: m.last_active_at.map(|d| d.to_string()),
            added_by_grant: m.added_by_grant.as_ref().map(key),
            added_by: m.added_by,
            sort_name: m.sort_name.unwrap_or_default(),
        })
        .collect()
}

/// Columns the Users list sorts by, and the membership field each is ordered by: every one has
/// an index that starts with the account (migration 0029).
const SORTS: &[(&str, &str)] = &[
    ("name", "sort_name"),
    ("email", "email"),
    ("role", "role_name"),
    ("last_active", "last_active_at"),
];

/// At most this many users match a search, by each of its three indexes.
const SEARCH_CAP: i64 = 1000;

const MEMBER_COLUMNS: &str = "user, role, first_name, last_name, email, last_active_at, role_name,
    open_sessions, added_by_grant, added_by, sort_name";

pub use crate::core::paging::Window;

/// One page of the account's users and how many match in all. Without a search the page is
/// read in index order (the sort field after the account) and the total counted on the
/// account's index range, so the work follows the page and the team, not the table. A search
/// matches the start of the first name, the last name or the email, each through its index, up
/// to [`SEARCH_CAP`] rows each: the work grows with the matches.
pub async fn page(db: &Db, account_key: &str, window: Window<'_>) -> Result<(Vec<UserRow>, i64), StoreError> {
    let field = SORTS
        .iter()
        .find(|(column, _)| *column == window.sort)
        .map_or("sort_name", |(_, field)| field);
    let dir = if window.descending { "DESC" } else { "ASC" };
    let q = window.search.trim().to_lowercase();
    let account = rid("account", account_key);
    if q.is_empty() {
        let res = db
            .query(format!(
                "SELECT VALUE primary_admin FROM ONLY $account;
                 SELECT {MEMBER_COLUMNS} FROM membership WHERE account = $account
                     ORDER BY {field} {dir} LIMIT $limit START $start;
                 (SELECT count() FROM membership WITH INDEX membership_account
                     WHERE account = $account GROUP ALL)[0].count ?? 0;"
            ))
            .bind(("account", account))
            .bind(("limit", window.limit))
            .bind(("start", window.start))
            .await
            .map_err(db_err)?;
        let mut res = checked(res)?;
        let primary_admin: Option<RecordId> = res.take(0).map_err(db_err)?;
        let members: Vec<MemberRecord> = res.take(1).map_err(db_err)?;
        let total: Option<i64> = res.take(2).map_err(db_err)?;
        return Ok((rows_of(members, primary_admin.as_ref()), total.unwrap_or(0)));
    }
    let from = format!("{account_key}|{q}");
    let res = db
        .query(format!(
            "SELECT VALUE primary_admin FROM ONLY $account;
             SELECT {MEMBER_COLUMNS} FROM membership WHERE search_first >= $from AND search_first < $to LIMIT $cap;
             SELECT {MEMBER_COLUMNS} FROM membership WHERE search_last >= $from AND search_last < $to LIMIT $cap;
             SELECT {MEMBER_COLUMNS} FROM membership WHERE search_email >= $from AND search_email < $to LIMIT $cap;"
        ))
        .bind(("account", account))
        .bind(("to", format!("{from}\u{10FFFF}")))
        .bind(("from", from))
        .bind(("cap", SEARCH_CAP))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let primary_admin: Option<RecordId> = res.take(0).map_err(db_err)?;
    let mut seen = std::collections::HashSet::new();
    let mut members = Vec::new();
    for i in 1..=3 {
        let found: Vec<MemberRecord> = res.take(i).map_err(db_err)?;
        members.extend(found.into_iter().filter(|m| seen.insert(key(&m.user))));
    }
    let rows = rows_of(members, primary_admin.as_ref());
    Ok(crate::core::paging::sort_and_page(
        rows,
        &window,
        |a, b| sort_value(a, field).cmp(&sort_value(b, field)),
        |r| &r.id,
    ))
}

/// A row's value in the sort field, ordered as the index orders it.
fn sort_value(row: &UserRow, field: &str) -> String {
    match field {
        "email" => row.email.clone(),
        "role_name" => row.role_name.clone(),
        "last_active_at" => row.last_active.clone().unwrap_or_default(),
        _ => row.sort_name.clone(),
    }
}

pub async fn list(db: &Db, account_key: &str) -> Result<Vec<UserRow>, StoreError> {
    let mut rows = read(db, account_key, None).await?;
    rows.sort_by(|a, b| {
        (
            !a.is_primary_admin,
            a.last_name.to_lowercase(),
            a.first_name.to_lowercase(),
        )
            .cmp(&(
                !b.is_primary_admin,
                b.last_name.to_lowercase(),
                b.first_name.to_lowercase(),
            ))
    });
    Ok(rows)
}

/// A user of this account; `None` when there is no such user in it.
pub async fn get(db: &Db, account_key: &str, user_key: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(read(db, account_key, Some(user_key)).await?.into_iter().next())
}

pub struct UserChanges {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role_key: crate::core::ids::RoleId,
}

/// Adds to `tx` the edit of a user of the account (throws when the user or role is not in it).
pub fn update(tx: &mut Tx, account_key: &str, user_key: &str, changes: UserChanges) {
    tx.bind("uu_account", rid("account", account_key));
    tx.bind("uu_user", rid("user", user_key));
    tx.bind("uu_role", rid("role", &changes.role_key));
    tx.push("IF (SELECT VALUE id FROM membership WHERE account = $uu_account AND user = $uu_user) = [] { THROW 'user not in account' }");
    tx.push("IF (SELECT VALUE id FROM role WHERE id = $uu_role AND account = $uu_account) = [] { THROW 'role not in account' }");
    // Checked here, in the transaction: the primary admin may have changed since the request read it.
    tx.push("IF $uu_account.primary_admin = $uu_user AND $uu_role != $uu_admin_role { THROW 'primary admin keeps admin' }");
    // Serialises team changes of the account (migration 0010).
    tx.push("UPDATE $uu_account SET team_version += 1 RETURN NONE");
    tx.bind(
        "uu_admin_role",
        rid("role", &default_role_key(account_key, DefaultRole::Admin)),
    );
    let password = if changes.password_hash.is_some() {
        ", password_hash = $uu_hash"
    } else {
        ""
    };
    tx.push(format!(
        "UPDATE $uu_user SET first_name = $uu_first, last_name = $uu_last, email = $uu_email{password}"
    ));
    tx.push("UPDATE membership SET role = $uu_role WHERE account = $uu_account AND user = $uu_user");
    tx.bind("uu_first", changes.first_name);
    tx.bind("uu_last", changes.last_name);
    tx.bind("uu_email", changes.email);
    tx.bind("uu_hash", changes.password_hash);
}

/// Adds to `tx` the end of every session of a user.
pub fn end_sessions(tx: &mut Tx, user_key: &str, var: &str) {
    tx.push(format!("DELETE session WHERE user = ${var}"));
    tx.bind(var, rid("user", user_key));
}

/// Adds to `tx` the end of every session of a user but `keep` (the one they act from).
pub fn end_other_sessions(tx: &mut Tx, user_key: &str, keep: &str, var: &str) {
    tx.push(format!(
        "DELETE session WHERE user = ${var} AND id != ${var}_keep"
    ));
    tx.bind(var, rid("user", user_key));
    tx.bind(&format!("{var}_keep"), rid("session", keep));
}

/// Adds to `tx` the deletion of a user of the account with their membership and sessions.
pub fn delete(tx: &mut Tx, account_key: &str, user_key: &str, var: &str) {
    tx.bind(&format!("{var}_account"), rid("account", account_key));
    tx.bind(var, rid("user", user_key));
    tx.push(format!(
        "IF (SELECT VALUE id FROM membership WHERE account = ${var}_account AND user = ${var}) = [] {{ THROW 'user not in account' }}"
    ));
    tx.push(format!(
        "IF ${var}_account.primary_admin = ${var} {{ THROW 'primary admin protected' }}"
    ));
    tx.push(format!("UPDATE ${var}_account SET team_version += 1 RETURN NONE"));
    tx.push(format!("DELETE session WHERE user = ${var}"));
    tx.push(format!("DELETE membership WHERE user = ${var}"));
    tx.push(format!("DELETE ${var}"));
}

/// Adds to `tx` the hand-over of the primary admin role from `from_key` to `user_key`, who must
/// hold the Admin role. Both are checked in the transaction, so two admins acting at once can't
/// leave the account with a primary admin who is not an admin.
pub fn set_primary_admin(tx: &mut Tx, account_key: &str, from_key: &str, user_key: &str) {
    tx.push("IF $pa_account.primary_admin != $pa_from { THROW 'primary admin changed' }");
    tx.push(
        "IF (SELECT VALUE id FROM membership WHERE account = $pa_account AND user = $pa_user AND role = $pa_admin_role) = [] \
         { THROW 'not an admin' }",
    );
    tx.push("UPDATE $pa_account SET primary_admin = $pa_user");
    tx.push("UPDATE $pa_account SET team_version += 1 RETURN NONE");
    tx.bind("pa_account", rid("account", account_key));
    tx.bind("pa_from", rid("user", from_key));
    tx.bind("pa_user", rid("user", user_key));
    tx.bind(
        "pa_admin_role",
        rid("role", &default_role_key(account_key, DefaultRole::Admin)),
    );
}

#[derive(Debug, Clone, SurrealValue)]
pub struct SessionInfo {
    pub id: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

pub async fn sessions_of(db: &Db, user_key: &str) -> Result<Vec<SessionInfo>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS id, <string> created_at AS created_at, <string> last_seen_at AS last_seen_at,
                    <string> expires_at AS expires_at
             FROM session WHERE user = $user AND expires_at > time::now() ORDER BY last_seen_at DESC",
        )
        .bind(("user", rid("user", user_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Ends one session of a user; `false` when it was not theirs (or is gone).
pub async fn end_own_session(db: &Db, user_key: &str, session_key: &str) -> Result<bool, StoreError> {
    let res = db
        .query("DELETE $target_session WHERE user = $user RETURN BEFORE")
        .bind(("target_session", rid("session", session_key)))
        .bind(("user", rid("user", user_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<surrealdb::types::Value> = checked(res)?.take(0).map_err(db_err)?;
    Ok(!rows.is_empty())
}

/// Adds to `tx` the mark on a user just added (`add_team_user`) by a manager through `grant_key`,
/// and the check, in the transaction, that the owner still lets managers manage users.
pub fn mark_added_by_manager(tx: &mut Tx, grant_key: &str, label: &str) {
    tx.push("IF $tu_account.managers_manage_users != true { THROW 'managers may not manage users' }");
    tx.push(
        "UPDATE membership SET added_by_grant = $mu_grant, added_by = $mu_label \
         WHERE account = $tu_account AND user = $tu_user RETURN NONE",
    );
    tx.bind("mu_grant", rid("grant", grant_key));
    tx.bind("mu_label", label.to_string());
}
