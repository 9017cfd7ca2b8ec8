//! SQLite, the embedded default.

use super::prelude::*;
use super::{begin_write, bind_all, insert_parts, insert_survey, migrate_err, sql_store};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pub pool: SqlitePool,
    /// See [`app::backend::Store::set_rollups`].
    rollups: std::sync::atomic::AtomicBool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file and applies the migrations.
    ///
    /// Durability: WAL with `synchronous = FULL`, so every acknowledged commit has been fsynced to
    /// the WAL. A response the server has answered survives a crash of the process *and* of the
    /// machine; it costs one fsync per write transaction, which survey traffic easily affords.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(map_err)?
            .create_if_missing(true)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // WAL is a property of the database file: switch it on once, on a connection of its own.
        // `PRAGMA journal_mode` on every new pool connection would take a lock that
        // `busy_timeout` cannot wait on, and a burst of answers while the pool grows would fail
        // with "database is locked".
        options
            .clone()
            .journal_mode(SqliteJournalMode::Wal)
            .connect()
            .await
            .map_err(map_err)?
            .close()
            .await
            .map_err(map_err)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(map_err)?;
        sqlx::migrate!("../migrations/sqlite")
            .run(&pool)
            .await
            .map_err(migrate_err)?;
        let store = SqliteStore {
            pool,
            rollups: std::sync::atomic::AtomicBool::new(true),
        };
        store.ensure_rollups().await?;
        Ok(store)
    }
}

sql_store!(SqliteStore, "sqlite");
