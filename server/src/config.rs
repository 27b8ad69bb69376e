//! Every setting, from the command line or the environment (`steward --help` lists them).
use std::net::SocketAddr;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(name = "steward", version, about = "Steward: delegated account management")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "STEWARD_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Public base URL, used for links in emails. Defaults to http://<addr>.
    #[arg(long, env = "STEWARD_BASE_URL")]
    pub base_url: Option<String>,

    /// Database: surrealkv://<dir> (embedded, on disk), mem:// (in memory), ws://host:port (server).
    #[arg(
        long,
        env = "STEWARD_DATABASE_URL",
        default_value = "surrealkv://data/steward.db"
    )]
    pub database_url: String,

    /// SurrealDB namespace to keep Steward's data in.
    #[arg(long, env = "STEWARD_DATABASE_NS", default_value = "steward")]
    pub database_ns: String,

    /// SurrealDB database (in the namespace) to keep Steward's data in.
    #[arg(long, env = "STEWARD_DATABASE_DB", default_value = "steward")]
    pub database_db: String,

    /// User to sign in to a SurrealDB server as (ws:// or wss://).
    #[arg(long, env = "STEWARD_DATABASE_USER")]
    pub database_user: Option<String>,

    /// Password of that user. Prefer STEWARD_DATABASE_PASS_FILE, which keeps it out of the
    /// environment and the process list.
    #[arg(long, env = "STEWARD_DATABASE_PASS", hide_env_values = true)]
    pub database_pass: Option<String>,

    /// File holding that user's password (its first line).
    #[arg(long, env = "STEWARD_DATABASE_PASS_FILE")]
    pub database_pass_file: Option<String>,

    /// Where that user is defined on the server: root, namespace or database.
    #[arg(long, env = "STEWARD_DATABASE_AUTH", default_value = "root")]
    pub database_auth: String,

    /// SMTP server for outgoing email, e.g. smtp://127.0.0.1:2525. Without it, emails stay in the outbox.
    #[arg(long, env = "STEWARD_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of outgoing email.
    #[arg(
        long,
        env = "STEWARD_MAIL_FROM",
        default_value = "Steward <steward@localhost>"
    )]
    pub mail_from: String,

    /// Serve GET /metrics (Prometheus text format). Let only your monitoring reach it.
    #[arg(long, env = "STEWARD_METRICS", default_value_t = false)]
    pub metrics: bool,

    /// Log filter, e.g. info or steward=debug,info.
    #[arg(long, env = "STEWARD_LOG", default_value = "info")]
    pub log: String,

    /// Development mode: shows the Mailbox page with every email in the outbox.
    #[arg(long, env = "STEWARD_DEV", default_value_t = false)]
    pub dev: bool,

    /// Folder with the built browser files (pkg/) and public assets.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "site")]
    pub site_root: String,

    /// How long an invitation link works, in seconds (7 days by default).
    #[arg(long, env = "STEWARD_INVITATION_TTL", default_value_t = 7 * 24 * 3600)]
    pub invitation_ttl: i64,

    /// Let webhook endpoints be on loopback or private addresses, and plain http (tests and
    /// development machines only: it lets accounts make the server call its own network).
    #[arg(long, env = "STEWARD_WEBHOOKS_ALLOW_PRIVATE", default_value_t = false)]
    pub webhooks_allow_private: bool,

    /// How long a new account's free trial lasts, in seconds (14 days by default).
    #[arg(long, env = "STEWARD_TRIAL_SECS", default_value_t = 14 * 24 * 3600)]
    pub trial_secs: i64,

    /// File holding the server secret that invitation links are derived from; created when
    /// missing. Defaults to secret.key beside a surrealkv database, data/secret.key with a
    /// SurrealDB server, and a fresh secret per start with mem://.
    #[arg(long, env = "STEWARD_SECRET_FILE")]
    pub secret_file: Option<String>,

    /// Log in and sign up attempts allowed in a burst from one address (then one every 2 s).
    #[arg(long, env = "STEWARD_LOGIN_BURST", default_value_t = 20)]
    pub login_burst: u32,

    /// API calls allowed in a burst with one API key (or, without one, from one address), then
    /// `STEWARD_API_PER_SECOND` a second; past it: 429 with Retry-After.
    #[arg(long, env = "STEWARD_API_BURST", default_value_t = 100)]
    pub api_burst: u32,

    /// API calls a second with one key, once its burst is spent.
    #[arg(long, env = "STEWARD_API_PER_SECOND", default_value_t = 10)]
    pub api_per_second: u64,

    /// The embedded database's write buffer (memtable), in MiB: data past it is flushed to disk.
    #[arg(long, env = "STEWARD_ENGINE_MEMTABLE_MB", default_value_t = 64)]
    pub engine_memtable_mb: u64,

    /// The embedded database's cache of blocks read from disk, in MiB.
    #[arg(long, env = "STEWARD_ENGINE_CACHE_MB", default_value_t = 64)]
    pub engine_cache_mb: u64,

    /// Invitations, access requests and resends one account may send in a clock hour.
    #[arg(long, env = "STEWARD_INVITATIONS_PER_HOUR", default_value_t = 100)]
    pub invitations_per_hour: i64,

    /// Addresses of the reverse proxies in front of Steward, comma-separated. Only a request
    /// from one of them has its client address taken from X-Forwarded-For (for the log-in
    /// limiter); without it every client behind a proxy shares the proxy's address.
    #[arg(long, env = "STEWARD_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// A task to run instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// The audit log.
    Audit {
        #[command(subcommand)]
        task: AuditTask,
    },
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum AuditTask {
    /// Checks every account's hash chain and names the first broken entry of each; exits with 1
    /// when one is broken. With surrealkv:// stop the server first (one process per folder).
    Verify,
}

impl Config {
    /// Where the data lives and as whom Steward signs in; reads the password file.
    pub fn database(&self) -> Result<app::core::db::Connection, String> {
        let pass = match (&self.database_pass, &self.database_pass_file) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(file)) => Some(
                std::fs::read_to_string(file)
                    .map_err(|e| format!("STEWARD_DATABASE_PASS_FILE {file:?}: {e}"))?
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            ),
            (None, None) => None,
        };
        Ok(app::core::db::Connection {
            url: self.database_url.clone(),
            namespace: self.database_ns.clone(),
            database: self.database_db.clone(),
            credentials: match (&self.database_user, pass) {
                (Some(user), Some(pass)) => Some(app::core::db::Credentials {
                    user: user.clone(),
                    pass,
                    level: app::core::db::AuthLevel::parse(&self.database_auth).unwrap_or_default(),
                }),
                _ => None,
            },
        })
    }

    /// Checks what clap can't; the message names the setting and says why.
    pub fn validate(&self) -> Result<(), String> {
        let db = &self.database_url;
        if !(db.starts_with("surrealkv://")
            || db.starts_with("mem://")
            || db.starts_with("ws://")
            || db.starts_with("wss://"))
        {
            return Err(format!(
                "STEWARD_DATABASE_URL {db:?} is not supported: use surrealkv://<dir>, mem:// or ws://host:port"
            ));
        }
        let remote = db.starts_with("ws://") || db.starts_with("wss://");
        if self.database_user.is_some() && !remote {
            return Err(
                "STEWARD_DATABASE_USER is for a SurrealDB server (ws:// or wss://): an embedded database has no users"
                    .into(),
            );
        }
        if self.database_pass.is_some() && self.database_pass_file.is_some() {
            return Err("Set STEWARD_DATABASE_PASS or STEWARD_DATABASE_PASS_FILE, not both".into());
        }
        if self.database_user.is_some() != (self.database_pass.is_some() || self.database_pass_file.is_some())
        {
            return Err(
                "STEWARD_DATABASE_USER and a password (STEWARD_DATABASE_PASS or STEWARD_DATABASE_PASS_FILE) go together"
                    .into(),
            );
        }
        if app::core::db::AuthLevel::parse(&self.database_auth).is_none() {
            return Err(format!(
                "STEWARD_DATABASE_AUTH {:?} must be root, namespace or database",
                self.database_auth
            ));
        }
        for (name, value) in [
            ("STEWARD_DATABASE_NS", &self.database_ns),
            ("STEWARD_DATABASE_DB", &self.database_db),
        ] {
            if value.is_empty()
                || !value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!("{name} {value:?}: use letters, digits, _ and -"));
            }
        }
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!(
                    "STEWARD_BASE_URL {url:?} must start with http:// or https://"
                ));
            }
        }
        if let Some(url) = &self.smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(format!(
                    "STEWARD_SMTP_URL {url:?} must start with smtp:// or smtps://"
                ));
            }
        }
        if self.invitation_ttl < 1 {
            return Err("STEWARD_INVITATION_TTL must be at least 1 second".into());
        }
        if !(1..=65_536).contains(&self.engine_memtable_mb) {
            return Err("STEWARD_ENGINE_MEMTABLE_MB must be between 1 and 65536".into());
        }
        if !(1..=1_048_576).contains(&self.engine_cache_mb) {
            return Err("STEWARD_ENGINE_CACHE_MB must be between 1 and 1048576".into());
        }
        if self.invitations_per_hour < 1 {
            return Err("STEWARD_INVITATIONS_PER_HOUR must be at least 1".into());
        }
        if self.login_burst == 0 {
            return Err("STEWARD_LOGIN_BURST must be at least 1".into());
        }
        if self.api_burst == 0 || self.api_per_second == 0 {
            return Err("STEWARD_API_BURST and STEWARD_API_PER_SECOND must be at least 1".into());
        }
        // The Mailbox shows emails with live links: development mode is for one's own machine.
        if self.dev && !self.addr.ip().is_loopback() {
            return Err(format!(
                "STEWARD_DEV is for development on this machine: it needs a loopback STEWARD_ADDR \
                 (127.0.0.1 or ::1), not {}",
                self.addr
            ));
        }
        if self.dev && self.smtp_url.is_some() {
            return Err(
                "STEWARD_DEV keeps emails in the outbox for the Mailbox page: unset STEWARD_SMTP_URL, \
                 or STEWARD_DEV to send them"
                    .into(),
            );
        }
        Ok(())
    }

    /// Where the server secret lives; `None` for a fresh secret each start.
    pub fn secret_path(&self) -> Option<std::path::PathBuf> {
        if let Some(file) = &self.secret_file {
            return Some(file.into());
        }
        if let Some(dir) = self.database_url.strip_prefix("surrealkv://") {
            let parent = std::path::Path::new(dir)
                .parent()
                .unwrap_or(std::path::Path::new("."));
            return Some(parent.join("secret.key"));
        }
        if self.database_url.starts_with("mem://") {
            return None;
        }
        Some("data/secret.key".into())
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        let mut all = vec!["steward"];
        all.extend_from_slice(args);
        Config::parse_from(all)
    }

    #[test]
    fn defaults_are_an_embedded_database_on_localhost() {
        let c = parse(&[]);
        assert!(c.validate().is_ok());
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.base_url(), "http://127.0.0.1:3000");
    }

    #[test]
    fn a_bad_setting_is_named_with_the_reason() {
        let e = parse(&["--database-url", "postgres://x"])
            .validate()
            .expect_err("bad db");
        assert!(
            e.starts_with("STEWARD_DATABASE_URL") && e.contains("surrealkv://"),
            "{e}"
        );
        let e = parse(&["--smtp-url", "mail.example.com"])
            .validate()
            .expect_err("bad smtp");
        assert!(e.starts_with("STEWARD_SMTP_URL"), "{e}");
        let e = parse(&["--base-url", "example.com"])
            .validate()
            .expect_err("bad base");
        assert!(e.starts_with("STEWARD_BASE_URL"), "{e}");
        assert!(Config::try_parse_from(["steward", "--addr", "nowhere"]).is_err());
    }

    #[test]
    fn development_mode_stays_on_this_machine_and_sends_no_email() {
        assert!(parse(&["--dev"]).validate().is_ok());
        assert!(parse(&["--dev", "--addr", "[::1]:3000"]).validate().is_ok());
        let e = parse(&["--dev", "--addr", "0.0.0.0:3000"])
            .validate()
            .expect_err("public dev");
        assert!(e.starts_with("STEWARD_DEV") && e.contains("0.0.0.0:3000"), "{e}");
        let e = parse(&["--dev", "--smtp-url", "smtp://127.0.0.1:2525"])
            .validate()
            .expect_err("dev with smtp");
        assert!(
            e.starts_with("STEWARD_DEV") && e.contains("STEWARD_SMTP_URL"),
            "{e}"
        );
        assert!(parse(&["--addr", "0.0.0.0:3000"]).validate().is_ok());
    }

    #[test]
    fn the_engine_memory_caps_default_small_and_refuse_nonsense() {
        let c = parse(&[]);
        assert_eq!((c.engine_memtable_mb, c.engine_cache_mb), (64, 64));
        let e = parse(&["--engine-memtable-mb", "0"])
            .validate()
            .expect_err("zero");
        assert!(e.starts_with("STEWARD_ENGINE_MEMTABLE_MB"), "{e}");
        let e = parse(&["--engine-cache-mb", "0"]).validate().expect_err("zero");
        assert!(e.starts_with("STEWARD_ENGINE_CACHE_MB"), "{e}");
        assert!(parse(&["--engine-memtable-mb", "64", "--engine-cache-mb", "256"])
            .validate()
            .is_ok());
    }

    #[test]
    fn the_base_url_loses_its_trailing_slash() {
        assert_eq!(
            parse(&["--base-url", "https://steward.example.com/"]).base_url(),
            "https://steward.example.com"
        );
    }
}
