//! Contacts as CSV: export (`contacts.export_lists`) and import (`contacts.import_lists`).
//! An import is all or nothing: every row is checked first, then one transaction creates them.
use super::store;
use crate::contacts::fields::service as fields;
use crate::contacts::model::ImportOutcome;
use crate::contacts::service::{authorize_tags, parse_fields, ContactInput};
use crate::core::csv_cell::{cell, uncell};
use crate::core::db::{self, Tx};
use crate::core::domain::Permission;
use crate::core::services::{Actor, ServiceError, Services};

/// At most this many rows per import; bigger lists are split by the person importing.
pub const MAX_ROWS: usize = 5_000;
const BASE_COLUMNS: [&str; 5] = ["First name", "Last name", "Email", "Phone", "Tags"];

/// Every contact of the account with its tags and custom field values.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn export(services: &Services, actor: &Actor) -> Result<String, ServiceError> {
    actor.authorize(Permission::CONTACTS_VIEW)?;
    actor.authorize(Permission::CONTACTS_EXPORT)?;
    let known = fields::list(&services.db, &actor.account_id).await?;
    let rows = store::list(&services.db, &actor.account_id, None).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = BASE_COLUMNS
        .iter()
        .copied()
        .chain(known.iter().map(|f| f.name.as_str()))
        .collect();
    let csv_err = |e: csv::Error| ServiceError::Internal(format!("csv: {e}"));
    out.write_record(&header).map_err(csv_err)?;
    for c in rows {
        let mut record = vec![c.first_name, c.last_name, c.email, c.phone, c.tags.join(", ")];
        for f in &known {
            record.push(
                c.fields
                    .iter()
                    .find(|v| v.field == f.id)
                    .map(|v| v.value.clone())
                    .unwrap_or_default(),
            );
        }
        out.write_record(record.iter().map(|v| cell(v).into_owned()))
            .map_err(csv_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ServiceError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ServiceError::Internal(format!("csv: {e}")))
}

fn refused(message: String) -> ServiceError {
    ServiceError::field("csv", message)
}

/// Creates a contact for each row of `text`, whose first row names the columns.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn import(services: &Services, actor: &Actor, text: &str) -> Result<ImportOutcome, ServiceError> {
    actor.authorize(Permission::CONTACTS_IMPORT)?;
    // An import adds contacts: it needs what adding one by hand needs.
    actor.authorize(Permission::CONTACTS_CREATE_EDIT)?;
    let known = fields::list(&services.db, &actor.account_id).await?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| refused(format!("The first row must name the columns: {e}")))?
        .clone();
    // Where each column goes: a base column by index, or a custom field by id.
    enum Column {
        Base(usize),
        Field(String),
    }
    let mut columns = Vec::new();
    for name in header.iter() {
        if let Some(i) = BASE_COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
            columns.push(Column::Base(i));
        } else if let Some(f) = known.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
            columns.push(Column::Field(f.id.clone()));
        } else {
            return Err(refused(format!(
                "Unknown column \"{name}\". Use {} or a custom field's name.",
                BASE_COLUMNS.join(", ")
            )));
        }
    }
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        if parsed.len() >= MAX_ROWS {
            return Err(refused(format!("At most {MAX_ROWS} contacts per import.")));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("Row {row}: {e}"));
                continue;
            }
        };
        let mut base = [
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        let mut values = Vec::new();
        for (column, value) in columns.iter().zip(record.iter().map(uncell)) {
            match column {
                Column::Base(i) => base[*i] = value.to_string(),
                Column::Field(id) => values.push((id.clone(), value.to_string())),
            }
        }
        let [first_name, last_name, email, phone, tags] = base;
        let input = ContactInput {
            first_name,
            last_name,
            email,
            phone,
            tags,
            values,
        };
        match parse_fields(&input, &known) {
            Ok(ok) => parsed.push(ok),
            Err(ServiceError::Invalid(errors)) => {
                problems.extend(errors.into_iter().map(|(_, m)| format!("Row {row}: {m}")));
            }
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        let shown: Vec<String> = problems.iter().take(10).cloned().collect();
        let more = problems.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(refused(format!(
            "Nothing was imported. {}{tail}",
            shown.join(" ")
        )));
    }
    if parsed.is_empty() {
        return Err(refused("The file has no contacts under its header row.".into()));
    }
    // Tags follow the rules of a contact added by hand: putting tags on needs `manage_tags`, a
    // tag the account doesn't have yet `create_delete_tags`.
    let mut tags: Vec<String> = parsed.iter().flat_map(|(_, t)| t.iter().cloned()).collect();
    tags.sort();
    tags.dedup();
    authorize_tags(services, actor, &tags, &[]).await?;
    let created = parsed.len();
    let rows = parsed
        .into_iter()
        .map(|(f, tags)| (db::new_key(), f, tags))
        .collect();
    let mut tx = Tx::new();
    store::create_many(&mut tx, &actor.account_id, rows);
    tx.audit(actor.audit(
        "contacts.imported",
        format!("Imported {created} contacts from CSV"),
    ));
    tx.commit(&services.db).await?;
    Ok(ImportOutcome { created })
}
