//! Reading the audit log: who did what in the account, and when; filtered, paged, exported.
use chrono::NaiveDate;

use super::store::{self, Filter};
use crate::audit::model::{AuditEntryView, AuditPage, AuditQuery, Choice};
use crate::core::csv_cell::cell;
use crate::core::domain::locale::DateStyle;
use crate::core::domain::Permission;
use crate::core::services::{Actor, FieldErrors, ServiceError, Services};

pub const PAGE_SIZE: i64 = 50;
/// Rows read per query of an export.
const EXPORT_BATCH: i64 = 1000;

/// The store's filter for a page's query; a malformed date is a field error.
/// The days are the account's (`dates`: its time zone).
pub fn parse_query(q: &AuditQuery, dates: DateStyle) -> Result<Filter, ServiceError> {
    fn day(text: &str) -> Result<Option<NaiveDate>, crate::core::domain::Invalid> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| crate::core::domain::Invalid("Enter a date as YYYY-MM-DD.".into()))
    }
    let mut errors = FieldErrors::default();
    let from = errors.check("from", day(&q.from)).flatten();
    let to = errors.check("to", day(&q.to)).flatten();
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.check::<()>(
                "to",
                Err(crate::core::domain::Invalid(
                    "The last day is before the first day.".into(),
                )),
            );
        }
    }
    errors.finish()?;
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Filter {
        user: some(&q.user),
        action: some(&q.action),
        from: from.map(|d| dates.start_of(d).format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        until: to
            .and_then(|d| d.succ_opt())
            .map(|d| dates.start_of(d).format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    })
}

/// A listed entry as the page and the Dashboard show it.
fn row_view(dates: DateStyle, r: store::AuditRow) -> AuditEntryView {
    view(dates, &r.at, r.actor_name, r.via_account, r.action, r.detail)
}

fn view(
    dates: DateStyle,
    at: &str,
    who: String,
    via: Option<String>,
    action: String,
    detail: String,
) -> AuditEntryView {
    AuditEntryView {
        timestamp: chrono::DateTime::parse_from_rfc3339(at).map_or_else(
            |_| at.to_string(),
            |t| {
                t.with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            },
        ),
        at: dates.instant_of(at),
        who,
        via,
        action,
        detail,
    }
}

/// One page of the log, newest first, for the account's administrators
/// (`admin_tools.administrator_tools`).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list(services: &Services, actor: &Actor, query: &AuditQuery) -> Result<AuditPage, ServiceError> {
    let (entries, more) = entries(services, actor, query).await?;
    let (mut users, mut actions) = (Vec::new(), Vec::new());
    for f in store::facets(&services.db, &actor.account_id).await? {
        let choice = Choice {
            value: f.value,
            label: f.label,
        };
        if f.kind == "user" {
            users.push(choice);
        } else {
            actions.push(choice);
        }
    }
    Ok(AuditPage {
        entries,
        more,
        users,
        actions,
    })
}

/// One page of the entries, newest first, and whether an older page exists: the log without
/// the page's filter choices (the API's read).
pub async fn entries(
    services: &Services,
    actor: &Actor,
    query: &AuditQuery,
) -> Result<(Vec<AuditEntryView>, bool), ServiceError> {
    actor.authorize(Permission::ADMINISTRATOR_TOOLS)?;
    let filter = parse_query(query, actor.dates)?;
    let page = query.page.clamp(0, 100_000);
    let mut rows = store::recent(
        &services.db,
        &actor.account_id,
        &filter,
        page * PAGE_SIZE,
        PAGE_SIZE + 1,
    )
    .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let entries = rows.into_iter().map(|r| row_view(actor.dates, r)).collect();
    Ok((entries, more))
}

/// Counting stops here: past it, a count would read every entry of a large log for a number
/// nobody needs exactly.
pub const COUNT_CAP: i64 = 1_000;

/// How many entries match the query's filters, up to [`COUNT_CAP`], and whether that is all of
/// them.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn count(
    services: &Services,
    actor: &Actor,
    query: &AuditQuery,
) -> Result<(i64, bool), ServiceError> {
    actor.authorize(Permission::ADMINISTRATOR_TOOLS)?;
    let filter = parse_query(query, actor.dates)?;
    let n = store::count_upto(&services.db, &actor.account_id, &filter, COUNT_CAP + 1).await?;
    Ok((n.min(COUNT_CAP), n <= COUNT_CAP))
}

/// The newest `n` entries for the Dashboard, when the actor may read the log; `None` otherwise.
pub async fn latest(
    services: &Services,
    actor: &Actor,
    n: i64,
) -> Result<Option<Vec<AuditEntryView>>, ServiceError> {
    if !actor.can(Permission::ADMINISTRATOR_TOOLS) {
        return Ok(None);
    }
    let filter = parse_query(&AuditQuery::default(), actor.dates)?;
    let rows = store::recent(&services.db, &actor.account_id, &filter, 0, n).await?;
    Ok(Some(rows.into_iter().map(|r| row_view(actor.dates, r)).collect()))
}

/// Every entry the filters select, newest first, as CSV with each entry's place and hash in
/// the chain (so that an exported copy can be checked against the log later).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn export_csv(
    services: &Services,
    actor: &Actor,
    query: &AuditQuery,
) -> Result<String, ServiceError> {
    actor.authorize(Permission::ADMINISTRATOR_TOOLS)?;
    let filter = parse_query(query, actor.dates)?;
    let csv_err = |e: csv::Error| ServiceError::Internal(format!("csv: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "When (UTC)",
        "Who",
        "From agency",
        "What",
        "Details",
        "Entry",
        "Hash",
    ])
    .map_err(csv_err)?;
    // Keyset paging by time: entries of the instant a batch ended at are read again and skipped.
    let mut upto: Option<String> = None;
    let mut seen_at_upto: std::collections::HashSet<String> = Default::default();
    loop {
        let batch = store::export_batch(
            &services.db,
            &actor.account_id,
            &filter,
            upto.as_deref(),
            EXPORT_BATCH + seen_at_upto.len() as i64,
        )
        .await?;
        let fresh: Vec<_> = batch
            .into_iter()
            .filter(|r| !seen_at_upto.contains(&crate::core::db::key(&r.id)))
            .collect();
        let Some(last) = fresh.last() else { break };
        let last_at = last.at.clone();
        if upto.as_deref() != Some(last_at.as_str()) {
            seen_at_upto.clear();
        }
        for r in &fresh {
            if r.at == last_at {
                seen_at_upto.insert(crate::core::db::key(&r.id));
            }
            let v = view(
                actor.dates,
                &r.at,
                r.actor_name.clone(),
                r.via_account.clone(),
                r.action.clone(),
                r.detail.clone(),
            );
            out.write_record([
                cell(&v.at).into_owned(),
                cell(&v.who).into_owned(),
                cell(v.via.as_deref().unwrap_or("")).into_owned(),
                cell(&v.action).into_owned(),
                cell(&v.detail).into_owned(),
                r.seq.map(|s| s.to_string()).unwrap_or_default(),
                r.hash.clone().unwrap_or_default(),
            ])
            .map_err(csv_err)?;
        }
        upto = Some(last_at);
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ServiceError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ServiceError::Internal(format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_a_half_open_range_of_whole_days() {
        let q = AuditQuery {
            from: "2026-11-01".into(),
            to: "2026-11-23".into(),
            ..AuditQuery::default()
        };
        let f = parse_query(&q, DateStyle::default()).expect("whole days");
        assert_eq!(f.from.as_deref(), Some("2026-11-01T00:00:00Z"));
        assert_eq!(f.until.as_deref(), Some("2026-11-24T00:00:00Z"));
        assert!(f.user.is_none() && f.action.is_none());
        // The account's days: in Tokyo a day starts nine hours before UTC's.
        let tokyo = parse_query(&q, DateStyle::new("YYYY-MM-DD", "Asia/Tokyo")).expect("whole days");
        assert_eq!(tokyo.from.as_deref(), Some("2026-10-31T15:00:00Z"));
    }

    #[test]
    fn a_bad_date_or_a_reversed_range_is_a_field_error() {
        let bad = parse_query(
            &AuditQuery {
                from: "23/11/2026".into(),
                ..AuditQuery::default()
            },
            DateStyle::default(),
        );
        assert!(matches!(bad, Err(ServiceError::Invalid(ref f)) if f[0].0 == "from"));
        let reversed = parse_query(
            &AuditQuery {
                from: "2026-11-23".into(),
                to: "2026-11-01".into(),
                ..AuditQuery::default()
            },
            DateStyle::default(),
        );
        assert!(matches!(reversed, Err(ServiceError::Invalid(ref f)) if f[0].0 == "to"));
    }

    #[test]
    fn a_cell_that_looks_like_a_formula_is_written_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("Added a user"), "Added a user");
    }
}
