//! The Klantstem server: storage backends, text analysis, HTTP, and the CLI's building blocks.

// Leptos view types of the larger pages nest deeper than the default limit of 128.
#![recursion_limit = "256"]

pub mod analysis;
pub mod backup;

pub mod demo;
pub mod demo_ideas;
pub mod demo_loop;

pub mod retag;
pub mod webhook;

pub mod http;
pub mod mail;

use app::backend::{hash_password, AppState, NewUser, Settings, StoreError, PASSWORD_MIN_CHARS};
use app::model::Role;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;

/// Opens the database (running migrations) and builds the state every request shares.
pub async fn open_state(database_url: &str, settings: Settings) -> Result<AppState, StoreError> {
    let store = klantstem_store::connect(database_url).await?;
    state_for(store, settings).await
}

/// The state for an open store, with the stored taxonomy in force (the default one is stored in
/// a new database).
pub async fn state_for(
    store: Arc<dyn app::backend::Store>,
    settings: Settings,
) -> Result<AppState, StoreError> {
    let default = analysis::themes::default_taxonomy();
    let mut state = AppState::new(
        store,
        Arc::new(analysis::LiveAnalyzer::new(0, &default)),
        settings,
    );
    let (version, taxonomy) = retag::load_taxonomy(&state).await?;
    state.analyzer = Arc::new(analysis::LiveAnalyzer::new(version, &taxonomy));
    let key = state
        .store
        .instance_secret("customer_hash_key", &app::backend::random_token())
        .await?;
    state.customer_key = Arc::new(key);
    Ok(state)
}

/// Starts the server's background work: retagging, imports cut off by a restart (rows already
/// stored are skipped), webhook events and deliveries every few seconds, escalating overdue
/// follow-up cases every minute, and purging expired sessions hourly.
pub fn start_background(state: &AppState) {
    retag::spawn(state.clone());
    if state.settings.retention_months.is_some() {
        let retention = state.clone();
        tokio::spawn(async move {
            // At start, then daily: old personal data is anonymised.
            let mut every = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
            loop {
                every.tick().await;
                if let Err(e) = klantstem_core::privacy::apply_retention(&retention).await {
                    tracing::warn!(error = %e, "could not apply the retention setting");
                }
            }
        });
    }
    let learn = state.clone();
    tokio::spawn(async move {
        // The installation's sentiment and theme models: from the stored labels at start, then
        // again whenever people's labels changed.
        use klantstem_core::labels::{retrain, retrain_themes, Training};
        let mut why = Training::Startup;
        let mut every = tokio::time::interval(std::time::Duration::from_secs(120));
        loop {
            every.tick().await;
            if let Err(e) = retrain(&learn, why).await {
                tracing::warn!(error = %e, "could not train the sentiment model");
            }
            if let Err(e) = retrain_themes(&learn, why).await {
                tracing::warn!(error = %e, "could not train the theme models");
            }
            why = Training::LabelsChanged;
        }
    });
    let resume = state.clone();
    tokio::spawn(async move {
        // Imports whose process died or stopped, once their lease runs out: at start (this
        // process's own, after a restart) and every few seconds (another process's).
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            if let Err(e) = app::import::resume_imports(&resume).await {
                tracing::error!(error = %e, "could not resume an import");
            }
        }
    });
    let hooks = state.clone();
    tokio::spawn(async move {
        // Events become deliveries, deliveries are sent; a few seconds' delay is fine for
        // webhooks and costs two small queries when idle.
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3));
        loop {
            every.tick().await;
            let now = klantstem_core::now_unix();
            if let Err(e) = klantstem_core::webhooks::dispatch(&hooks, now).await {
                tracing::warn!(error = %e, "could not dispatch webhook events");
            }
            let sender = webhook::HttpWebhookSender;
            if let Err(e) = klantstem_core::webhooks::deliver_due(&hooks, &sender, now).await {
                tracing::warn!(error = %e, "could not deliver webhooks");
            }
        }
    });
    let escalate = state.clone();
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            // Links in the lead's mail need the public address; without one they are relative.
            let mail = app::mail::context(escalate.settings.public_url.clone().unwrap_or_default());
            let now = klantstem_core::now_unix();
            if let Err(e) = klantstem_core::inbox::escalate_overdue(&escalate, &mail, now).await {
                tracing::warn!(error = %e, "could not escalate overdue cases");
            }
        }
    });
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match store
                .delete_expired_sessions(app::backend::now_unix())
                .await
            {
                Ok(n) => tracing::debug!(removed = n, "expired sessions purged"),
                Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
            }
        }
    });
}

/// Where the compiled site (wasm, JS, CSS, assets) lives and how it is named.
pub fn leptos_options(site_root: &str, addr: SocketAddr) -> LeptosOptions {
    // cargo-leptos (`hash-files`) names the bundle's files by their content and lists the hashes
    // in `hash.txt` beside the server binary; without that file the names are plain.
    let hashed = std::env::current_exe().is_ok_and(|exe| exe.with_file_name("hash.txt").exists());
    LeptosOptions::builder()
        .output_name("klantstem")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(hashed)
        .build()
}

#[derive(Debug)]
pub enum UserError {
    InvalidEmail,
    PasswordTooShort,
    PasswordTooLong,
    EmailTaken,
    Store(StoreError),
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UserError::InvalidEmail => write!(f, "that is not a valid e-mail address"),
            UserError::PasswordTooShort => write!(
                f,
                "the password must have at least {PASSWORD_MIN_CHARS} characters"
            ),
            UserError::PasswordTooLong => write!(f, "the password is too long"),
            UserError::EmailTaken => write!(f, "a user with that e-mail address exists already"),
            UserError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for UserError {}

/// Creates a user after checking the e-mail address and password strength.
pub async fn create_user(
    state: &AppState,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> Result<i64, UserError> {
    let email = app::survey::Email::parse(email).ok_or(UserError::InvalidEmail)?;
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(UserError::PasswordTooShort);
    }
    if chars > app::backend::PASSWORD_MAX_CHARS {
        return Err(UserError::PasswordTooLong);
    }
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| UserError::Store(StoreError::backend(e)))?
        .map_err(|e| UserError::Store(StoreError::backend(e)))?;
    let user = NewUser {
        email: email.as_str().to_lowercase(),
        display_name: if name.trim().is_empty() {
            email.as_str().to_string()
        } else {
            name.trim().to_string()
        },
        password_hash: hash,
        role,
    };
    state.store.create_user(&user).await.map_err(|e| match e {
        StoreError::Conflict(_) => UserError::EmailTaken,
        other => UserError::Store(other),
    })
}

/// Imports a CSV file from the command line, printing the check, the progress and the result.
pub async fn import_file(
    state: &AppState,
    path: &std::path::Path,
    survey: Option<String>,
    channel: Option<String>,
    maps: &[String],
    dry_run: bool,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use app::import::{check, content_hash, guess_mapping, parse_csv, MAX_FILE_BYTES};
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is larger than {} MB",
            path.display(),
            MAX_FILE_BYTES >> 20
        )
        .into());
    }
    let content = http::uploads::decode(&bytes);
    let locale = app::i18n::Locale::En;
    let table = parse_csv(&content).map_err(|e| {
        use app::labels::Message;
        e.message(locale)
    })?;
    let mut mapping = guess_mapping(&table.headers);
    mapping.survey = survey;
    mapping.channel = channel;
    for m in maps {
        let (field, column) = m
            .split_once('=')
            .ok_or_else(|| format!("--map {m:?}: write FIELD=COLUMN"))?;
        if !app::import::FIELDS.iter().any(|(f, _)| *f == field) {
            let all: Vec<&str> = app::import::FIELDS.iter().map(|(f, _)| *f).collect();
            return Err(
                format!("--map {m:?}: unknown field; use one of {}", all.join(", ")).into(),
            );
        }
        let index = match column.parse::<usize>() {
            Ok(n) if (1..=table.headers.len()).contains(&n) => n - 1,
            _ => table
                .headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(column))
                .ok_or_else(|| format!("--map {m:?}: no column {column:?}"))?,
        };
        mapping.columns.retain(|(f, c)| f != field && *c != index);
        mapping.columns.push((field.to_string(), index));
    }
    let surveys = klantstem_core::surveys::ids(state).await?;
    for (field, column) in &mapping.columns {
        println!(
            "  {field:<15} ← column {} ({})",
            column + 1,
            table.headers[*column]
        );
    }
    let taxonomy = state.analyzer.taxonomy().1;
    let (good, bad, problems) = check(
        &table,
        &mapping,
        &surveys,
        &taxonomy,
        app::backend::now_unix(),
    );
    println!("{good} rows fine, {bad} with problems.");
    for p in problems.iter().take(20) {
        let reasons: Vec<String> = p
            .errors
            .iter()
            .map(|(f, code)| format!("{f}: {}", app::labels::import_problem(code, locale)))
            .collect();
        println!("  line {}: {}", p.line, reasons.join(" "));
    }
    if dry_run || good == 0 {
        return Ok(());
    }
    let filename = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = state
        .store
        .create_import(&app::backend::NewImport {
            created_by: None,
            created_at: app::backend::now_unix(),
            filename,
            content_hash: content_hash(&content),
            content,
        })
        .await?;
    let mapping_json = serde_json::to_string(&mapping)?;
    let lease = app::import::lease(app::backend::now_unix());
    state
        .store
        .start_import(id, &mapping_json, table.rows.len() as u64, &lease)
        .await?;
    let started = std::time::Instant::now();
    let job = tokio::spawn(app::import::run_import(state.clone(), id, lease));
    while !job.is_finished() {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        if let Some(r) = state.store.import_record(id).await? {
            eprint!(
                "\rImported {} of {} rows",
                r.summary.processed, r.summary.total
            );
        }
    }
    job.await??;
    eprintln!();
    let r = state
        .store
        .import_record(id)
        .await?
        .ok_or("the import vanished")?
        .summary;
    println!(
        "Import {id} done in {:.1} s: {} new, {} already there, {} skipped.",
        started.elapsed().as_secs_f64(),
        r.created,
        r.duplicates,
        r.failed
    );
    Ok(())
}

/// A readable random password for the first admin (about 100 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).expect("no random source");
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}-{}", &chars[0..6], &chars[6..12], &chars[12..18])
}
