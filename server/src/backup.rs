//! Backup and restore of an installation's database, while the server runs.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy from one read transaction, so
//! answers keep arriving while it runs (WAL readers do not block the writer). PostgreSQL:
//! `pg_dump --format=custom` (one snapshot) and `pg_restore` into an empty database. A restore
//! refuses to overwrite anything, and checks what it restored before it says so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{0} exists already; choose a new file name")]
    TargetExists(PathBuf),
    #[error("the database {0} holds data already; restore into a new, empty one")]
    DatabaseNotEmpty(String),
    #[error("{0} is not a backup: {1}")]
    NotABackup(PathBuf, String),
    #[error("{tool} failed: {detail} (is the PostgreSQL client installed and on PATH?)")]
    Tool { tool: &'static str, detail: String },
    #[error("the restored database is not sound: {0}")]
    Unsound(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("store: {0}")]
    Store(#[from] app::backend::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The SQLite file of a `sqlite://` URL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// Writes a backup of the database at `url` to `to`, a new file.
pub async fn backup(url: &str, to: &Path) -> Result<(), BackupError> {
    if to.exists() {
        return Err(BackupError::TargetExists(to.to_owned()));
    }
    if sqlite_path(url).is_some() {
        use sqlx::{ConnectOptions, Connection};
        let options: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
        let mut conn = options.read_only(true).connect().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(to.to_string_lossy().as_ref())
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        return Ok(());
    }
    run(
        "pg_dump",
        Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(to)
            .arg(url),
    )
}

/// Restores the backup `from` into the database at `url`, which must be new (SQLite: no file
/// yet) or empty (PostgreSQL), then opens it (applying newer migrations) and checks it.
pub async fn restore(from: &Path, url: &str) -> Result<Arc<dyn app::backend::Store>, BackupError> {
    if !from.is_file() {
        return Err(BackupError::NotABackup(
            from.to_owned(),
            "no such file".into(),
        ));
    }
    if let Some(path) = sqlite_path(url) {
        if path.exists() {
            return Err(BackupError::TargetExists(path));
        }
        let header = std::fs::read(from)?;
        if !header.starts_with(b"SQLite format 3\0") {
            return Err(BackupError::NotABackup(
                from.to_owned(),
                "not an SQLite database".into(),
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        // Copied under a temporary name and renamed, so a half-written file never carries the
        // database's name.
        let partial = path.with_extension("restoring");
        std::fs::copy(from, &partial)?;
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, &path)?;
    } else {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let tables: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_one(&mut conn)
        .await?;
        conn.close().await?;
        if tables > 0 {
            return Err(BackupError::DatabaseNotEmpty(redact(url)));
        }
        run(
            "pg_restore",
            Command::new("pg_restore")
                .args([
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                ])
                .arg(url)
                .arg(from),
        )?;
    }
    let store = klantstem_store::connect(url).await?;
    let problems = store.check().await?;
    if !problems.is_empty() {
        return Err(BackupError::Unsound(problems.join("; ")));
    }
    Ok(store)
}

fn run(tool: &'static str, command: &mut Command) -> Result<(), BackupError> {
    let out = command.output().map_err(|e| BackupError::Tool {
        tool,
        detail: e.to_string(),
    })?;
    if out.status.success() {
        return Ok(());
    }
    Err(BackupError::Tool {
        tool,
        detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
    })
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or(user);
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
