//! Server-side sessions, found by the hash of the cookie token.
use surrealdb::types::SurrealValue;

use super::{checked, db_err, rid, Db, StoreError, Tx};

/// A live session with the user and the account it acts in, and the role it acts with.
#[derive(Debug, Clone, SurrealValue)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub account_id: String,
    pub account_name: String,
    pub home_account_id: Option<String>,
    pub home_account_name: Option<String>,
    pub primary_admin: Option<String>,
    pub via_grant: Option<String>,
    pub grant_ok: bool,
    pub notice: Option<String>,
    pub role_name: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub seen_secs_ago: i64,
}

pub async fn create(
    db: &Db,
    token_hash: &str,
    user_key: &str,
    account_key: &str,
    absolute_ttl_secs: i64,
) -> Result<(), StoreError> {
    let res = db
        .query(
            "CREATE session SET token_hash = $hash, user = $user, acting_account = $account, \
             expires_at = time::now() + type::duration($ttl)",
        )
        .bind(("hash", token_hash.to_string()))
        .bind(("user", rid("user", user_key)))
        .bind(("account", rid("account", account_key)))
        .bind(("ttl", format!("{absolute_ttl_secs}s")))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// The session behind a token, if it exists and has expired neither absolutely nor by idleness.
///
/// A session logged in to a managed account acts with the grant's role, and only while the grant
/// is active and still belongs to the user's home account (`grant_ok`).
pub async fn find_live(db: &Db, token_hash: &str, idle_secs: i64) -> Result<Option<SessionRow>, StoreError> {
    let res = db
        .query(
            "SELECT record::id(id) AS id,
                    record::id(user) AS user_id,
                    user.email AS email, user.first_name AS first_name, user.last_name AS last_name,
                    record::id(acting_account) AS account_id,
                    acting_account.name AS account_name,
                    (SELECT VALUE record::id(account) FROM membership WHERE user = $parent.user)[0] AS home_account_id,
                    (SELECT VALUE account.name FROM membership WHERE user = $parent.user)[0] AS home_account_name,
                    IF acting_account.primary_admin THEN record::id(acting_account.primary_admin) ELSE NONE END AS primary_admin,
                    IF via_grant THEN record::id(via_grant) ELSE NONE END AS via_grant,
                    IF via_grant THEN
                        (via_grant.state = 'active' AND via_grant.client_account = acting_account
                         AND via_grant.managing_account = (SELECT VALUE account FROM membership WHERE user = $parent.user)[0])
                    ELSE acting_account = (SELECT VALUE account FROM membership WHERE user = $parent.user)[0] END AS grant_ok,
                    IF via_grant THEN via_grant.role.name
                    ELSE (SELECT VALUE role.name FROM membership WHERE user = $parent.user AND account = $parent.acting_account)[0] END AS role_name,
                    IF via_grant THEN via_grant.role.permissions
                    ELSE (SELECT VALUE role.permissions FROM membership WHERE user = $parent.user AND account = $parent.acting_account)[0] END AS permissions,
                    notice,
                    duration::secs(time::now() - last_seen_at) AS seen_secs_ago
             FROM session
             WHERE token_hash = $hash AND expires_at > time::now()
               AND last_seen_at > time::now() - type::duration($idle)
             LIMIT 1",
        )
        .bind(("hash", token_hash.to_string()))
        .bind(("idle", format!("{idle_secs}s")))
        .await
        .map_err(db_err)?;
    let rows: Vec<SessionRow> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

/// Marks the session and its user as active now.
pub async fn touch(db: &Db, session_key: &str, user_key: &str) -> Result<(), StoreError> {
    let res = db
        .query("UPDATE $target_session SET last_seen_at = time::now(); UPDATE $user SET last_active_at = time::now();")
        .bind(("target_session", rid("session", session_key)))
        .bind(("user", rid("user", user_key)))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

pub async fn delete_by_hash(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    let res = db
        .query("DELETE session WHERE token_hash = $hash")
        .bind(("hash", token_hash.to_string()))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// Sends a session back to the user's home account, with a message to show once. Only while it
/// still acts through `via_grant`: a concurrent request of the same session may have done it.
pub async fn return_home(
    db: &Db,
    session_key: &str,
    via_grant: Option<&str>,
    home_key: &str,
    notice: Option<&str>,
) -> Result<(), StoreError> {
    let res = db
        .query(
            "UPDATE $target_session SET acting_account = $home, via_grant = NONE, notice = $notice
             WHERE via_grant = $via_grant",
        )
        .bind(("target_session", rid("session", session_key)))
        .bind(("via_grant", via_grant.map(|g| rid("grant", g))))
        .bind(("home", rid("account", home_key)))
        .bind(("notice", notice.map(str::to_string)))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// Takes the message a session holds, so that it is shown once.
pub async fn take_notice(db: &Db, session_key: &str) -> Result<(), StoreError> {
    let res = db
        .query("UPDATE $target_session SET notice = NONE")
        .bind(("target_session", rid("session", session_key)))
        .await
        .map_err(db_err)?;
    checked(res)?;
    Ok(())
}

/// Adds to `tx` a new session (a new token) acting in `account_key`, through `grant_key` when
/// managing, and the end of the session it replaces.
pub fn replace(
    tx: &mut Tx,
    old_hash: &str,
    new_hash: &str,
    user_key: &str,
    account_key: &str,
    grant_key: Option<&str>,
    absolute_ttl_secs: i64,
) {
    tx.push("DELETE session WHERE token_hash = $old_session_hash");
    tx.push(
        "CREATE session SET token_hash = $new_session_hash, user = $session_user, acting_account = $session_account, \
         via_grant = $session_grant, expires_at = time::now() + type::duration($session_ttl)",
    );
    tx.bind("old_session_hash", old_hash.to_string());
    tx.bind("new_session_hash", new_hash.to_string());
    tx.bind("session_user", rid("user", user_key));
    tx.bind("session_account", rid("account", account_key));
    tx.bind("session_grant", grant_key.map(|g| rid("grant", g)));
    tx.bind("session_ttl", format!("{absolute_ttl_secs}s"));
}
