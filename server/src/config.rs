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
    #[arg(long, env = "STEWARD_DATABASE_URL", default_value = "surrealkv://data/steward.db")]
    pub database_url: String,

    /// SMTP server for outgoing email, e.g. smtp://127.0.0.1:2525. Without it, emails stay in the outbox.
    #[arg(long, env = "STEWARD_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of outgoing email.
    #[arg(long, env = "STEWARD_MAIL_FROM", default_value = "Steward <steward@localhost>")]
    pub mail_from: String,

    /// Log filter, e.g. info or steward=debug,info.
    #[arg(long, env = "STEWARD_LOG", default_value = "info")]
    pub log: String,

    /// Development mode: shows the Mailbox page with every email in the outbox.
    #[arg(long, env = "STEWARD_DEV", default_value_t = false)]
    pub dev: bool,

    /// Folder with the built browser files (pkg/) and public assets.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "site")]
    pub site_root: String,

    /// Log in and sign up attempts allowed in a burst from one address (then one every 2 s).
    #[arg(long, env = "STEWARD_LOGIN_BURST", default_value_t = 20)]
    pub login_burst: u32,
}

impl Config {
    /// Checks what clap can't; the message names the setting and says why.
    pub fn validate(&self) -> Result<(), String> {
        let db = &self.database_url;
        if !(db.starts_with("surrealkv://") || db.starts_with("mem://") || db.starts_with("ws://") || db.starts_with("wss://")) {
            return Err(format!(
                "STEWARD_DATABASE_URL {db:?} is not supported: use surrealkv://<dir>, mem:// or ws://host:port"
            ));
        }
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!("STEWARD_BASE_URL {url:?} must start with http:// or https://"));
            }
        }
        if let Some(url) = &self.smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(format!("STEWARD_SMTP_URL {url:?} must start with smtp:// or smtps://"));
            }
        }
        if self.login_burst == 0 {
            return Err("STEWARD_LOGIN_BURST must be at least 1".into());
        }
        Ok(())
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_string()
    }
}
