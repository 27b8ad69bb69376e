//! The accounts an account manages, as its Managed accounts list shows them.
use surrealdb::types::SurrealValue;

use super::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct ManagedRow {
    pub id: String,
    pub client_account: String,
    pub name: String,
    pub owner_email: Option<String>,
    pub role_name: String,
    pub state: String,
    pub account_status: String,
    pub initiated_by: String,
    pub token_nonce: Option<String>,
    pub token_expired: bool,
    pub created_at: String,
}

/// Columns the list can be sorted by, as the query names them.
pub const SORTABLE: &[&str] = &[
    "name",
    "owner_email",
    "role_name",
    "state",
    "account_status",
    "created_at",
];

const FILTER: &str = "managing_account = $agency AND ($q = ''
    OR string::contains(string::lowercase(client_account.name), $q)
    OR string::contains(client_account.primary_admin.email ?? '', $q))";

/// One page of the list, and how many rows match in all.
pub async fn page(
    db: &Db,
    agency_key: &str,
    search: &str,
    sort: &str,
    descending: bool,
    start: i64,
    limit: i64,
) -> Result<(Vec<ManagedRow>, i64), StoreError> {
    let sort = if SORTABLE.contains(&sort) { sort } else { "name" };
    let dir = if descending { "DESC" } else { "ASC" };
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, record::id(client_account) AS client_account,
                    client_account.name AS name, client_account.primary_admin.email AS owner_email,
                    role.name AS role_name, state, client_account.status AS account_status, initiated_by,
                    token_nonce, (token_expires_at != NONE AND token_expires_at <= time::now()) AS token_expired,
                    <string> created_at AS created_at
             FROM grant WHERE {FILTER} ORDER BY {sort} {dir} LIMIT $limit START $start;
             (SELECT count() AS n FROM grant WHERE {FILTER} GROUP ALL)[0].n ?? 0;"
        ))
        .bind(("agency", rid("account", agency_key)))
        .bind(("q", search.trim().to_lowercase()))
        .bind(("limit", limit))
        .bind(("start", start))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let rows: Vec<ManagedRow> = res.take(0).map_err(db_err)?;
    let total: Option<i64> = res.take(1).map_err(db_err)?;
    Ok((rows, total.unwrap_or(0)))
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

pub struct NewRequest {
    pub grant_key: String,
    pub client_key: String,
    pub agency_key: String,
    pub requester_email: String,
    pub role_key: String,
    pub token_nonce: String,
    pub token_hash: String,
    pub token_ttl_secs: i64,
    pub requested_by: String,
}

/// Adds to `tx` an agency's pending request to manage a client account.
pub fn create_request(tx: &mut Tx, new: NewRequest) {
    tx.push(
        "CREATE $grant SET client_account = $client, managing_account = $agency, manager_email = $email, \
         role = $role, state = 'pending', initiated_by = 'agency', token_nonce = $nonce, token_hash = $hash, \
         token_expires_at = time::now() + type::duration($ttl), live_key = $live_key, created_by = $created_by",
    );
    tx.bind("grant", rid("grant", &new.grant_key));
    tx.bind("client", rid("account", &new.client_key));
    tx.bind("agency", rid("account", &new.agency_key));
    tx.bind(
        "live_key",
        super::grants::live_key(&new.client_key, &new.requester_email),
    );
    tx.bind("email", new.requester_email);
    tx.bind("role", rid("role", &new.role_key));
    tx.bind("nonce", new.token_nonce);
    tx.bind("hash", new.token_hash);
    tx.bind("ttl", format!("{}s", new.token_ttl_secs));
    tx.bind("created_by", rid("user", &new.requested_by));
}

/// Adds to `tx` the agency's Active grant with the Admin role on an account it just created.
pub fn create_active_grant(
    tx: &mut Tx,
    grant_key: &str,
    client_key: &str,
    agency_key: &str,
    email: &str,
    role_key: &str,
) {
    tx.push(
        "CREATE $new_grant SET client_account = $ng_client, managing_account = $ng_agency, manager_email = $ng_email, \
         role = $ng_role, state = 'active', initiated_by = 'agency', live_key = $ng_live_key",
    );
    tx.bind("new_grant", rid("grant", grant_key));
    tx.bind("ng_client", rid("account", client_key));
    tx.bind("ng_agency", rid("account", agency_key));
    tx.bind("ng_email", email.to_string());
    tx.bind("ng_role", rid("role", role_key));
    tx.bind("ng_live_key", super::grants::live_key(client_key, email));
}

/// Who pays for a new client account, and on which terms.
pub struct Billing<'a> {
    pub level: &'a str,
    pub cms_plan: &'a str,
    pub paid_by: &'a str,
    pub discount_percent: i64,
    pub commission_percent: i64,
    /// The agency that created the account.
    pub agency_key: &'a str,
    /// A sandbox: an account the agency builds templates in.
    pub sandbox: bool,
}

/// Adds to `tx` who pays for a new account and on which terms.
pub fn set_billing(tx: &mut Tx, account_key: &str, billing: Billing<'_>) {
    tx.push(
        "UPDATE $bill_account SET level = $bill_level, cms_plan = $bill_cms, paid_by = $bill_paid_by, \
         discount_percent = $bill_discount, commission_percent = $bill_commission, created_by_account = $bill_agency, \
         is_sandbox = $bill_sandbox",
    );
    tx.bind("bill_account", rid("account", account_key));
    tx.bind("bill_level", billing.level.to_string());
    tx.bind("bill_cms", billing.cms_plan.to_string());
    tx.bind("bill_paid_by", billing.paid_by.to_string());
    tx.bind("bill_discount", billing.discount_percent);
    tx.bind("bill_commission", billing.commission_percent);
    tx.bind("bill_agency", rid("account", billing.agency_key));
    tx.bind("bill_sandbox", billing.sandbox);
}

/// Adds to `tx` a set-password link for a user.
pub fn create_password_token(tx: &mut Tx, user_key: &str, token_hash: &str, ttl_secs: i64) {
    tx.push("CREATE password_token SET user = $pt_user, token_hash = $pt_hash, expires_at = time::now() + type::duration($pt_ttl)");
    tx.bind("pt_user", rid("user", user_key));
    tx.bind("pt_hash", token_hash.to_string());
    tx.bind("pt_ttl", format!("{ttl_secs}s"));
}

/// Uses a set-password link: sets the password and deletes the link. `false` when the link is
/// unknown, used or expired.
pub async fn use_password_token(db: &Db, token_hash: &str, password_hash: &str) -> Result<bool, StoreError> {
    let res = db
        .query(
            "BEGIN TRANSACTION;
             LET $t = (SELECT * FROM password_token WHERE token_hash = $hash AND expires_at > time::now())[0];
             IF $t = NONE { THROW 'password link unknown' };
             UPDATE $t.user SET password_hash = $pw;
             DELETE $t.id;
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

/// How the owner wants to hear of managers logging in.
pub async fn login_notify(db: &Db, account_key: &str) -> Result<String, StoreError> {
    let res = db
        .query("SELECT VALUE login_notify FROM ONLY $acc")
        .bind(("acc", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let v: Option<String> = checked(res)?.take(0).map_err(db_err)?;
    Ok(v.unwrap_or_else(|| "each_time".into()))
}
