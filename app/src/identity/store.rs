//! Server-side sessions, found by the hash of the cookie token.
use surrealdb::types::{Datetime, RecordId, SurrealValue};

use crate::core::db::{checked, db_err, key, rid, Db, StoreError, Tx};

/// Adds to `tx` a new session of the user acting in their home account.
pub fn create(tx: &mut Tx, token_hash: &str, user_key: &str, account_key: &str, absolute_ttl_secs: i64) {
    tx.push(
        "CREATE session SET token_hash = $hash, user = $user, acting_account = $account, \
         expires_at = time::now() + type::duration($ttl)",
    );
    // Logging in is being active: the Users list must not say "Never" for who just logged in
    // (later requests touch it at most once a minute, `touch`).
    tx.push("UPDATE $user SET last_active_at = time::now() RETURN NONE");
    tx.bind("hash", token_hash.to_string());
    tx.bind("user", rid("user", user_key));
    tx.bind("account", rid("account", account_key));
    tx.bind("ttl", format!("{absolute_ttl_secs}s"));
}

/// What every request reads of its session: one record, found by the token's hash. The stamp
/// (`auth_version` with where and through which grant it acts) tells whether a session resolved
/// earlier is still current (migration 0006).
#[derive(Debug, Clone)]
pub struct SessionHead {
    pub id: String,
    pub user_id: String,
    pub account_id: String,
    pub via_grant: Option<String>,
    pub auth_version: i64,
    pub notice: Option<String>,
    pub seen_secs_ago: i64,
}

/// The session record as stored. Raw fields, converted in Rust: in SurrealDB 3.3 a function in
/// a projection (`record::id`, `time::unix`) or a time condition beside the index lookup costs
/// more than the lookup itself, and this read runs on every request.
#[derive(Debug, Clone, SurrealValue)]
struct SessionRecord {
    id: RecordId,
    user: RecordId,
    acting_account: RecordId,
    via_grant: Option<RecordId>,
    auth_version: Option<i64>,
    notice: Option<String>,
    expires_at: Datetime,
    last_seen_at: Datetime,
}

/// The session behind a token, if it exists and has expired neither absolutely nor by idleness.
pub async fn find_live(db: &Db, token_hash: &str, idle_secs: i64) -> Result<Option<SessionHead>, StoreError> {
    let res = db
        .query(
            "SELECT id, user, acting_account, via_grant, auth_version, notice, expires_at, last_seen_at
             FROM session WHERE token_hash = $hash",
        )
        .bind(("hash", token_hash.to_string()))
        .await
        .map_err(db_err)?;
    let rows: Vec<SessionRecord> = checked(res)?.take(0).map_err(db_err)?;
    let now = chrono::Utc::now();
    Ok(rows.into_iter().next().and_then(|s| {
        let seen_secs_ago = (now - *s.last_seen_at).num_seconds();
        (*s.expires_at > now && seen_secs_ago < idle_secs).then(|| SessionHead {
            id: key(&s.id),
            user_id: key(&s.user),
            account_id: key(&s.acting_account),
            via_grant: s.via_grant.as_ref().map(key),
            auth_version: s.auth_version.unwrap_or(0),
            notice: s.notice,
            seen_secs_ago,
        })
    }))
}

/// A session resolved: the user, the account it acts in, and the role it acts with.
#[derive(Debug, Clone, SurrealValue)]
pub struct ResolvedSession {
    /// The stamp this was resolved at; read before everything else, so a change made meanwhile
    /// leaves a stamp that no longer matches.
    pub auth_version: i64,
    pub acting_account: String,
    pub via_grant: Option<String>,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub account_name: String,
    pub home_account_id: Option<String>,
    pub home_account_name: Option<String>,
    pub primary_admin: Option<String>,
    /// Managing through a grant: it is active, for this client account, held by the user's
    /// home account, and its end date (if any) has not passed. At home: the user belongs here.
    pub grant_ok: bool,
    /// The end of the grant's access, as Unix seconds.
    pub grant_until: Option<i64>,
    pub role_name: Option<String>,
    pub permissions: Option<Vec<String>>,
    /// How the account writes dates (Localization) and in which time zone (Business information).
    pub date_format: Option<String>,
    pub time_zone: Option<String>,
    /// Its Localization currency.
    pub currency: Option<String>,
}

/// Resolves a session found by [`find_live`]. Every step is a read by record id or by a unique
/// index, so its cost does not grow with the database. `None` when the session is gone.
pub async fn resolve(db: &Db, session_key: &str) -> Result<Option<ResolvedSession>, StoreError> {
    let res = db
        .query(
            "LET $s = (SELECT * FROM ONLY $target_session);
             LET $m = (SELECT account, role FROM membership WHERE user = $s.user LIMIT 1)[0];
             LET $u = $s.user.*;
             LET $a = $s.acting_account.*;
             LET $g = IF $s.via_grant THEN $s.via_grant.* ELSE NONE END;
             LET $r = IF $s.via_grant THEN $g.role.* ELSE IF $m.account = $s.acting_account THEN $m.role.* ELSE NONE END;
             RETURN IF $s = NONE OR $u = NONE OR $a = NONE THEN NONE ELSE {
                 auth_version: $s.auth_version ?? 0,
                 acting_account: record::id($s.acting_account),
                 via_grant: IF $s.via_grant THEN record::id($s.via_grant) ELSE NONE END,
                 email: $u.email, first_name: $u.first_name, last_name: $u.last_name,
                 account_name: $a.name,
                 home_account_id: IF $m THEN record::id($m.account) ELSE NONE END,
                 home_account_name: IF $m THEN $m.account.name ELSE NONE END,
                 primary_admin: IF $a.primary_admin THEN record::id($a.primary_admin) ELSE NONE END,
                 grant_ok: IF $s.via_grant THEN
                         ($g != NONE AND $g.state = 'active' AND $g.client_account = $s.acting_account
                          AND $g.managing_account = $m.account
                          AND ($g.access_until = NONE OR $g.access_until > time::now())
                          AND ($m.role.permissions CONTAINS 'managed_accounts'
                               OR $m.role.permissions CONTAINS 'managed_accounts.log_in'))
                     ELSE $m != NONE AND $s.acting_account = $m.account END,
                 grant_until: IF $g.access_until THEN time::unix($g.access_until) ELSE NONE END,
                 role_name: $r.name,
                 permissions: $r.permissions,
                 date_format: $a.date_format,
                 time_zone: $a.time_zone,
                 currency: $a.currency,
             } END;",
        )
        .bind(("target_session", rid("session", session_key)))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let last = res.num_statements().saturating_sub(1);
    let row: Option<ResolvedSession> = res.take(last).map_err(db_err)?;
    Ok(row)
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
    let mut tx = Tx::new();
    tx.push("DELETE session WHERE token_hash = $hash");
    tx.bind("hash", token_hash.to_string());
    tx.commit(db).await?;
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

/// Adds to `tx` the move of a session to a new token, acting in `account_key`, through `grant_key`
/// when managing. The old token stops working; the session keeps its absolute expiry (switching
/// accounts does not extend a log-in) and its place in the user's open sessions.
pub fn replace(
    tx: &mut Tx,
    old_hash: &str,
    new_hash: &str,
    user_key: &str,
    account_key: &str,
    grant_key: Option<&str>,
) {
    tx.push(
        "IF (UPDATE session SET token_hash = $new_session_hash, acting_account = $session_account, \
             via_grant = $session_grant, notice = NONE, last_seen_at = time::now() \
             WHERE token_hash = $old_session_hash AND user = $session_user RETURN VALUE id) = [] \
         { THROW 'session ended' }",
    );
    tx.bind("old_session_hash", old_hash.to_string());
    tx.bind("new_session_hash", new_hash.to_string());
    tx.bind("session_user", rid("user", user_key));
    tx.bind("session_account", rid("account", account_key));
    tx.bind("session_grant", grant_key.map(|g| rid("grant", g)));
}

/// Deletes up to `batch` sessions that have ended (past their absolute expiry, or unused for
/// `idle_secs`), through the indexes on both times; returns how many it deleted.
pub async fn delete_ended(db: &Db, idle_secs: i64, batch: i64) -> Result<usize, StoreError> {
    let res = db
        .query(
            "LET $ended = array::union(
                 (SELECT VALUE id FROM session WHERE expires_at <= time::now() LIMIT $batch),
                 (SELECT VALUE id FROM session WHERE last_seen_at < time::now() - type::duration($idle) LIMIT $batch));
             DELETE $ended;
             RETURN array::len($ended);",
        )
        .bind(("idle", format!("{idle_secs}s")))
        .bind(("batch", batch))
        .await
        .map_err(db_err)?;
    let n: Option<i64> = checked(res)?.take(2).map_err(db_err)?;
    Ok(n.unwrap_or(0).max(0) as usize)
}

/// Adds to `tx` a link for the user to set their password (its token's hash); an earlier link
/// of the user stops working. A new client account's link names the agency's grant, which keeps
/// the nonce its token is derived from (`grant`: the grant's key and that nonce).
pub fn create_password_token(
    tx: &mut Tx,
    user_key: &str,
    token_hash: &str,
    ttl_secs: i64,
    grant: Option<(&str, &str)>,
) {
    // The links this one replaces die; an agency's row stops showing one of them.
    tx.push(
        "FOR $g IN (SELECT VALUE grant FROM password_token WHERE user = $pt_user AND grant != NONE) {
             UPDATE $g SET password_link_nonce = NONE RETURN NONE;
         }",
    );
    tx.push("DELETE password_token WHERE user = $pt_user");
    tx.push(
        "CREATE password_token SET user = $pt_user, token_hash = $pt_hash, grant = $pt_grant, \
         expires_at = time::now() + type::duration($pt_ttl)",
    );
    tx.bind("pt_user", rid("user", user_key));
    tx.bind("pt_hash", token_hash.to_string());
    tx.bind("pt_ttl", format!("{ttl_secs}s"));
    tx.bind("pt_grant", grant.map(|(g, _)| rid("grant", g)));
    if let Some((_, nonce)) = grant {
        tx.push("UPDATE $pt_grant SET password_link_nonce = $pt_nonce RETURN NONE");
        tx.bind("pt_nonce", nonce.to_string());
    }
}

/// Whether the user was sent a password link less than `secs` ago (one email a minute at most).
pub async fn password_link_sent_within(db: &Db, user_key: &str, secs: i64) -> Result<bool, StoreError> {
    let res = db
        .query(
            "SELECT VALUE id FROM password_token WHERE user = $user
                 AND created_at > time::now() - type::duration($within) LIMIT 1",
        )
        .bind(("user", rid("user", user_key)))
        .bind(("within", format!("{secs}s")))
        .await
        .map_err(db_err)?;
    let found: Vec<RecordId> = checked(res)?.take(0).map_err(db_err)?;
    Ok(!found.is_empty())
}

/// Uses a password link: sets the password, ends every session of the user and deletes the
/// user's links, in one transaction. `false` when the link is unknown, used or expired.
pub async fn use_password_token(db: &Db, token_hash: &str, password_hash: &str) -> Result<bool, StoreError> {
    let res = db
        .query(
            "BEGIN TRANSACTION;
             LET $t = (SELECT * FROM password_token WHERE token_hash = $hash AND expires_at > time::now())[0];
             IF $t = NONE { THROW 'password link unknown' };
             UPDATE $t.user SET password_hash = $pw RETURN NONE;
             IF $t.grant != NONE { UPDATE $t.grant SET password_link_nonce = NONE RETURN NONE };
             DELETE session WHERE user = $t.user;
             DELETE password_token WHERE user = $t.user;
             COMMIT TRANSACTION;",
        )
        .bind(("hash", token_hash.to_string()))
        .bind(("pw", password_hash.to_string()))
        .await
        .map_err(db_err)?;
    match checked(res) {
        Ok(_) => Ok(true),
        Err(StoreError::Db(e)) if e.to_string().contains("password link unknown") => Ok(false),
        Err(e) => Err(e),
    }
}

/// A user's two-factor record as stored (migration 0021); all zeros when there is none.
#[derive(Debug, Clone, Default, SurrealValue)]
pub struct TwoFactorRecord {
    pub enabled: bool,
    pub generation: i64,
    pub last_step: i64,
    pub used_recovery: Vec<i64>,
}

/// The user's two-factor record and whether their home account requires two-factor, in one read.
pub async fn two_factor(db: &Db, user_key: &str) -> Result<(TwoFactorRecord, bool), StoreError> {
    let res = db
        .query(
            "SELECT enabled, generation, last_step, used_recovery FROM ONLY $tf_record;
             (SELECT VALUE account.require_two_factor FROM membership WHERE user = $tf_user LIMIT 1)[0] ?? false;",
        )
        .bind(("tf_record", rid("two_factor", user_key)))
        .bind(("tf_user", rid("user", user_key)))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let record: Option<TwoFactorRecord> = res.take(0).map_err(db_err)?;
    let required: Option<bool> = res.take(1).map_err(db_err)?;
    Ok((record.unwrap_or_default(), required.unwrap_or(false)))
}

/// Whether two-factor is on for the user (a manager logging in to an account that requires it).
pub async fn two_factor_enabled(db: &Db, user_key: &str) -> Result<bool, StoreError> {
    let res = db
        .query("(SELECT VALUE enabled FROM ONLY $tf_record) ?? false")
        .bind(("tf_record", rid("two_factor", user_key)))
        .await
        .map_err(db_err)?;
    let on: Option<bool> = checked(res)?.take(0).map_err(db_err)?;
    Ok(on.unwrap_or(false))
}

/// Adds to `tx`: two-factor turns on for the user with the secret of `generation`, the code of
/// `step` counting as used. Refused ('two-factor already on') if it is on already, or if the
/// generation moved meanwhile (turned on and off in another tab).
pub fn enable_two_factor(tx: &mut Tx, user_key: &str, generation: i64, step: i64) {
    tx.push(
        "LET $tf_now = (SELECT enabled, generation FROM ONLY $tf_record);
         IF $tf_now.enabled = true OR ($tf_now.generation ?? 0) != $tf_generation { THROW 'two-factor changed' };
         UPSERT $tf_record SET enabled = true, generation = $tf_generation, last_step = $tf_step,
             used_recovery = [], enabled_at = time::now() RETURN NONE;",
    );
    tx.bind("tf_record", rid("two_factor", user_key));
    tx.bind("tf_generation", generation);
    tx.bind("tf_step", step);
}

/// Adds to `tx`: two-factor turns off; the next set-up gets a new secret and new recovery codes.
pub fn disable_two_factor(tx: &mut Tx, user_key: &str) {
    tx.push(
        "IF (SELECT VALUE enabled FROM ONLY $tf_record) != true { THROW 'two-factor changed' };
         UPDATE $tf_record SET enabled = false, generation = generation + 1, last_step = 0,
             used_recovery = [], enabled_at = NONE RETURN NONE;",
    );
    tx.bind("tf_record", rid("two_factor", user_key));
}

/// Adds to `tx`: a code counts as used, unless another request used it (or a later one) first,
/// which throws 'two-factor code used'.
pub fn use_two_factor_code(tx: &mut Tx, user_key: &str, proof: crate::identity::two_factor::Proof) {
    use crate::identity::two_factor::Proof;
    tx.bind("tf_record", rid("two_factor", user_key));
    match proof {
        Proof::Code { step } => {
            tx.push(
                "IF (SELECT VALUE last_step FROM ONLY $tf_record) >= $tf_step { THROW 'two-factor code used' };
                 UPDATE $tf_record SET last_step = $tf_step RETURN NONE;",
            );
            tx.bind("tf_step", step);
        }
        Proof::Recovery { index } => {
            tx.push(
                "IF (SELECT VALUE used_recovery FROM ONLY $tf_record) CONTAINS $tf_index { THROW 'two-factor code used' };
                 UPDATE $tf_record SET used_recovery += $tf_index RETURN NONE;",
            );
            tx.bind("tf_index", index);
        }
    }
}

/// A log-in waiting for its second step.
#[derive(Debug, Clone, SurrealValue)]
pub struct Challenge {
    pub user: RecordId,
    pub set_up: bool,
    pub failures: i64,
    pub expires_at: Datetime,
}

/// Adds to `tx` a log-in challenge, keyed by the hash of its token.
pub fn create_challenge(tx: &mut Tx, token_hash: &str, user_key: &str, set_up: bool, ttl_secs: i64) {
    tx.push(
        "CREATE $ch_record SET user = $ch_user, set_up = $ch_set_up, \
         expires_at = time::now() + type::duration($ch_ttl) RETURN NONE",
    );
    tx.bind("ch_record", rid("login_challenge", token_hash));
    tx.bind("ch_user", rid("user", user_key));
    tx.bind("ch_set_up", set_up);
    tx.bind("ch_ttl", format!("{ttl_secs}s"));
}

/// The challenge behind a token's hash, while it has not expired.
pub async fn find_challenge(db: &Db, token_hash: &str) -> Result<Option<Challenge>, StoreError> {
    let res = db
        .query("SELECT user, set_up, failures, expires_at FROM ONLY $ch_record")
        .bind(("ch_record", rid("login_challenge", token_hash)))
        .await
        .map_err(db_err)?;
    let row: Option<Challenge> = checked(res)?.take(0).map_err(db_err)?;
    Ok(row.filter(|c| *c.expires_at > chrono::Utc::now()))
}

/// Counts a wrong code against the challenge; at `limit` failures it is deleted (log in again).
/// Returns whether it still stands.
pub async fn challenge_failed(db: &Db, token_hash: &str, limit: i64) -> Result<bool, StoreError> {
    let res = db
        .query(
            "LET $ch = (UPDATE $ch_record SET failures += 1 RETURN AFTER)[0];
             IF $ch.failures >= $ch_limit { DELETE $ch_record; false } ELSE { $ch != NONE };",
        )
        .bind(("ch_record", rid("login_challenge", token_hash)))
        .bind(("ch_limit", limit))
        .await
        .map_err(db_err)?;
    let stands: Option<bool> = checked(res)?.take(1).map_err(db_err)?;
    Ok(stands.unwrap_or(false))
}

/// Adds to `tx` the end of a challenge, which fails the transaction ('log-in challenge used')
/// if another request ended it first: a challenge opens one session at most.
pub fn end_challenge(tx: &mut Tx, token_hash: &str) {
    tx.push("IF (DELETE $ch_record RETURN BEFORE) = [] { THROW 'log-in challenge used' }");
    tx.bind("ch_record", rid("login_challenge", token_hash));
}

/// Deletes up to `batch` records of `table` (log-in challenges, sign-ups) whose `expires_at` has
/// passed, through the index on it; returns how many.
pub async fn delete_expired(db: &Db, table: &'static str, batch: i64) -> Result<usize, StoreError> {
    let res = db
        .query(format!(
            "LET $ended = (SELECT VALUE id FROM {table} WHERE expires_at <= time::now() LIMIT $batch);
             DELETE $ended;
             RETURN array::len($ended);"
        ))
        .bind(("batch", batch))
        .await
        .map_err(db_err)?;
    let n: Option<i64> = checked(res)?.take(2).map_err(db_err)?;
    Ok(n.unwrap_or(0).max(0) as usize)
}

/// A sign-up waiting for its link to be opened (migration 0024).
#[derive(Debug, Clone, SurrealValue)]
pub struct PendingSignUp {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub account_name: String,
    pub password_hash: String,
    pub next: String,
}

/// What a sign-up leaves until its link is opened. Without `pending` (the email is taken) the
/// row only records that its owner was told.
pub struct NewSignUp<'a> {
    pub email: &'a str,
    pub token_hash: Option<&'a str>,
    pub browser_hash: Option<&'a str>,
    pub pending: Option<SignUpDetails<'a>>,
    pub next: &'a str,
    pub ttl_secs: i64,
}

/// What the link will create: the person, the account, and the password's hash.
pub struct SignUpDetails<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub account_name: &'a str,
    pub password_hash: &'a str,
}

/// Adds to `tx` a sign-up waiting for its link.
pub fn create_sign_up(tx: &mut Tx, new: NewSignUp<'_>) {
    tx.push(
        "CREATE sign_up SET email = $su_email, token_hash = $su_hash, browser_hash = $su_browser, \
         first_name = $su_first, last_name = $su_last, account_name = $su_account, \
         password_hash = $su_password, next = $su_next, expires_at = time::now() + type::duration($su_ttl) \
         RETURN NONE",
    );
    let d = new.pending.as_ref();
    tx.bind("su_email", new.email.to_string());
    tx.bind("su_hash", new.token_hash.map(str::to_string));
    tx.bind("su_browser", new.browser_hash.map(str::to_string));
    tx.bind("su_first", d.map(|d| d.first_name.to_string()));
    tx.bind("su_last", d.map(|d| d.last_name.to_string()));
    tx.bind("su_account", d.map(|d| d.account_name.to_string()));
    tx.bind("su_password", d.map(|d| d.password_hash.to_string()));
    tx.bind("su_next", new.next.to_string());
    tx.bind("su_ttl", format!("{}s", new.ttl_secs));
}

/// Whether anyone signed up with `email` less than `secs` ago (one email a minute at most).
pub async fn signed_up_within(db: &Db, email: &str, secs: i64) -> Result<bool, StoreError> {
    let res = db
        .query(
            "SELECT VALUE id FROM sign_up WHERE email = $email
                 AND created_at > time::now() - type::duration($within) LIMIT 1",
        )
        .bind(("email", email.to_string()))
        .bind(("within", format!("{secs}s")))
        .await
        .map_err(db_err)?;
    let found: Vec<RecordId> = checked(res)?.take(0).map_err(db_err)?;
    Ok(!found.is_empty())
}

/// The sign-up a link stands for, while it has not expired or been used.
pub async fn pending_sign_up(db: &Db, token_hash: &str) -> Result<Option<PendingSignUp>, StoreError> {
    let res = db
        .query(
            "SELECT email, first_name, last_name, account_name, password_hash, next FROM sign_up
             WHERE token_hash = $hash AND expires_at > time::now() LIMIT 1",
        )
        .bind(("hash", token_hash.to_string()))
        .await
        .map_err(db_err)?;
    let rows: Vec<PendingSignUp> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

/// Adds to `tx` the use of a sign-up link: it is deleted, or `tx` throws `sign-up link unknown`
/// when another request used it first (or it expired meanwhile).
pub fn use_sign_up(tx: &mut Tx, token_hash: &str) {
    tx.push(
        "LET $su_used = (DELETE sign_up WHERE token_hash = $su_hash AND expires_at > time::now() RETURN BEFORE)",
    );
    tx.push("IF array::len($su_used) = 0 { THROW 'sign-up link unknown' }");
    tx.bind("su_hash", token_hash.to_string());
}

/// Is `err` the refusal of a sign-up link that was used or expired meanwhile?
pub fn is_sign_up_gone(err: &StoreError) -> bool {
    matches!(err, StoreError::Db(e) if e.to_string().contains("sign-up link unknown"))
}

/// The email of the sign-up this browser started and has not finished (development Mailbox).
pub async fn sign_up_email_of_browser(db: &Db, browser_hash: &str) -> Result<Option<String>, StoreError> {
    let res = db
        .query(
            "SELECT VALUE email FROM sign_up WHERE browser_hash = $hash AND token_hash != NONE
             AND expires_at > time::now() LIMIT 1",
        )
        .bind(("hash", browser_hash.to_string()))
        .await
        .map_err(db_err)?;
    let found: Vec<String> = checked(res)?.take(0).map_err(db_err)?;
    Ok(found.into_iter().next())
}
