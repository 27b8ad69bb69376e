//! The accounts an account manages, as its Managed accounts list shows them.
use surrealdb::types::{Datetime, RecordId, SurrealValue};

use crate::billing::model::{AgencyTotals, Currency};
use crate::billing::store::TotalsRecord;
use crate::core::db::{checked, db_err, key, rid, Db, StoreError, Tx};
use crate::grants::state::{GrantState, Initiator};

#[derive(Debug, Clone)]
pub struct ManagedRow {
    pub id: String,
    pub client_name: Option<String>,
    pub owner_email: Option<String>,
    pub role_name: Option<String>,
    pub state: GrantState,
    pub account_status: Option<String>,
    pub initiator: Initiator,
    pub token_nonce: Option<String>,
    pub token_expired: bool,
    pub created: String,
    /// Set while the owner of a client account the agency created has not set a password.
    pub password_link_nonce: Option<String>,
    /// The billing of a client account this agency made.
    pub billing: Option<crate::billing::store::Billing>,
    /// The row's key in the list's order, where the page next to it starts.
    pub list_key: Option<String>,
}

/// Columns the list can be sorted by, with the field of the grant each is ordered by and that
/// field's key (the value, then the id: migration 0033), which the page is read in the order
/// of, through an index that starts with the managing account.
const SORTS: &[(&str, &str, &str)] = &[
    ("name", "client_name", "list_name"),
    ("owner_email", "owner_email", "list_owner"),
    ("role_name", "role_name", "list_role"),
    ("state", "state", "list_state"),
    ("account_status", "account_status", "list_status"),
    ("created_at", "created_at", "list_created"),
];

/// Raw fields only: a function per row (`record::id`, casts) would cost more than the read.
const COLUMNS: &str = "id, client_name, owner_email, role_name, state, account_status,
    initiated_by, token_nonce, token_expires_at, created_at, password_link_nonce, client_account, billing";

#[derive(Debug, Clone, SurrealValue)]
struct GrantListRecord {
    id: RecordId,
    client_name: Option<String>,
    owner_email: Option<String>,
    role_name: Option<String>,
    state: String,
    account_status: Option<String>,
    initiated_by: String,
    token_nonce: Option<String>,
    token_expires_at: Option<Datetime>,
    created_at: Datetime,
    password_link_nonce: Option<String>,
    client_account: Option<RecordId>,
    billing: Option<crate::billing::store::GrantBilling>,
    /// The row's key in the order of the page (read without a search).
    list_key: Option<String>,
}

impl ManagedRow {
    /// A pending grant whose link has expired reads as Expired, even before the sweep records it.
    pub fn effective_state(&self) -> GrantState {
        if self.state == GrantState::Pending && self.token_expired {
            GrantState::Expired
        } else {
            self.state
        }
    }
}

impl ManagedRow {
    /// A row of the list of `agency` (its key and Localization currency, which its bills for the
    /// accounts it pays are in).
    fn read(g: GrantListRecord, agency: (&str, Currency)) -> Result<Self, StoreError> {
        let now = chrono::Utc::now();
        let unreadable = |what: &str, value: &str| {
            StoreError::Unreadable(format!("grant {} {what} {value:?}", key(&g.id)))
        };
        let state = GrantState::from_key(&g.state).ok_or_else(|| unreadable("state", &g.state))?;
        let initiator = Initiator::from_key(&g.initiated_by)
            .ok_or_else(|| unreadable("initiated_by", &g.initiated_by))?;
        Ok(Self {
            id: key(&g.id),
            client_name: g.client_name,
            owner_email: g.owner_email,
            role_name: g.role_name,
            state,
            account_status: g.account_status,
            initiator,
            token_nonce: g.token_nonce,
            token_expired: g.token_expires_at.is_some_and(|t| *t <= now),
            created: g.created_at.to_string(),
            password_link_nonce: g.password_link_nonce,
            billing: match (g.billing, &g.client_account) {
                (Some(b), Some(account)) => Some(b.into_billing(&key(account), agency.0, agency.1)?),
                _ => None,
            },
            list_key: g.list_key,
        })
    }
}

/// At most this many rows match a search, by name and by owner email each.
const SEARCH_CAP: i64 = 1000;

pub use crate::core::paging::{PageCursor, Window};

/// One page of the list and what goes with it.
pub struct Page {
    pub rows: Vec<ManagedRow>,
    /// How many rows match in all.
    pub total: i64,
    /// Where the next and the previous page start, when there are such pages and the list was
    /// read in index order (without a search: a search's pages are cut from its matches).
    pub next: Option<PageCursor>,
    pub previous: Option<PageCursor>,
    /// Owners sent the viewer's email invitations still pending.
    pub invitations: bool,
    /// The agency's monthly totals (the billing feature's record, read in the same round trip).
    pub totals: AgencyTotals,
}

/// One page of the list, how many rows match in all, the agency's totals, and (with `invited`, the viewer's email when
/// they act in their own account) whether owners sent that email invitations still pending: a
/// short statement in the same round trip, as most people have none (the grants module reads
/// them when there are).
///
/// Without a search the page is read in index order (the sort key after the agency), from
/// `cursor` when the page is reached from the one next to it, so its cost grows neither with the
/// number of rows nor with how far the page is. A search matches the start of the account name
/// (any case) or of the owner email, each through its index, up to [`SEARCH_CAP`] rows: the work
/// grows with the matches, not with the list.
pub async fn page(
    db: &Db,
    (agency_key, agency_currency): (&str, Currency),
    window: Window<'_>,
    cursor: Option<&PageCursor>,
    invited: Option<&str>,
) -> Result<Page, StoreError> {
    let Window {
        search,
        sort,
        descending,
        start,
        limit,
    } = window;
    let totals = crate::billing::store::TOTALS;
    // Through the (email, state) index of migration 0026.
    let invitations = match invited {
        Some(_) => {
            "SELECT VALUE id FROM grant WHERE manager_email = $invited AND state = 'pending'
                AND initiated_by = 'owner' LIMIT 1;"
        }
        None => "",
    };
    let (field, list_key) = SORTS
        .iter()
        .find(|(column, ..)| *column == sort)
        .map_or(("client_name", "list_name"), |(_, field, key)| (field, key));
    let q = search.trim().to_lowercase();
    if q.is_empty() {
        // Read in the order of the keys, from the cursor on when there is one. The page going
        // back (before a key) is read the other way and turned round. One row more than the
        // page says whether more follow.
        let forward = !matches!(cursor, Some(PageCursor::Before(_)));
        let ascending = forward != descending;
        let (dir, from) = match (ascending, cursor.is_some()) {
            (true, true) => ("ASC", format!("AND {list_key} > $cursor")),
            (false, true) => ("DESC", format!("AND {list_key} < $cursor")),
            (true, false) => ("ASC", String::new()),
            (false, false) => ("DESC", String::new()),
        };
        let start = if cursor.is_some() { 0 } else { start };
        // The total is the sum of the agency's counter parts (migration 0012): a few records,
        // where counting the index keys grew with the list (4 ms at 10,000 grants).
        let res = db
            .query(format!(
                "SELECT {COLUMNS}, {list_key} AS list_key FROM grant WHERE managing_account = $agency {from}
                 ORDER BY {list_key} {dir} LIMIT $limit START $start;
                 math::sum(SELECT VALUE n FROM managed_count WHERE agency = $agency);
                 {totals};
                 {invitations}"
            ))
            .bind(("totals", crate::billing::store::totals_ids(agency_key)))
            .bind(("invited", invited.unwrap_or_default().to_string()))
            .bind(("agency", rid("account", agency_key)))
            .bind((
                "cursor",
                match cursor {
                    Some(PageCursor::After(key) | PageCursor::Before(key)) => key.clone(),
                    None => String::new(),
                },
            ))
            .bind(("limit", limit + 1))
            .bind(("start", start))
            .await
            .map_err(db_err)?;
        let mut res = checked(res)?;
        let mut rows: Vec<GrantListRecord> = res.take(0).map_err(db_err)?;
        let total: Option<i64> = res.take(1).map_err(db_err)?;
        let totals: Vec<TotalsRecord> = res.take(2).map_err(db_err)?;
        let invitations = invited.is_some() && !res.take::<Vec<RecordId>>(3).map_err(db_err)?.is_empty();
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        if !forward {
            rows.reverse();
        }
        let rows: Vec<ManagedRow> = rows
            .into_iter()
            .map(|g| ManagedRow::read(g, (agency_key, agency_currency)))
            .collect::<Result<_, _>>()?;
        // Going forward, rows lie before this page when it was reached from a cursor or has a
        // start; going back, the cursor's row and those after it follow.
        let (rows_before, rows_after) = if forward {
            (cursor.is_some() || start > 0, more)
        } else {
            (more, true)
        };
        let key_of = |row: Option<&ManagedRow>| row.and_then(|r| r.list_key.clone());
        return Ok(Page {
            next: rows_after
                .then(|| key_of(rows.last()).map(PageCursor::After))
                .flatten(),
            previous: rows_before
                .then(|| key_of(rows.first()).map(PageCursor::Before))
                .flatten(),
            rows,
            total: total.unwrap_or(0),
            invitations,
            totals: AgencyTotals::from_records(totals),
        });
    }
    // `search_name` and `search_owner` start with the managing account (migration 0011), so
    // one range with both bounds reads only the matching grants of this agency.
    let from = format!("{agency_key}|{q}");
    let res = db
        .query(format!(
            "SELECT {COLUMNS} FROM grant WHERE search_name >= $from AND search_name < $to LIMIT $cap;
             SELECT {COLUMNS} FROM grant WHERE search_owner >= $from AND search_owner < $to LIMIT $cap;
             {totals};
             {invitations}"
        ))
        .bind(("totals", crate::billing::store::totals_ids(agency_key)))
        .bind(("invited", invited.unwrap_or_default().to_string()))
        .bind(("to", format!("{from}\u{10FFFF}")))
        .bind(("from", from))
        .bind(("cap", SEARCH_CAP))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let by_name: Vec<GrantListRecord> = res.take(0).map_err(db_err)?;
    let by_email: Vec<GrantListRecord> = res.take(1).map_err(db_err)?;
    let totals: Vec<TotalsRecord> = res.take(2).map_err(db_err)?;
    let invitations = invited.is_some() && !res.take::<Vec<RecordId>>(3).map_err(db_err)?.is_empty();
    let mut rows: Vec<ManagedRow> = by_name
        .into_iter()
        .map(|g| ManagedRow::read(g, (agency_key, agency_currency)))
        .collect::<Result<_, _>>()?;
    let found: std::collections::HashSet<String> = rows.iter().map(|r| r.id.clone()).collect();
    for record in by_email {
        let row = ManagedRow::read(record, (agency_key, agency_currency))?;
        if !found.contains(&row.id) {
            rows.push(row);
        }
    }
    let (page, total) = crate::core::paging::sort_and_page(
        rows,
        &window,
        |a, b| sort_key(a, field).cmp(sort_key(b, field)),
        |r| &r.id,
    );
    Ok(Page {
        rows: page,
        total,
        next: None,
        previous: None,
        invitations,
        totals: AgencyTotals::from_records(totals),
    })
}

fn sort_key<'a>(row: &'a ManagedRow, field: &str) -> &'a str {
    match field {
        "owner_email" => row.owner_email.as_deref(),
        "role_name" => row.role_name.as_deref(),
        "state" => Some(row.state.key()),
        "account_status" => row.account_status.as_deref(),
        "created_at" => Some(row.created.as_str()),
        _ => row.client_name.as_deref(),
    }
    .unwrap_or_default()
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
    /// The agency's Localization currency: the new account's, whatever its template's, as its
    /// price was shown in it.
    pub currency: Currency,
}

/// Adds to `tx` who pays for a new account and on which terms.
pub fn set_billing(tx: &mut Tx, account_key: &str, billing: Billing<'_>) {
    tx.push(
        "UPDATE $bill_account SET level = $bill_level, cms_plan = $bill_cms, paid_by = $bill_paid_by, \
         discount_percent = $bill_discount, commission_percent = $bill_commission, created_by_account = $bill_agency, \
         is_sandbox = $bill_sandbox, currency = $bill_currency",
    );
    tx.bind("bill_account", rid("account", account_key));
    tx.bind("bill_level", billing.level.to_string());
    tx.bind("bill_cms", billing.cms_plan.to_string());
    tx.bind("bill_paid_by", billing.paid_by.to_string());
    tx.bind("bill_discount", billing.discount_percent);
    tx.bind("bill_commission", billing.commission_percent);
    tx.bind("bill_agency", rid("account", billing.agency_key));
    tx.bind("bill_sandbox", billing.sandbox);
    tx.bind("bill_currency", billing.currency.code().to_string());
}

/// How the owner wants to hear of managers logging in.
pub async fn login_rules(db: &Db, account_key: &str) -> Result<LoginRules, StoreError> {
    let res = db
        .query("SELECT login_notify, require_two_factor FROM ONLY $acc")
        .bind(("acc", rid("account", account_key)))
        .await
        .map_err(db_err)?;
    let row: Option<LoginRules> = checked(res)?.take(0).map_err(db_err)?;
    Ok(row.unwrap_or(LoginRules {
        login_notify: None,
        require_two_factor: None,
    }))
}

/// What the client account asks of a manager's log-in: when its owner hears of it, and whether
/// two-factor must be on.
#[derive(Debug, Clone, SurrealValue)]
pub struct LoginRules {
    pub login_notify: Option<String>,
    pub require_two_factor: Option<bool>,
}

/// The nonce of a client account's set-password link, while its owner has not set a password.
pub async fn password_link_nonce(db: &Db, grant_key: &str) -> Result<Option<String>, StoreError> {
    let res = db
        .query("SELECT VALUE password_link_nonce FROM ONLY $grant")
        .bind(("grant", rid("grant", grant_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// The agency's managed accounts in all, and how many of them wait for an answer (at most
/// `cap` counted, through the agency's state index: with 100,000 grants of one agency, 100 of
/// them pending, 0.3–0.4 ms on SurrealDB's server, 1.4–2.0 ms without the index named).
pub async fn summary(db: &Db, agency_key: &str, cap: i64) -> Result<(i64, i64), StoreError> {
    let res = db
        .query(
            "math::sum(SELECT VALUE n FROM managed_count WHERE agency = $agency);
             SELECT VALUE id FROM grant WITH INDEX grant_list_state
                 WHERE managing_account = $agency AND state = 'pending' LIMIT $cap;",
        )
        .bind(("agency", rid("account", agency_key)))
        .bind(("cap", cap))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    let total: Option<i64> = res.take(0).map_err(db_err)?;
    let pending: Vec<RecordId> = res.take(1).map_err(db_err)?;
    Ok((total.unwrap_or(0), pending.len() as i64))
}

#[derive(Debug, SurrealValue)]
struct SwitchRecord {
    id: String,
    name: Option<String>,
}

/// The other client accounts a manager acting through a grant may go to straight from the bar:
/// the home agency's Active grants by name, at most `limit`, when the home role may see the list
/// and log in (read here: while managing, the actor holds the grant's role, not the home one).
pub async fn switch_targets(
    db: &Db,
    user_key: &str,
    agency_key: &str,
    current_grant: &str,
    limit: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    let res = db
        .query(
            "LET $p = (SELECT VALUE role.permissions FROM membership WHERE user = $user AND account = $agency LIMIT 1)[0] ?? [];
             LET $may = $p CONTAINS 'managed_accounts'
                 OR ($p CONTAINS 'managed_accounts.view' AND $p CONTAINS 'managed_accounts.log_in');
             SELECT record::id(id) AS id, client_name AS name FROM grant WITH INDEX grant_list_name
                 WHERE $may AND managing_account = $agency AND state = 'active' AND id != $current
                 ORDER BY client_name LIMIT $limit;",
        )
        .bind(("user", rid("user", user_key)))
        .bind(("agency", rid("account", agency_key)))
        .bind(("current", rid("grant", current_grant)))
        .bind(("limit", limit))
        .await
        .map_err(db_err)?;
    let rows: Vec<SwitchRecord> = checked(res)?.take(2).map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.name.unwrap_or_default()))
        .collect())
}
