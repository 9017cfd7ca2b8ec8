//! A fresh, migrated, empty database per test: SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` is set (one schema per test). For this crate's conformance suite and the
//! server's integration tests (feature `test-db`).

use crate::{postgres::PgStore, sqlite::SqliteStore};
use klantstem_core::Store;
use sqlx::postgres::PgConnectOptions;
use sqlx::Connection;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is set (CI always sets it).
pub fn backends() -> Vec<Backend> {
    let mut b = vec![Backend::Sqlite];
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        b.push(Backend::Postgres);
    } else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL half of this test skipped");
    }
    b
}

fn unique_name() -> String {
    format!("t{}", &klantstem_core::secrets::random_token()[..16])
}

/// A fresh, migrated, empty database.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    sqlite_dir: Option<PathBuf>,
    /// How to open the same database again.
    reopen: Reopen,
}

enum Reopen {
    Sqlite(String),
    Postgres(Box<PgConnectOptions>),
}

impl TestDb {
    /// Another store on the same database, with its own pool, caches and writer: what a second
    /// server process has.
    pub async fn second_store(&self) -> Arc<dyn Store> {
        match &self.reopen {
            Reopen::Sqlite(url) => Arc::new(SqliteStore::connect(url).await.expect("sqlite store")),
            Reopen::Postgres(options) => Arc::new(
                PgStore::connect_with((**options).clone())
                    .await
                    .expect("postgres store"),
            ),
        }
    }

    /// The first column of the first row of `sql` as text (tests look up ids with it); the
    /// query must return TEXT on both backends (`CAST(x AS TEXT)`).
    pub async fn query_text(&self, sql: &str) -> Result<Option<String>, sqlx::Error> {
        match &self.reopen {
            Reopen::Sqlite(url) => {
                let mut conn = sqlx::SqliteConnection::connect(url).await?;
                sqlx::query_scalar(sql).fetch_optional(&mut conn).await
            }
            Reopen::Postgres(options) => {
                let mut conn = sqlx::PgConnection::connect_with(options).await?;
                sqlx::query_scalar(sql).fetch_optional(&mut conn).await
            }
        }
    }
}

impl TestDb {
    /// Every table's rows as text, sorted: two moments with equal digests hold the same data.
    pub async fn tables(&self) -> Tables {
        match &self.reopen {
            Reopen::Sqlite(url) => sqlite_tables(url).await,
            Reopen::Postgres(options) => {
                let mut conn = sqlx::PgConnection::connect_with(options).await.unwrap();
                pg_rows(&mut conn).await
            }
        }
    }
}

/// Table name → its rows as text, sorted.
pub type Tables = BTreeMap<String, Vec<String>>;

/// Every table's rows of the SQLite database at `url`.
pub async fn sqlite_tables(url: &str) -> Tables {
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || ',' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\""))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        rows.sort();
        out.insert(table, rows);
    }
    out
}

/// Every table's rows of the PostgreSQL database at `url` (its current schema).
pub async fn pg_tables(url: &str) -> Tables {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    pg_rows(&mut conn).await
}

async fn pg_rows(conn: &mut sqlx::PgConnection) -> Tables {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let mut rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT t::TEXT FROM \"{table}\" t"))
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        rows.sort();
        out.insert(table, rows);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.sqlite_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub async fn fresh_db(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("klantstem-test-{}", unique_name()));
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}", dir.join("test.db").display());
            let store = SqliteStore::connect(&url).await.expect("sqlite store");
            TestDb {
                store: Arc::new(store),
                sqlite_dir: Some(dir),
                reopen: Reopen::Sqlite(url),
            }
        }
        Backend::Postgres => {
            let url = std::env::var("TEST_DATABASE_URL").unwrap();
            // One schema per test: as isolated as a database, much cheaper to create.
            let schema = unique_name();
            let mut admin =
                sqlx::PgConnection::connect_with(&PgConnectOptions::from_str(&url).unwrap())
                    .await
                    .expect("connect to TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let options = PgConnectOptions::from_str(&url)
                .unwrap()
                .options([("search_path", schema.as_str())]);
            let store = PgStore::connect_with(options.clone())
                .await
                .expect("postgres store");
            TestDb {
                store: Arc::new(store),
                sqlite_dir: None,
                reopen: Reopen::Postgres(Box::new(options)),
            }
        }
    }
}
