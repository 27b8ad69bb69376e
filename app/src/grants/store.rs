//! Grants between a client account and a managing account. Every state change is conditional on
//! the state it was decided from, so two people acting at once can't make an impossible state.
use surrealdb::types::SurrealValue;

use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};
use crate::grants::state::{GrantState, Initiator};

/// A grant as the database returns it: state and initiator as stored text.
#[derive(Debug, Clone, SurrealValue)]
struct GrantRecord {
    id: String,
    client_account: Option<String>,
    client_name: String,
    owner_email: Option<String>,
    managing_account: Option<String>,
    managing_name: Option<String>,
    manager_email: String,
    role_id: Option<String>,
    role_name: String,
    state: String,
    initiated_by: String,
    token_nonce: Option<String>,
    token_expired: bool,
    access_until: Option<String>,
    created_at: String,
    updated_at: String,
    requested_email: Option<String>,
    was_active: Option<bool>,
}

/// A grant as both sides see it, its state and initiator read once, here.
#[derive(Debug, Clone)]
pub struct GrantRow {
    pub id: String,
    /// None for a request to an email no account accepts requests for (migration 0023).
    pub client_account: Option<String>,
    pub client_name: String,
    pub owner_email: Option<String>,
    pub managing_account: Option<String>,
    pub managing_name: Option<String>,
    pub manager_email: String,
    /// None for a request to an email no account accepts requests for (the role is a name).
    pub role_id: Option<String>,
    pub role_name: String,
    pub state: GrantState,
    pub initiator: Initiator,
    pub token_nonce: Option<String>,
    pub token_expired: bool,
    pub access_until: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// An agency's request: the email the agency typed.
    pub requested_email: Option<String>,
    /// The grant is or has been Active.
    pub was_active: bool,
}

impl GrantRow {
    /// How the agency may name the client account: by its name once the owner granted access
    /// (or invited the agency), before that only by the email the agency typed (migration 0022).
    pub fn client_for_agency(&self) -> String {
        if self.initiator == Initiator::Owner || self.state == GrantState::Active || self.was_active {
            self.client_name.clone()
        } else {
            self.requested_email
                .clone()
                .unwrap_or_else(|| "the account you asked for".into())
        }
    }

    /// The state people see: a pending grant whose link has expired is Expired, even before the
    /// sweep records it.
    pub fn effective_state(&self) -> GrantState {
        if self.state == GrantState::Pending && self.token_expired {
            GrantState::Expired
        } else {
            self.state
        }
    }
}

impl TryFrom<GrantRecord> for GrantRow {
    type Error = StoreError;

    fn try_from(r: GrantRecord) -> Result<Self, StoreError> {
        let state = GrantState::from_key(&r.state)
            .ok_or_else(|| StoreError::Unreadable(format!("grant {} state {:?}", r.id, r.state)))?;
        let initiator = Initiator::from_key(&r.initiated_by).ok_or_else(|| {
            StoreError::Unreadable(format!("grant {} initiated_by {:?}", r.id, r.initiated_by))
        })?;
        Ok(Self {
            id: r.id,
            client_account: r.client_account,
            client_name: r.client_name,
            owner_email: r.owner_email,
            managing_account: r.managing_account,
            managing_name: r.managing_name,
            manager_email: r.manager_email,
            role_id: r.role_id,
            role_name: r.role_name,
            state,
            initiator,
            token_nonce: r.token_nonce,
            token_expired: r.token_expired,
            access_until: r.access_until,
            created_at: r.created_at,
            updated_at: r.updated_at,
            requested_email: r.requested_email,
            was_active: r.was_active.unwrap_or(false),
        })
    }
}

/// Reads the grants of the first result.
fn grants(res: surrealdb::IndexedResults) -> Result<Vec<GrantRow>, StoreError> {
    let records: Vec<GrantRecord> = checked(res)?.take(0).map_err(db_err)?;
    records.into_iter().map(GrantRow::try_from).collect()
}

const COLUMNS: &str = "record::id(id) AS id,
    IF client_account THEN record::id(client_account) ELSE NONE END AS client_account,
    client_account.name ?? '' AS client_name,
    client_account.primary_admin.email AS owner_email,
    IF managing_account THEN record::id(managing_account) ELSE NONE END AS managing_account,
    managing_account.name AS managing_name,
    manager_email,
    IF role THEN record::id(role) ELSE NONE END AS role_id,
    role.name ?? requested_role ?? '' AS role_name,
    state, initiated_by, token_nonce,
    (token_expires_at != NONE AND token_expires_at <= time::now()) AS token_expired,
    IF access_until THEN <string> access_until ELSE NONE END AS access_until,
    <string> created_at AS created_at,
    <string> updated_at AS updated_at,
    requested_email, was_active";

/// The key that makes at most one live grant per client account and email.
pub fn live_key(client_key: &str, email: &str) -> String {
    format!("{client_key}|{email}")
}

/// Columns the Account managers list sorts by, and the grant field each is ordered by: every
/// one has an index that starts with the client account (migration 0030).
const MANAGER_SORTS: &[(&str, &str)] = &[
    ("email", "manager_email"),
    ("role", "role_name"),
    ("status", "state"),
    ("created_at", "created_at"),
];

/// At most this many grants match a search.
const MANAGER_SEARCH_CAP: i64 = 1000;

/// One page of a client account's grants and how many match in all. Without a search the page
/// is read in index order (the sort field after the client account) and counted on the
/// account's index range; a search matches the start of the manager's email through its index,
/// up to [`MANAGER_SEARCH_CAP`] grants.
pub async fn page_for_client(
    db: &Db,
    client_key: &str,
    window: crate::core::paging::Window<'_>,
) -> Result<(Vec<GrantRow>, i64), StoreError> {
    let field = MANAGER_SORTS
        .iter()
        .find(|(column, _)| *column == window.sort)
        .map_or("created_at", |(_, field)| field);
    // Newest first unless asked otherwise: the list's order before it could be sorted.
    let descending = if window.sort.is_empty() {
        true
    } else {
        window.descending
    };
    let dir = if descending { "DESC" } else { "ASC" };
    let q = window.search.trim().to_lowercase();
    if q.is_empty() {
        let res = db
            .query(format!(
                "SELECT {COLUMNS} FROM grant WHERE client_account = $account
                     ORDER BY {field} {dir} LIMIT $limit START $start;
                 (SELECT count() FROM grant WITH INDEX grant_client WHERE client_account = $account
                     GROUP ALL)[0].count ?? 0;"
            ))
            .bind(("account", rid("account", client_key)))
            .bind(("limit", window.limit))
            .bind(("start", window.start))
            .await
            .map_err(db_err)?;
        let mut res = checked(res)?;
        let records: Vec<GrantRecord> = res.take(0).map_err(db_err)?;
        let total: Option<i64> = res.take(1).map_err(db_err)?;
        let rows = records
            .into_iter()
            .map(GrantRow::try_from)
            .collect::<Result<_, _>>()?;
        return Ok((rows, total.unwrap_or(0)));
    }
    let from = format!("{client_key}|{q}");
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant
                 WHERE search_manager >= $from AND search_manager < $to LIMIT $cap"
        ))
        .bind(("to", format!("{from}\u{10FFFF}")))
        .bind(("from", from))
        .bind(("cap", MANAGER_SEARCH_CAP))
        .await
        .map_err(db_err)?;
    let rows: Vec<GrantRow> = grants(res)?;
    let window = crate::core::paging::Window { descending, ..window };
    let key = |r: &GrantRow| match field {
        "manager_email" => r.manager_email.clone(),
        "role_name" => r.role_name.clone(),
        "state" => r.state.key().to_string(),
        _ => r.created_at.clone(),
    };
    Ok(crate::core::paging::sort_and_page(
        rows,
        &window,
        |a, b| key(a).cmp(&key(b)),
        |r| &r.id,
    ))
}

/// One grant of a client account; `None` when it is not there (or belongs to another account).
pub async fn get_for_client(
    db: &Db,
    client_key: &str,
    grant_key: &str,
) -> Result<Option<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE id = $grant AND client_account = $account"
        ))
        .bind(("account", rid("account", client_key)))
        .bind(("grant", rid("grant", grant_key)))
        .await
        .map_err(db_err)?;
    Ok(grants(res)?.into_iter().next())
}

/// One grant where `agency_key` is the managing account.
pub async fn get_for_manager(
    db: &Db,
    agency_key: &str,
    grant_key: &str,
) -> Result<Option<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE id = $grant AND managing_account = $agency"
        ))
        .bind(("agency", rid("account", agency_key)))
        .bind(("grant", rid("grant", grant_key)))
        .await
        .map_err(db_err)?;
    Ok(grants(res)?.into_iter().next())
}

/// The grant an invitation link points at, found by the hash of its token.
pub async fn get_by_token_hash(db: &Db, token_hash: &str) -> Result<Option<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE token_hash = $hash LIMIT 1"
        ))
        .bind(("hash", token_hash.to_string()))
        .await
        .map_err(db_err)?;
    Ok(grants(res)?.into_iter().next())
}

/// The pending invitations an owner sent to this email: what its person may accept from their
/// own Managed accounts list. Through the email's index; a person has a handful at most.
pub async fn invitations_for(db: &Db, email: &str) -> Result<Vec<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE manager_email = $email AND state = 'pending'
                AND initiated_by = 'owner' AND client_account != NONE LIMIT 100"
        ))
        .bind(("email", email.to_string()))
        .await
        .map_err(db_err)?;
    let mut rows = grants(res)?;
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(rows)
}

/// Agencies' pending requests to manage this account, newest first, at most `limit`.
pub async fn requests_to(db: &Db, client_key: &str, limit: i64) -> Result<Vec<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE client_account = $client AND state = 'pending'
                AND initiated_by = 'agency' LIMIT 100"
        ))
        .bind(("client", rid("account", client_key)))
        .await
        .map_err(db_err)?;
    let mut rows = grants(res)?;
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    rows.truncate(limit.max(0) as usize);
    Ok(rows)
}

/// One grant offered to this email (an owner's invitation), by its id.
pub async fn get_for_email(db: &Db, email: &str, grant_key: &str) -> Result<Option<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE id = $grant AND manager_email = $email"
        ))
        .bind(("email", email.to_string()))
        .bind(("grant", rid("grant", grant_key)))
        .await
        .map_err(db_err)?;
    Ok(grants(res)?.into_iter().next())
}

pub struct NewInvitation {
    pub grant_key: String,
    pub client_key: String,
    pub email: String,
    pub role_key: String,
    pub token_nonce: String,
    pub token_hash: String,
    pub token_ttl_secs: i64,
    pub access_until: Option<chrono::DateTime<chrono::Utc>>,
    pub created_by: String,
}

/// Adds to `tx` a pending invitation. The live-key index refuses a second live grant.
pub fn create_invitation(tx: &mut Tx, new: NewInvitation) {
    tx.push(
        "IF (SELECT VALUE id FROM role WHERE id = $role AND account = $client) = [] { THROW 'role not in account' }",
    );
    tx.push(
        "CREATE $grant SET client_account = $client, manager_email = $email, role = $role, state = 'pending', \
         initiated_by = 'owner', token_nonce = $nonce, token_hash = $hash, \
         token_expires_at = time::now() + type::duration($ttl), access_until = $until, \
         live_key = $live_key, created_by = $created_by",
    );
    tx.bind("grant", rid("grant", &new.grant_key));
    tx.bind("client", rid("account", &new.client_key));
    tx.bind("live_key", live_key(&new.client_key, &new.email));
    tx.bind("email", new.email);
    tx.bind("role", rid("role", &new.role_key));
    tx.bind("nonce", new.token_nonce);
    tx.bind("hash", new.token_hash);
    tx.bind("ttl", format!("{}s", new.token_ttl_secs));
    tx.bind("until", new.access_until);
    tx.bind("created_by", rid("user", &new.created_by));
}

/// Adds to `tx` a grant's new role and end date, while it is still in the state `from`; throws
/// `grant changed` when it moved meanwhile. A new end date may be reminded of again.
pub fn change_terms(
    tx: &mut Tx,
    client_key: &str,
    grant_key: &str,
    from: GrantState,
    role_key: &str,
    access_until: Option<chrono::DateTime<chrono::Utc>>,
) {
    tx.push(
        "IF (SELECT VALUE id FROM role WHERE id = $terms_role AND account = $terms_client) = [] { THROW 'role not in account' }",
    );
    tx.push(
        "LET $changed = (UPDATE $terms_grant SET role = $terms_role, access_until = $terms_until, \
         reminded_1d = IF access_until = $terms_until THEN reminded_1d ELSE false END, \
         reminded_7d = IF access_until = $terms_until THEN reminded_7d ELSE false END, \
         updated_at = time::now() \
         WHERE state = $terms_from AND client_account = $terms_client RETURN AFTER)",
    );
    tx.push("IF array::len($changed) = 0 { THROW 'grant changed' }");
    tx.bind("terms_grant", rid("grant", grant_key));
    tx.bind("terms_client", rid("account", client_key));
    tx.bind("terms_role", rid("role", role_key));
    tx.bind("terms_until", access_until);
    tx.bind("terms_from", from.key().to_string());
}

/// What else a state change sets besides the state.
#[derive(Default)]
pub struct ChangeExtras {
    /// A new invitation link: nonce, hash, time to live.
    pub new_token: Option<(String, String, i64)>,
    /// The link is used up.
    pub clear_token: bool,
    /// The account that now manages (on accept).
    pub managing_account: Option<String>,
    /// The grant leaves the live set (rejected, denied): another invitation may be made.
    pub release_live_key: bool,
}

/// Adds to `tx` the change of a grant from `from` to `to`. Throws `grant changed` when the grant
/// is no longer in `from` (or gone), so that nothing else in the transaction happens.
pub fn change_state(tx: &mut Tx, grant_key: &str, from: GrantState, to: GrantState, extras: ChangeExtras) {
    let mut sets = vec!["state = $to".to_string(), "updated_at = time::now()".to_string()];
    if let Some((nonce, hash, ttl)) = extras.new_token {
        sets.push(
            "token_nonce = $nonce, token_hash = $hash, token_expires_at = time::now() + type::duration($ttl)"
                .into(),
        );
        tx.bind("nonce", nonce);
        tx.bind("hash", hash);
        tx.bind("ttl", format!("{ttl}s"));
    }
    if extras.clear_token {
        sets.push("token_nonce = NONE, token_hash = NONE, token_expires_at = NONE".into());
    }
    if let Some(managing) = extras.managing_account {
        sets.push("managing_account = $managing".into());
        tx.bind("managing", rid("account", &managing));
    }
    if extras.release_live_key {
        sets.push("live_key = string::concat('closed|', record::id(id))".into());
    }
    tx.push(format!(
        "LET $changed = (UPDATE $grant SET {} WHERE state = $from RETURN AFTER)",
        sets.join(", ")
    ));
    tx.push("IF array::len($changed) = 0 { THROW 'grant changed' }");
    tx.bind("grant", rid("grant", grant_key));
    tx.bind("from", from.key().to_string());
    tx.bind("to", to.key().to_string());
}

/// Adds to `tx` the deletion of a grant of the client account; throws `grant changed` when it is gone.
pub fn delete(tx: &mut Tx, client_key: &str, grant_key: &str) {
    tx.push("LET $deleted = (DELETE $grant WHERE client_account = $client RETURN BEFORE)");
    tx.push("IF array::len($deleted) = 0 { THROW 'grant changed' }");
    tx.bind("grant", rid("grant", grant_key));
    tx.bind("client", rid("account", client_key));
}

/// Adds to `tx` the deletion of a grant of the managing account; throws `grant changed` when
/// it is gone.
pub fn delete_for_agency(tx: &mut Tx, agency_key: &str, grant_key: &str) {
    tx.push("LET $deleted = (DELETE $grant WHERE managing_account = $agency RETURN BEFORE)");
    tx.push("IF array::len($deleted) = 0 { THROW 'grant changed' }");
    tx.bind("grant", rid("grant", grant_key));
    tx.bind("agency", rid("account", agency_key));
}

/// Is `err` the refusal of a conditional change (the grant moved or went meanwhile)?
pub fn is_changed_meanwhile(err: &StoreError) -> bool {
    matches!(err, StoreError::Db(e) if e.to_string().contains("grant changed"))
}

/// Pending invitations whose link expired, and active grants past their end date.
pub async fn due_for_expiry(db: &Db) -> Result<Vec<GrantRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE (state = 'pending' AND token_expires_at <= time::now())
               OR (state = 'active' AND access_until != NONE AND access_until <= time::now())"
        ))
        .await
        .map_err(db_err)?;
    grants(res)
}

/// Active grants whose end date is within `days` days and whose reminder was not sent yet.
pub async fn due_for_reminder(db: &Db, days: i64) -> Result<Vec<GrantRow>, StoreError> {
    let flag = if days == 1 { "reminded_1d" } else { "reminded_7d" };
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE state = 'active' AND access_until != NONE
               AND access_until <= time::now() + type::duration($within) AND {flag} = false"
        ))
        .bind(("within", format!("{days}d")))
        .await
        .map_err(db_err)?;
    grants(res)
}

/// Adds to `tx` the mark that a reminder went out; throws when another worker sent it first.
pub fn mark_reminded(tx: &mut Tx, grant_key: &str, days: i64) {
    let flag = if days == 1 { "reminded_1d" } else { "reminded_7d" };
    tx.push(format!(
        "LET $marked = (UPDATE $grant SET {flag} = true WHERE {flag} = false AND state = 'active' RETURN AFTER)"
    ));
    tx.push("IF array::len($marked) = 0 { THROW 'grant changed' }");
    tx.bind("grant", rid("grant", grant_key));
}

/// Whom an agency's request goes to.
pub enum RequestTo {
    /// A client account that accepts requests, and the key of its role the agency asked for.
    Account { client_key: String, role_key: String },
    /// An email no account accepts requests for: only the role's name is kept, and the request
    /// stays Pending until it expires (migration 0023).
    Nobody { role_name: String },
}

pub struct NewRequest {
    pub grant_key: String,
    pub to: RequestTo,
    pub agency_key: String,
    pub requester_email: String,
    /// The client's email as the agency typed it.
    pub requested_email: String,
    pub token_nonce: String,
    pub token_hash: String,
    pub token_ttl_secs: i64,
    pub requested_by: String,
}

/// Adds to `tx` an agency's pending request to manage a client account.
pub fn create_request(tx: &mut Tx, new: NewRequest) {
    tx.push(
        "CREATE $grant SET client_account = $client, managing_account = $agency, manager_email = $email, \
         role = $role, requested_role = $requested_role, state = 'pending', initiated_by = 'agency', \
         token_nonce = $nonce, token_hash = $hash, token_expires_at = time::now() + type::duration($ttl), \
         live_key = $live_key, created_by = $created_by, requested_email = $requested_email",
    );
    let (client, role, requested_role, live) = match &new.to {
        RequestTo::Account { client_key, role_key } => (
            Some(rid("account", client_key)),
            Some(rid("role", role_key)),
            None,
            live_key(client_key, &new.requester_email),
        ),
        // One live request per typed email and requester, as for an account.
        RequestTo::Nobody { role_name } => (
            None,
            None,
            Some(role_name.clone()),
            live_key(&format!("email:{}", new.requested_email), &new.requester_email),
        ),
    };
    tx.bind("grant", rid("grant", &new.grant_key));
    tx.bind("client", client);
    tx.bind("role", role);
    tx.bind("requested_role", requested_role);
    tx.bind("agency", rid("account", &new.agency_key));
    tx.bind("requested_email", new.requested_email);
    tx.bind("live_key", live);
    tx.bind("email", new.requester_email);
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
    tx.bind("ng_live_key", live_key(client_key, email));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: &str, initiated_by: &str, token_expired: bool) -> GrantRecord {
        GrantRecord {
            id: "g1".into(),
            client_account: Some("c1".into()),
            client_name: "Client".into(),
            owner_email: None,
            managing_account: None,
            managing_name: None,
            manager_email: "m@agency.com".into(),
            role_id: Some("r1".into()),
            role_name: "Admin".into(),
            state: state.into(),
            initiated_by: initiated_by.into(),
            token_nonce: None,
            token_expired,
            access_until: None,
            created_at: String::new(),
            updated_at: String::new(),
            requested_email: Some("olga@client.com".into()),
            was_active: None,
        }
    }

    #[test]
    fn an_agency_names_the_account_once_it_was_granted() {
        let pending = GrantRow::try_from(record("pending", "agency", false)).expect("row");
        assert_eq!(pending.client_for_agency(), "olga@client.com");
        let denied = GrantRow::try_from(record("denied", "agency", false)).expect("row");
        assert_eq!(denied.client_for_agency(), "olga@client.com");
        let active = GrantRow::try_from(record("active", "agency", false)).expect("row");
        assert_eq!(active.client_for_agency(), "Client");
        let mut revoked = record("revoked", "agency", false);
        revoked.was_active = Some(true);
        assert_eq!(
            GrantRow::try_from(revoked).expect("row").client_for_agency(),
            "Client"
        );
        let invited = GrantRow::try_from(record("pending", "owner", false)).expect("row");
        assert_eq!(invited.client_for_agency(), "Client");
    }

    #[test]
    fn an_unknown_state_or_initiator_is_an_error_not_expired() {
        let err = GrantRow::try_from(record("paused", "owner", false)).expect_err("unknown state");
        assert!(
            matches!(&err, StoreError::Unreadable(m) if m.contains("paused")),
            "{err}"
        );
        let err = GrantRow::try_from(record("active", "vendor", false)).expect_err("unknown initiator");
        assert!(
            matches!(&err, StoreError::Unreadable(m) if m.contains("vendor")),
            "{err}"
        );
    }

    #[test]
    fn a_pending_grant_whose_link_expired_reads_as_expired() {
        let read = |state, expired| {
            GrantRow::try_from(record(state, "agency", expired))
                .expect("known state")
                .effective_state()
        };
        assert_eq!(read("pending", true), GrantState::Expired);
        assert_eq!(read("pending", false), GrantState::Pending);
        assert_eq!(read("active", true), GrantState::Active);
        let row = GrantRow::try_from(record("revoked", "agency", false)).expect("known state");
        assert_eq!(
            (row.state, row.initiator),
            (GrantState::Revoked, Initiator::Agency)
        );
    }
}
