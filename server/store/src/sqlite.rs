//! SQLite, the embedded default.

use crate::prelude::*;
use crate::{migrate_err, sql_store};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pub pool: SqlitePool,
    /// See [`klantstem_core::store::ScoreStore::set_rollups`].
    rollups: std::sync::atomic::AtomicBool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file and applies the migrations.
    ///
    /// Durability: WAL with `synchronous = FULL`, so every acknowledged commit has been fsynced to
    /// the WAL. A response the server has answered survives a crash of the process *and* of the
    /// machine; it costs one fsync per write transaction, which survey traffic easily affords.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
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
            .await?
            .close()
            .await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/sqlite")
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

type Conn = sqlx::SqliteConnection;

sql_store!(SqliteStore, Dialect::Sqlite);
