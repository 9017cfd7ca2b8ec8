//! PostgreSQL, for deployments that outgrow one machine.

use super::prelude::*;
use super::{begin_write, bind_all, insert_parts, insert_survey, migrate_err, sql_store};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub struct PgStore {
    pub pool: PgPool,
    /// See [`app::backend::Store::set_rollups`].
    rollups: std::sync::atomic::AtomicBool,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(PgConnectOptions::from_str(url).map_err(map_err)?).await
    }

    /// Connects with explicit options (tests use this to give every test its own schema).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(map_err)?;
        sqlx::migrate!("../migrations/postgres")
            .run(&pool)
            .await
            .map_err(migrate_err)?;
        let store = PgStore {
            pool,
            rollups: std::sync::atomic::AtomicBool::new(true),
        };
        store.ensure_rollups().await?;
        Ok(store)
    }
}

sql_store!(PgStore, "postgres");
