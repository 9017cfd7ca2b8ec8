//! SQLite, the embedded default.

use crate::group_commit::GroupCommit;
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
    /// The surveys and questions every answer and survey page reads.
    surveys: crate::survey_cache::SurveyCache,
    /// Survey answers are written in groups by one writer (see [`GroupCommit`]).
    group: GroupCommit,
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
            // Other writers (imports, background jobs, staff) wait their turn rather than fail.
            .busy_timeout(Duration::from_secs(30))
            // 16 MB of pages per connection (SQLite's default is 2 MB): the answers' writer
            // touches the rollups, several indexes and the search index in every group.
            .pragma("cache_size", "-16384");
        // WAL is a property of the database file: switch it on once, on a connection of its own.
        // `PRAGMA journal_mode` on every new pool connection would take a lock that
        // `busy_timeout` cannot wait on, and a burst of answers while the pool grows would fail
        // with "database is locked".
        //
        // The migrations run on that connection with foreign keys off: SQLite changes a column's
        // constraints only by rebuilding the table, and dropping the old one with foreign keys on
        // would cascade into every row that refers to it (SQLite's documented procedure; the
        // check afterwards proves no reference was broken).
        let mut admin = options
            .clone()
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(false)
            .connect()
            .await?;
        sqlx::migrate!("../../migrations/sqlite")
            .run(&mut admin)
            .await
            .map_err(migrate_err)?;
        let broken: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&mut admin)
            .await?;
        if let Some((table, row, parent, _)) = broken.first() {
            return Err(StoreError::Corrupt {
                what: "foreign key after migrating",
                detail: format!("{table} row {row} refers to a missing {parent}"),
            });
        }
        admin.close().await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let group = GroupCommit::start(pool.clone(), |conn, group| {
            Box::pin(SqliteStore::insert_batch_on(conn, group, None))
        });
        let store = SqliteStore {
            pool,
            rollups: std::sync::atomic::AtomicBool::new(true),
            surveys: Default::default(),
            group,
        };
        store.ensure_rollups().await?;
        Ok(store)
    }
}

type Conn = sqlx::SqliteConnection;

sql_store!(SqliteStore, Dialect::Sqlite);
