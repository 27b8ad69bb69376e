//! SurrealDB: the connection, the schema migrations and the helpers every query uses.
use surrealdb::engine::any::Any;
use surrealdb::types::{RecordId, RecordIdKey};
use surrealdb::{IndexedResults, Surreal};

pub use super::tx::{AuditEntry, Event, Mail, Tx};

pub type Db = Surreal<Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A UNIQUE index refused the write; the string names the index.
    #[error("unique index {0} refused the write")]
    Duplicate(String),
    /// Two transactions touched the same keys; trying again may succeed.
    #[error("write conflict: {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Db(#[from] surrealdb::Error),
    /// A stored value the code does not know (e.g. a state no version of Steward wrote).
    #[error("unreadable {0}")]
    Unreadable(String),
}

/// Numbered schema files, applied in order at start-up and recorded in `migration`.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("migrations/0001_init.surql")),
    (
        2,
        "grant_links",
        include_str!("migrations/0002_grant_links.surql"),
    ),
    (
        3,
        "managed_accounts",
        include_str!("migrations/0003_managed_accounts.surql"),
    ),
    (
        4,
        "login_summaries",
        include_str!("migrations/0004_login_summaries.surql"),
    ),
    (5, "templates", include_str!("migrations/0005_templates.surql")),
    (
        6,
        "session_cache",
        include_str!("migrations/0006_session_cache.surql"),
    ),
    (
        7,
        "managed_list",
        include_str!("migrations/0007_managed_list.surql"),
    ),
    (8, "users_list", include_str!("migrations/0008_users_list.surql")),
    (
        9,
        "manager_home_role",
        include_str!("migrations/0009_manager_home_role.surql"),
    ),
    (
        10,
        "team_version",
        include_str!("migrations/0010_team_version.surql"),
    ),
    (
        11,
        "list_search",
        include_str!("migrations/0011_list_search.surql"),
    ),
    (
        12,
        "managed_count",
        include_str!("migrations/0012_managed_count.surql"),
    ),
    (
        13,
        "managed_count_parts",
        include_str!("migrations/0013_managed_count_parts.surql"),
    ),
    (
        14,
        "audit_chain",
        include_str!("migrations/0014_audit_chain.surql"),
    ),
    (
        15,
        "managers_manage_users",
        include_str!("migrations/0015_managers_manage_users.surql"),
    ),
    (
        16,
        "audit_links",
        include_str!("migrations/0016_audit_links.surql"),
    ),
    (
        17,
        "password_links",
        include_str!("migrations/0017_password_links.surql"),
    ),
    (18, "send_quota", include_str!("migrations/0018_send_quota.surql")),
    (
        19,
        "client_password_links",
        include_str!("migrations/0019_client_password_links.surql"),
    ),
    (
        20,
        "outbox_by_recipient",
        include_str!("migrations/0020_outbox_by_recipient.surql"),
    ),
    (21, "two_factor", include_str!("migrations/0021_two_factor.surql")),
    (
        22,
        "names_once_granted",
        include_str!("migrations/0022_names_once_granted.surql"),
    ),
    (
        23,
        "requests_to_anyone",
        include_str!("migrations/0023_requests_to_anyone.surql"),
    ),
    (
        24,
        "sign_up_links",
        include_str!("migrations/0024_sign_up_links.surql"),
    ),
    (
        25,
        "login_failures",
        include_str!("migrations/0025_login_failures.surql"),
    ),
    (
        26,
        "invitations_for_email",
        include_str!("migrations/0026_invitations_for_email.surql"),
    ),
    (27, "job_leases", include_str!("migrations/0027_job_leases.surql")),
    (28, "billing", include_str!("migrations/0028_billing.surql")),
    (
        29,
        "users_paging",
        include_str!("migrations/0029_users_paging.surql"),
    ),
    (
        30,
        "managers_paging",
        include_str!("migrations/0030_managers_paging.surql"),
    ),
    (
        31,
        "account_dates",
        include_str!("migrations/0031_account_dates.surql"),
    ),
    (
        32,
        "billing_currency",
        include_str!("migrations/0032_billing_currency.surql"),
    ),
    (33, "list_keys", include_str!("migrations/0033_list_keys.surql")),
    (34, "api_keys", include_str!("migrations/0034_api_keys.surql")),
    (35, "webhooks", include_str!("migrations/0035_webhooks.surql")),
    (
        36,
        "webhook_endpoint_limits",
        include_str!("migrations/0036_webhook_endpoint_limits.surql"),
    ),
];

/// Caps the embedded engine's memory (`surrealkv://`): its write buffer (memtable) and its
/// cache of read blocks, in MiB. SurrealDB sizes both from the machine's RAM otherwise (a
/// 1 GiB memtable and an 11 GiB cache on 24 GiB) and gives its SDK no setting for them; our
/// patched surrealkv takes the caps (patches/surrealkv-0.21.4-memory-limits.patch). Call it
/// before the first `connect`; only the first call counts.
pub fn limit_engine_memory(memtable_mib: u64, cache_mib: u64) -> bool {
    const MIB: u64 = 1024 * 1024;
    surrealkv::set_memory_limits((memtable_mib * MIB) as usize, cache_mib * MIB)
}

/// Who Steward signs in as on a SurrealDB server, and at which level the user is defined.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: String,
    pub pass: String,
    pub level: AuthLevel,
}

/// Where a SurrealDB user is defined (`DEFINE USER ... ON ROOT | NAMESPACE | DATABASE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthLevel {
    #[default]
    Root,
    Namespace,
    Database,
}

impl AuthLevel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "root" => Some(Self::Root),
            "namespace" => Some(Self::Namespace),
            "database" => Some(Self::Database),
            _ => None,
        }
    }
}

/// Where Steward's data lives: the engine's URL, the namespace and database in it, and, for a
/// SurrealDB server, the credentials to sign in with.
#[derive(Debug, Clone)]
pub struct Connection {
    pub url: String,
    pub namespace: String,
    pub database: String,
    pub credentials: Option<Credentials>,
}

impl Connection {
    /// `url` with Steward's namespace and database, and no credentials (an embedded engine, or a
    /// server started without authentication).
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_string(),
            namespace: "steward".into(),
            database: "steward".into(),
            credentials: None,
        }
    }
}

/// Connects to `url` and brings the schema up to date (see `crate::connect`, which also installs
/// the built-in templates).
pub async fn connect(url: &str) -> Result<Db, StoreError> {
    connect_to(&Connection::new(url)).await
}

/// Connects, signs in when credentials are given, and brings the schema up to date. Over
/// `ws://` the SDK reconnects by itself when the server restarts, and signs in again.
pub async fn connect_to(to: &Connection) -> Result<Db, StoreError> {
    use surrealdb::opt::auth::{Database, Namespace, Root};
    let db = surrealdb::engine::any::connect(to.url.as_str()).await?;
    if let Some(c) = &to.credentials {
        let (username, password) = (c.user.clone(), c.pass.clone());
        match c.level {
            AuthLevel::Root => db.signin(Root { username, password }).await.map(drop),
            AuthLevel::Namespace => db
                .signin(Namespace {
                    namespace: to.namespace.clone(),
                    username,
                    password,
                })
                .await
                .map(drop),
            AuthLevel::Database => db
                .signin(Database {
                    namespace: to.namespace.clone(),
                    database: to.database.clone(),
                    username,
                    password,
                })
                .await
                .map(drop),
        }?;
    }
    // Servers starting at once on a new database each define it on `USE`: all but one meet a
    // write conflict, and find it defined when they try again.
    let mut attempt = 0;
    loop {
        match db
            .use_ns(to.namespace.as_str())
            .use_db(to.database.as_str())
            .await
            .map_err(db_err)
        {
            Err(StoreError::Conflict(e)) if attempt < 5 => {
                attempt += 1;
                tracing::info!(error = %e, "choosing the database met another server; trying again");
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            done => break done.map(drop)?,
        }
    }
    migrate(&db).await?;
    Ok(db)
}

/// How many schema migrations this version of Steward knows.
pub fn migration_count() -> usize {
    MIGRATIONS.len()
}

async fn migrate(db: &Db) -> Result<(), StoreError> {
    migrate_up_to(db, i64::MAX).await
}

/// Applies the migrations up to `last` only: how tests build a database as an older Steward
/// left it, to check what a newer migration does to its data.
#[doc(hidden)]
pub async fn migrate_up_to(db: &Db, last: i64) -> Result<(), StoreError> {
    // Another server defining the same table at the same moment is a write conflict: try again.
    let mut attempt = 0;
    loop {
        let res = db
            .query(
                "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
                 DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
                 DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
                 DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime DEFAULT time::now();
                 DEFINE INDEX IF NOT EXISTS migration_version ON migration FIELDS version UNIQUE;",
            )
            .await
            .map_err(StoreError::from)
            .and_then(checked);
        match res {
            Ok(_) => break,
            Err(e) if attempt >= 5 => return Err(e),
            Err(e) => {
                attempt += 1;
                tracing::warn!(error = %e, "preparing migrations failed; trying again");
                tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await;
            }
        }
    }
    let mut applied = applied_migrations(db).await?;
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(version) || *version > last {
            continue;
        }
        // Several servers may start at once on a new database: each migration is one
        // transaction that also records its version (a unique index), so one of them applies
        // it and the others fail, see it applied, and go on.
        let mut attempt = 0;
        loop {
            tracing::info!(version, name, "applying migration");
            let res = db
                .query(format!(
                    "BEGIN TRANSACTION; {sql}; CREATE migration SET version = $version, name = $name; COMMIT TRANSACTION;"
                ))
                .bind(("version", *version))
                .bind(("name", name.to_string()))
                .await
                .map_err(StoreError::from)
                .and_then(checked);
            let Err(e) = res else { break };
            applied = applied_migrations(db).await?;
            if applied.contains(version) {
                tracing::info!(version, name, "migration applied by another server meanwhile");
                break;
            }
            attempt += 1;
            if attempt >= 5 {
                return Err(e);
            }
            tracing::warn!(version, name, error = %e, "migration failed; trying again");
            tokio::time::sleep(std::time::Duration::from_millis(200 * attempt)).await;
        }
    }
    Ok(())
}

async fn applied_migrations(db: &Db) -> Result<Vec<i64>, StoreError> {
    let mut res = db.query("SELECT VALUE version FROM migration").await?.check()?;
    Ok(res.take(0)?)
}

/// Returns the results, or the error that made a statement (and so its transaction) fail.
///
/// SurrealDB answers `Ok` even when a statement failed; the first error is often only "not
/// executed due to a failed transaction", so the one that caused it is looked for.
pub fn checked(mut res: IndexedResults) -> Result<IndexedResults, StoreError> {
    let errors = res.take_errors();
    if errors.is_empty() {
        return Ok(res);
    }
    let mut errors: Vec<(usize, surrealdb::Error)> = errors.into_iter().collect();
    errors.sort_by_key(|(i, _)| *i);
    let cause = errors
        .iter()
        .position(|(_, e)| !e.to_string().contains("failed transaction"))
        .unwrap_or(0);
    let (_, err) = errors.swap_remove(cause);
    Err(classify(err))
}

fn classify(err: surrealdb::Error) -> StoreError {
    let text = err.to_string();
    if let Some(rest) = text.split("Database index `").nth(1) {
        if text.contains("already contains") {
            let index = rest.split('`').next().unwrap_or_default().to_string();
            return StoreError::Duplicate(index);
        }
    }
    if text.contains("conflict") || text.contains("retried") {
        return StoreError::Conflict(text);
    }
    StoreError::Db(err)
}

/// Turns any SDK error into a store error, recognising unique-index refusals.
pub fn db_err(err: surrealdb::Error) -> StoreError {
    classify(err)
}

pub fn rid(table: &str, key: &str) -> RecordId {
    RecordId::new(table, key)
}

/// The key of a record id, as Steward generates them (strings). In SurrealDB 3.3 a select through
/// an index with `record::id(..)` in its projection took 312 µs for one row, 91 µs without
/// (read by record id the difference is about 20 µs): hot queries read ids raw and convert here.
pub fn key(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(key) => key.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// Record keys are generated by Steward so that the wire can carry them as plain strings.
pub fn new_key() -> String {
    use rand::Rng;
    let bytes: [u8; 10] = rand::thread_rng().gen();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in migrations/ is applied, in the order of its number (a file left out of
    /// the list would never run: this happened once).
    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("the migrations folder")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".surql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|(v, name, _)| format!("{v:04}_{name}.surql"))
            .collect();
        assert_eq!(listed, files);
    }

    #[test]
    fn a_record_key_reads_as_the_string_it_was_made_from() {
        assert_eq!(key(&rid("user", "u1")), "u1");
    }

    /// The caps reach the engine's options, whatever SurrealDB asks for (the unit tests use
    /// `mem://` only, so the cap set here changes nothing else).
    #[test]
    fn the_engine_takes_the_memory_caps() {
        const MIB: usize = 1024 * 1024;
        limit_engine_memory(16, 32);
        let options = surrealkv::Options::new().with_max_memtable_size(1024 * MIB);
        assert_eq!(options.max_memtable_size, 16 * MIB);
        let options = surrealkv::Options::new().with_max_memtable_size(4 * MIB);
        assert_eq!(options.max_memtable_size, 4 * MIB, "a smaller size stays");
        assert!(!limit_engine_memory(1, 1), "only the first call counts");
    }
}
