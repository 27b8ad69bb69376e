//! Account templates: their records, and the copy of one account's business data into another.
use std::collections::HashMap;
use std::sync::Arc;

use surrealdb::types::{Datetime, RecordId, SurrealValue, Value};

use crate::contacts::service::FieldValue;
use crate::core::db::{checked, db_err, rid, Db, StoreError, Tx};

#[derive(Debug, Clone, SurrealValue)]
pub struct TemplateRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub built_in: bool,
    pub source_name: Option<String>,
    pub updated_at: String,
    pub fields: i64,
    pub tags: i64,
    pub messages: i64,
    pub contacts: i64,
}

/// What a change to a template, or a copy from it, needs to know: no counts.
#[derive(Debug, Clone, SurrealValue)]
pub struct TemplateRef {
    pub id: String,
    pub name: String,
    pub content_account: String,
    pub source_account: Option<String>,
}

const REF_COLUMNS: &str = "record::id(id) AS id, name, record::id(content_account) AS content_account,
    IF source_account THEN record::id(source_account) END AS source_account";

/// The one template that matches `filter` (a WHERE clause over `$template` and `$agency`).
async fn find(
    db: &Db,
    agency_key: &str,
    template_key: &str,
    filter: &str,
) -> Result<Option<TemplateRef>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {REF_COLUMNS} FROM template WHERE id = $template AND {filter}"
        ))
        .bind(("agency", rid("account", agency_key)))
        .bind(("template", rid("template", template_key)))
        .await
        .map_err(db_err)?;
    let rows: Vec<TemplateRef> = checked(res)?.take(0).map_err(db_err)?;
    Ok(rows.into_iter().next())
}

const TEMPLATE_COLUMNS: &str = "record::id(id) AS id, name, description, built_in,
    source_account.name AS source_name, <string> updated_at AS updated_at,
    (SELECT count() FROM custom_field WHERE account = $parent.content_account GROUP ALL)[0].count ?? 0 AS fields,
    (SELECT count() FROM tag WHERE account = $parent.content_account GROUP ALL)[0].count ?? 0 AS tags,
    (SELECT count() FROM message WHERE account = $parent.content_account GROUP ALL)[0].count ?? 0 AS messages,
    (SELECT count() FROM contact WHERE account = $parent.content_account GROUP ALL)[0].count ?? 0 AS contacts";

/// The built-in templates and the templates of one agency, built-in first.
pub async fn visible_to(db: &Db, agency_key: &str) -> Result<Vec<TemplateRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT {TEMPLATE_COLUMNS} FROM template
             WHERE content_account != NONE AND (built_in = true OR owner_account = $agency)
             ORDER BY built_in DESC, name"
        ))
        .bind(("agency", rid("account", agency_key)))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// A template the agency may use: a built-in one or one of its own.
pub async fn usable(
    db: &Db,
    agency_key: &str,
    template_key: &str,
) -> Result<Option<TemplateRef>, StoreError> {
    find(
        db,
        agency_key,
        template_key,
        "content_account != NONE AND (built_in = true OR owner_account = $agency)",
    )
    .await
}

/// Everything of an account that a copy carries, read in one transaction so that it is one
/// consistent state even while the account is being changed.
pub struct Content {
    fields: Vec<FieldRec>,
    tags: Vec<TagRec>,
    messages: Vec<MessageRec>,
    contacts: Vec<ContactRec>,
    roles: Vec<RoleRec>,
    notes: Vec<NoteRec>,
    settings: Option<SettingsRec>,
}

impl Content {
    pub fn contacts(&self) -> usize {
        self.contacts.len()
    }
}

#[derive(Debug, Clone, SurrealValue)]
struct FieldRec {
    id: RecordId,
    name: String,
    kind: String,
    created_at: Datetime,
}

#[derive(Debug, Clone, SurrealValue)]
struct TagRec {
    id: RecordId,
    name: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct MessageRec {
    id: RecordId,
    name: String,
    subject: String,
    body: String,
    fields: Vec<RecordId>,
    created_at: Datetime,
}

#[derive(Debug, Clone, SurrealValue)]
struct ContactRec {
    id: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    tags: Vec<RecordId>,
    fields: Vec<FieldValue>,
    created_at: Datetime,
}

#[derive(Debug, Clone, SurrealValue)]
struct NoteRec {
    id: RecordId,
    contact: RecordId,
    body: String,
    author: String,
    created_at: Datetime,
}

#[derive(Debug, Clone, SurrealValue)]
struct RoleRec {
    id: RecordId,
    name: String,
    permissions: Vec<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct SettingsRec {
    allow_manager_requests: bool,
    login_notify: String,
    time_zone: String,
    language: String,
    date_format: String,
    currency: String,
}

/// Reads what a copy of `src_key` carries. Plain columns only: mapping references here, in Rust,
/// is what keeps a 10,000-contact copy under two seconds (closures per row in SurrealQL were
/// several times slower).
pub async fn read_content(db: &Db, src_key: &str) -> Result<Arc<Content>, StoreError> {
    let res = db
        .query(
            "BEGIN TRANSACTION;
             SELECT id, name, kind, created_at FROM custom_field WHERE account = $src;
             SELECT id, name FROM tag WHERE account = $src;
             SELECT id, name, subject, body, fields, created_at FROM message WHERE account = $src;
             SELECT id, first_name, last_name, email, phone, tags, fields, created_at FROM contact WHERE account = $src;
             SELECT id, name, permissions FROM role WHERE account = $src AND default_key = NONE;
             SELECT allow_manager_requests, login_notify, time_zone, language, date_format, currency FROM ONLY $src;
             SELECT id, contact, body, author, created_at FROM note WHERE account = $src;
             COMMIT TRANSACTION;",
        )
        .bind(("src", rid("account", src_key)))
        .await
        .map_err(db_err)?;
    let mut res = checked(res)?;
    // Result 0 is BEGIN's.
    Ok(Arc::new(Content {
        fields: res.take(1).map_err(db_err)?,
        tags: res.take(2).map_err(db_err)?,
        messages: res.take(3).map_err(db_err)?,
        contacts: res.take(4).map_err(db_err)?,
        roles: res.take(5).map_err(db_err)?,
        settings: res.take(6).map_err(db_err)?,
        notes: res.take(7).map_err(db_err)?,
    }))
}

/// The key of a record's copy in another account. The same record copied into the same account
/// always gets the same key, so references between copies are computed, not looked up.
pub fn copy_key(dst_key: &str, original: &RecordId) -> String {
    use sha2::{Digest, Sha256};
    let key = key_of(original);
    hex::encode(&Sha256::digest(format!("{dst_key}:{key}").as_bytes())[..10])
}

/// A record's key as text (Steward's keys are strings; others are spelled out).
fn key_of(id: &RecordId) -> String {
    match &id.key {
        surrealdb::types::RecordIdKey::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

/// Adds to `tx` the copy of `content` into the account `dst_key`: custom fields, tags,
/// messages, contacts, custom roles and settings, with fresh keys and every reference pointing
/// at the copies.
pub fn copy_content(tx: &mut Tx, content: &Arc<Content>, dst_key: &str) {
    let copier = Arc::new(Copier::new(content, dst_key));
    let lists: [CopiedList; 6] = [
        (
            "custom_field",
            "cp_fields",
            content.fields.is_empty(),
            Copier::fields,
        ),
        ("tag", "cp_tags", content.tags.is_empty(), Copier::tags),
        (
            "message",
            "cp_messages",
            content.messages.is_empty(),
            Copier::messages,
        ),
        (
            "contact",
            "cp_contacts",
            content.contacts.is_empty(),
            Copier::contacts,
        ),
        ("note", "cp_notes", content.notes.is_empty(), Copier::notes),
        ("role", "cp_roles", content.roles.is_empty(), Copier::roles),
    ];
    for (table, var, empty, build) in lists {
        if !empty {
            tx.push(format!("INSERT INTO {table} ${var} RETURN NONE"));
            // Built when the transaction runs: thousands of contacts are not copied once more.
            let copier = Arc::clone(&copier);
            tx.bind_built(var, move || build(&copier));
        }
    }
    // Settings, not identity: the business name and address stay the new account's own.
    if let Some(settings) = &content.settings {
        tx.bind("cp_dst", copier.dst.clone());
        tx.bind("cp_allow_requests", settings.allow_manager_requests);
        tx.bind("cp_login_notify", settings.login_notify.clone());
        tx.bind("cp_time_zone", settings.time_zone.clone());
        tx.bind("cp_language", settings.language.clone());
        tx.bind("cp_date_format", settings.date_format.clone());
        tx.bind("cp_currency", settings.currency.clone());
        tx.push(
            "UPDATE $cp_dst SET allow_manager_requests = $cp_allow_requests, login_notify = $cp_login_notify,
                time_zone = $cp_time_zone, language = $cp_language, date_format = $cp_date_format,
                currency = $cp_currency",
        );
    }
}

/// A list of records a copy inserts: its table, the variable its `INSERT` binds, whether the
/// content has none, and how the list is built.
type CopiedList = (&'static str, &'static str, bool, fn(&Copier) -> Value);

/// The records of one copy of a template's content into the account `dst`, each list built as
/// the value its `INSERT` takes.
struct Copier {
    content: Arc<Content>,
    dst_key: String,
    dst: RecordId,
    /// Each field's and tag's copy, keyed once here rather than at each of the thousands of
    /// references to it (a key is a SHA-256).
    field_copies: HashMap<RecordId, RecordId>,
    tag_copies: HashMap<RecordId, RecordId>,
}

#[derive(SurrealValue)]
struct NewField {
    id: RecordId,
    account: RecordId,
    name: String,
    kind: String,
    created_at: Datetime,
}

#[derive(SurrealValue)]
struct NewTag {
    id: RecordId,
    account: RecordId,
    name: String,
}

#[derive(SurrealValue)]
struct NewMessage {
    id: RecordId,
    account: RecordId,
    name: String,
    subject: String,
    body: String,
    fields: Vec<RecordId>,
    created_at: Datetime,
}

#[derive(SurrealValue)]
struct NewContact {
    id: RecordId,
    account: RecordId,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    tags: Vec<RecordId>,
    fields: Vec<FieldValue>,
    created_at: Datetime,
    updated_at: Datetime,
}

#[derive(SurrealValue)]
struct NewNote {
    id: RecordId,
    account: RecordId,
    contact: RecordId,
    body: String,
    author: String,
    created_at: Datetime,
}

#[derive(SurrealValue)]
struct NewRole {
    id: RecordId,
    account: RecordId,
    name: String,
    permissions: Vec<String>,
}

impl Copier {
    fn new(content: &Arc<Content>, dst_key: &str) -> Self {
        Self {
            content: Arc::clone(content),
            dst_key: dst_key.to_string(),
            dst: rid("account", dst_key),
            field_copies: content
                .fields
                .iter()
                .map(|f| (f.id.clone(), rid("custom_field", &copy_key(dst_key, &f.id))))
                .collect(),
            // Tag keys are derived from account and name (see `contacts::tag_id`), so the copy's
            // are too.
            tag_copies: content
                .tags
                .iter()
                .map(|t| (t.id.clone(), crate::contacts::service::tag_id(dst_key, &t.name)))
                .collect(),
        }
    }

    /// The copy of a custom field (a reference to one outside the content is keyed the same way).
    fn field(&self, id: &RecordId) -> RecordId {
        self.field_copies
            .get(id)
            .cloned()
            .unwrap_or_else(|| rid("custom_field", &copy_key(&self.dst_key, id)))
    }

    /// The copy of a tag; `None` for a tag not in the content.
    fn tag(&self, id: &RecordId) -> Option<RecordId> {
        self.tag_copies.get(id).cloned()
    }

    fn key(&self, table: &str, id: &RecordId) -> RecordId {
        rid(table, &copy_key(&self.dst_key, id))
    }

    fn fields(&self) -> Value {
        let fields: Vec<NewField> = self
            .content
            .fields
            .iter()
            .map(|f| NewField {
                id: self.field(&f.id),
                account: self.dst.clone(),
                name: f.name.clone(),
                kind: f.kind.clone(),
                created_at: f.created_at,
            })
            .collect();
        fields.into_value()
    }

    fn tags(&self) -> Value {
        let tags: Vec<NewTag> = self
            .content
            .tags
            .iter()
            .filter_map(|t| {
                Some(NewTag {
                    id: self.tag(&t.id)?,
                    account: self.dst.clone(),
                    name: t.name.clone(),
                })
            })
            .collect();
        tags.into_value()
    }

    fn messages(&self) -> Value {
        let messages: Vec<NewMessage> = self
            .content
            .messages
            .iter()
            .map(|m| NewMessage {
                id: self.key("message", &m.id),
                account: self.dst.clone(),
                name: m.name.clone(),
                subject: m.subject.clone(),
                body: m.body.clone(),
                fields: m.fields.iter().map(|f| self.field(f)).collect(),
                created_at: m.created_at,
            })
            .collect();
        messages.into_value()
    }

    fn contacts(&self) -> Value {
        let contacts: Vec<NewContact> = self
            .content
            .contacts
            .iter()
            .map(|c| NewContact {
                id: self.key("contact", &c.id),
                account: self.dst.clone(),
                first_name: c.first_name.clone(),
                last_name: c.last_name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                tags: c.tags.iter().filter_map(|t| self.tag(t)).collect(),
                fields: c
                    .fields
                    .iter()
                    .map(|v| FieldValue {
                        field: self.field(&v.field),
                        value: v.value.clone(),
                    })
                    .collect(),
                created_at: c.created_at,
                updated_at: c.created_at,
            })
            .collect();
        contacts.into_value()
    }

    fn notes(&self) -> Value {
        let notes: Vec<NewNote> = self
            .content
            .notes
            .iter()
            .map(|n| NewNote {
                id: self.key("note", &n.id),
                account: self.dst.clone(),
                contact: self.key("contact", &n.contact),
                body: n.body.clone(),
                author: n.author.clone(),
                created_at: n.created_at,
            })
            .collect();
        notes.into_value()
    }

    fn roles(&self) -> Value {
        let roles: Vec<NewRole> = self
            .content
            .roles
            .iter()
            .map(|r| NewRole {
                id: self.key("role", &r.id),
                account: self.dst.clone(),
                name: r.name.clone(),
                permissions: r.permissions.clone(),
            })
            .collect();
        roles.into_value()
    }
}

/// Adds to `tx` the removal of an account's business data (not its users, roles in use or grants).
pub fn clear_account_data(tx: &mut Tx, var: &str) {
    for table in ["note", "contact", "message", "custom_field", "tag"] {
        tx.push(format!("DELETE {table} WHERE account = ${var}"));
    }
    tx.push(format!(
        "DELETE role WHERE account = ${var} AND default_key = NONE"
    ));
}

/// Adds to `tx` a template with its own content account, filled from the sandbox `source_key`.
pub struct NewTemplate<'a> {
    pub template_key: &'a str,
    pub content_key: &'a str,
    pub owner_key: &'a str,
    pub source_key: &'a str,
    pub name: &'a str,
    pub description: &'a str,
}

pub fn create_from_sandbox(tx: &mut Tx, new: NewTemplate<'_>, content: &Arc<Content>) {
    tx.bind("tpl", rid("template", new.template_key));
    tx.bind("tpl_content", rid("account", new.content_key));
    tx.bind("tpl_owner", rid("account", new.owner_key));
    tx.bind("tpl_source", rid("account", new.source_key));
    tx.bind("tpl_name", new.name.to_string());
    tx.bind("tpl_description", new.description.to_string());
    tx.push("CREATE $tpl_content SET name = $tpl_name, status = 'free_trial', is_template = true");
    tx.push(
        "CREATE $tpl SET owner_account = $tpl_owner, source_account = $tpl_source, name = $tpl_name,
            description = $tpl_description, content_account = $tpl_content",
    );
    copy_content(tx, content, new.content_key);
}

/// Adds to `tx` the replacement of a template's content by its sandbox's current data.
pub fn refresh(tx: &mut Tx, template: &TemplateRef, content: &Arc<Content>) {
    tx.bind("tpl", rid("template", &template.id));
    tx.bind("tpl_content", rid("account", &template.content_account));
    clear_account_data(tx, "tpl_content");
    copy_content(tx, content, &template.content_account);
    tx.push("UPDATE $tpl SET updated_at = time::now()");
}

pub fn rename(tx: &mut Tx, template_key: &str, name: &str, description: &str) {
    tx.bind("tpl", rid("template", template_key));
    tx.bind("tpl_name", name.to_string());
    tx.bind("tpl_description", description.to_string());
    tx.push("UPDATE $tpl SET name = $tpl_name, description = $tpl_description, updated_at = time::now()");
}

/// Adds to `tx` the removal of a template and its content; accounts made from it keep theirs.
pub fn delete(tx: &mut Tx, template: &TemplateRef) {
    tx.bind("tpl", rid("template", &template.id));
    tx.bind("tpl_content", rid("account", &template.content_account));
    clear_account_data(tx, "tpl_content");
    tx.push("DELETE role WHERE account = $tpl_content");
    tx.push("DELETE $tpl_content");
    tx.push("DELETE $tpl");
}

/// A template of the agency, whatever its state, for rename/refresh/delete.
pub async fn owned(db: &Db, agency_key: &str, template_key: &str) -> Result<Option<TemplateRef>, StoreError> {
    find(
        db,
        agency_key,
        template_key,
        "owner_account = $agency AND built_in = false",
    )
    .await
}

/// A sandbox account the agency created and still holds an active grant on.
#[derive(Debug, Clone, SurrealValue)]
pub struct SandboxRow {
    pub id: String,
    pub name: String,
    pub templates: i64,
}

pub async fn sandboxes(db: &Db, agency_key: &str) -> Result<Vec<SandboxRow>, StoreError> {
    sandboxes_where(db, agency_key, None).await
}

pub async fn sandbox(db: &Db, agency_key: &str, account_key: &str) -> Result<Option<SandboxRow>, StoreError> {
    Ok(sandboxes_where(db, agency_key, Some(account_key))
        .await?
        .into_iter()
        .next())
}

async fn sandboxes_where(
    db: &Db,
    agency_key: &str,
    only: Option<&str>,
) -> Result<Vec<SandboxRow>, StoreError> {
    let res = db
        .query(format!(
            "SELECT record::id(id) AS id, name,
                (SELECT count() FROM template WHERE source_account = $parent.id GROUP ALL)[0].count ?? 0 AS templates
             FROM account
             WHERE is_sandbox = true AND created_by_account = $agency{}
               AND (SELECT VALUE id FROM grant WHERE client_account = $parent.id AND managing_account = $agency AND state = 'active') != []
             ORDER BY name",
            if only.is_some() { " AND id = $only" } else { "" }
        ))
        .bind(("agency", rid("account", agency_key)))
        .bind(("only", rid("account", only.unwrap_or_default())))
        .await
        .map_err(db_err)?;
    checked(res)?.take(0).map_err(db_err)
}

/// Writes the built-in templates that are not in the database yet (first start, or a new one
/// shipped with an upgrade). Keys are fixed, so two servers starting at once make one copy.
pub async fn install_built_ins(db: &Db) -> Result<(), StoreError> {
    use crate::templates::built_in::{placeholders, BUILT_IN};
    let res = db
        .query("SELECT VALUE record::id(id) FROM template WHERE built_in = true")
        .await
        .map_err(db_err)?;
    let installed: Vec<String> = checked(res)?.take(0).map_err(db_err)?;
    for t in BUILT_IN.iter().filter(|t| !installed.iter().any(|k| k == t.key)) {
        let account_key = format!("builtin_{}", t.key);
        let mut tx = Tx::new();
        tx.bind("bi_account", rid("account", &account_key));
        tx.bind("bi_template", rid("template", t.key));
        tx.bind("bi_name", t.name.to_string());
        tx.bind("bi_description", t.description.to_string());
        tx.push("CREATE $bi_account SET name = $bi_name, status = 'free_trial', is_template = true");
        tx.push(
            "CREATE $bi_template SET name = $bi_name, description = $bi_description, built_in = true,
                content_account = $bi_account",
        );
        let field_id = |name: &str| rid("custom_field", &format!("{}_{}", t.key, slug(name)));
        for (i, (name, kind)) in t.fields.iter().enumerate() {
            tx.push(format!(
                "CREATE $bi_f{i} SET account = $bi_account, name = $bi_f{i}_name, kind = $bi_f{i}_kind"
            ));
            tx.bind(&format!("bi_f{i}"), field_id(name));
            tx.bind(&format!("bi_f{i}_name"), name.to_string());
            tx.bind(&format!("bi_f{i}_kind"), kind.to_string());
        }
        for (i, name) in t.tags.iter().enumerate() {
            tx.push(format!(
                "CREATE $bi_t{i} SET account = $bi_account, name = $bi_t{i}_name"
            ));
            tx.bind(
                &format!("bi_t{i}"),
                crate::contacts::service::tag_id(&account_key, name),
            );
            tx.bind(&format!("bi_t{i}_name"), name.to_string());
        }
        for (i, (name, subject, body)) in t.messages.iter().enumerate() {
            let used: Vec<RecordId> = placeholders(&format!("{subject}\n{body}"))
                .iter()
                .filter(|n| t.fields.iter().any(|(f, _)| f == n))
                .map(|n| field_id(n))
                .collect();
            tx.push(format!(
                "CREATE message SET account = $bi_account, name = $bi_m{i}_name, subject = $bi_m{i}_subject,
                    body = $bi_m{i}_body, fields = $bi_m{i}_fields"
            ));
            tx.bind(&format!("bi_m{i}_name"), name.to_string());
            tx.bind(&format!("bi_m{i}_subject"), subject.to_string());
            tx.bind(&format!("bi_m{i}_body"), body.to_string());
            tx.bind(&format!("bi_m{i}_fields"), used);
        }
        for (i, c) in t.contacts.iter().enumerate() {
            tx.push(format!(
                "CREATE contact SET account = $bi_account, first_name = $bi_c{i}_first, last_name = $bi_c{i}_last,
                    email = $bi_c{i}_email, tags = $bi_c{i}_tags, fields = $bi_c{i}_fields"
            ));
            tx.bind(&format!("bi_c{i}_first"), c.first_name.to_string());
            tx.bind(&format!("bi_c{i}_last"), c.last_name.to_string());
            tx.bind(&format!("bi_c{i}_email"), c.email.to_string());
            tx.bind(
                &format!("bi_c{i}_tags"),
                c.tags
                    .iter()
                    .map(|n| crate::contacts::service::tag_id(&account_key, n))
                    .collect::<Vec<_>>(),
            );
            tx.bind(
                &format!("bi_c{i}_fields"),
                c.fields
                    .iter()
                    .map(|(f, v)| crate::contacts::service::FieldValue {
                        field: field_id(f),
                        value: v.to_string(),
                    })
                    .collect::<Vec<_>>(),
            );
        }
        match tx.commit(db).await {
            Ok(_) => tracing::info!(template = t.name, "installed built-in template"),
            // Another server installed it at the same moment (the record exists, or the two
            // transactions conflicted): fine if it is there now.
            Err(e) => {
                let res = db
                    .query("SELECT VALUE record::id(id) FROM $t")
                    .bind(("t", rid("template", t.key)))
                    .await
                    .map_err(db_err)?;
                let there: Vec<String> = checked(res)?.take(0).map_err(db_err)?;
                if there.is_empty() {
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_key_depends_on_the_new_account_and_the_original_only() {
        let original = rid("contact", "abc");
        assert_eq!(copy_key("acc1", &original), copy_key("acc1", &original));
        assert_ne!(copy_key("acc1", &original), copy_key("acc2", &original));
        assert_ne!(
            copy_key("acc1", &original),
            copy_key("acc1", &rid("contact", "abd"))
        );
        assert_eq!(copy_key("acc1", &original).len(), 20);
    }
}
