//! What every adapter (server functions, REST handlers, background jobs) works with: the store,
//! the analyser, the settings and the in-memory limits.

use crate::analyzer::Analyzer;
use crate::rate_limit::FailureLimiter;
use crate::store::Store;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (set when the site is served over HTTPS).
    pub secure_cookies: bool,
    /// A session ends at the latest this long after login...
    pub session_ttl: Duration,
    /// ...and sooner when it has not been used for this long.
    pub session_idle: Duration,
    /// Reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored, so
    /// a client cannot dodge the rate limits by inventing addresses.
    pub trusted_proxies: Vec<IpAddr>,
    /// Public submissions (survey answers) per client address per window.
    pub submit_limit: u32,
    /// API requests per token per window.
    pub api_limit: u32,
    /// Ideas, votes and comments per account, and per client address, per window.
    pub contribute_limit: u32,
    pub rate_window: Duration,
    /// The site's address as customers reach it (e.g. `https://feedback.example.nl`), for the
    /// links the link builder makes; by default the address of the request.
    pub public_url: Option<String>,
    /// An SMTP server is configured: the outbox is delivered (else mails wait in it).
    pub mail_enabled: bool,
    /// Personal data older than this many months is anonymised by a daily job; `None` keeps it.
    pub retention_months: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 3600),
            session_idle: Duration::from_secs(2 * 3600),
            trusted_proxies: Vec::new(),
            // A shop tablet or an office behind one address sends many honest answers.
            submit_limit: 120,
            api_limit: 600,
            contribute_limit: 60,
            rate_window: Duration::from_secs(60),
            public_url: None,
            mail_enabled: false,
            retention_months: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub analyzer: Arc<dyn Analyzer>,
    pub settings: Arc<Settings>,
    /// Failed logins, per account and client (see [`crate::login_throttle`]).
    pub login_throttle: Arc<crate::login_throttle::LoginThrottle>,
    /// Public submissions per client address.
    pub submit_limiter: Arc<FailureLimiter>,
    /// API requests per token.
    pub api_limiter: Arc<FailureLimiter>,
    /// Ideas, votes and comments per account and per client address.
    pub contribute_limiter: Arc<FailureLimiter>,
    /// Wakes the background retagger (after the taxonomy changed).
    pub retag: Arc<tokio::sync::Notify>,
    /// Wakes the mail worker (after a mail was written to the outbox).
    pub outbox: Arc<tokio::sync::Notify>,
    /// Key of the customer hash (see [`customer_hash`]); per installation, kept in the database.
    pub customer_key: Arc<String>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, analyzer: Arc<dyn Analyzer>, settings: Settings) -> Self {
        let submit_limiter = FailureLimiter::new(settings.submit_limit, settings.rate_window);
        let api_limiter = FailureLimiter::new(settings.api_limit, settings.rate_window);
        let contribute_limiter =
            FailureLimiter::new(settings.contribute_limit, settings.rate_window);
        AppState {
            store,
            analyzer,
            settings: Arc::new(settings),
            login_throttle: Arc::default(),
            submit_limiter: Arc::new(submit_limiter),
            api_limiter: Arc::new(api_limiter),
            contribute_limiter: Arc::new(contribute_limiter),
            retag: Arc::new(tokio::sync::Notify::new()),
            outbox: Arc::new(tokio::sync::Notify::new()),
            customer_key: Arc::new(String::new()),
        }
    }
}

pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
