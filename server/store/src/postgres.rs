//! PostgreSQL, for deployments that outgrow one machine.

use crate::group_commit::GroupCommit;
use crate::prelude::*;
use crate::{migrate_err, sql_store};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
// `begin_with` on a connection (the group commit writer keeps one).
use sqlx::Connection as _;
use std::str::FromStr;
use std::time::Duration;

pub struct PgStore {
    pub pool: PgPool,
    /// See [`klantstem_core::store::ScoreStore::set_rollups`].
    rollups: std::sync::atomic::AtomicBool,
    /// The surveys and questions every answer and survey page reads.
    surveys: crate::survey_cache::SurveyCache,
    /// Survey answers are written in groups by one writer per process (see [`GroupCommit`]).
    group: GroupCommit,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with explicit options (tests use this to give every test its own schema).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/postgres")
            .run(&pool)
            .await
            .map_err(migrate_err)?;
        let group = GroupCommit::start(pool.clone(), |conn, group| {
            Box::pin(PgStore::insert_batch_on(conn, group, None))
        });
        let store = PgStore {
            pool,
            rollups: std::sync::atomic::AtomicBool::new(true),
            surveys: Default::default(),
            group,
        };
        store.ensure_rollups().await?;
        Ok(store)
    }
}

type Conn = sqlx::PgConnection;

sql_store!(PgStore, Dialect::Postgres);
