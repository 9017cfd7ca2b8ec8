//! The dashboard's figures: from the rollups when the filter allows, else a scan.

/// Implements [`klantstem_core::store::ScoreStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! score_store {
    ($store:ty, $dialect:expr) => {
        impl $store {
            /// Fills the rollups from the stored responses when they are empty (a database from
            /// before they existed); later writes keep them up to date.
            pub(crate) async fn ensure_rollups(&self) -> Result<(), StoreError> {
                let (filled, any): (bool, bool) = sqlx::query_as(
                    "SELECT EXISTS (SELECT 1 FROM score_rollup), EXISTS (SELECT 1 FROM responses)",
                )
                .fetch_one(&self.pool)
                .await?;
                if filled || !any {
                    return Ok(());
                }
                tracing::info!("building the dashboard rollups from the stored responses");
                let mut tx = begin_write!($dialect, self.pool);
                for sql in rollup::adjust_sql($dialect, 0, 1) {
                    sqlx::query(&sql).execute(&mut *tx).await?;
                }
                tx.commit().await.map_err(StoreError::from)
            }
        }

        #[async_trait::async_trait]
        impl klantstem_core::store::ScoreStore for $store {
            async fn scores(
                &self,
                filter: &ResponseFilter,
                by: Grouping,
            ) -> Result<Vec<GroupScores>, StoreError> {
                let planned = if self.rollups.load(std::sync::atomic::Ordering::Relaxed) {
                    rollup::plan(filter, by, $dialect)
                } else {
                    None
                };
                let (sql, binds) = match planned {
                    Some(q) => (q.sql, q.binds),
                    None => scan_sql(filter, by, $dialect),
                };
                let query = bind_all!(sqlx::query_as::<_, rollup::ScoresRow>(&sql), binds);
                rollup::collect(query.fetch_all(&self.pool).await?, by)
            }

            async fn customer_movement(
                &self,
                filter: &ResponseFilter,
            ) -> Result<Vec<(u8, u8, u64)>, StoreError> {
                let (sql, binds) = rollup::movement_sql(filter, $dialect);
                let query = bind_all!(sqlx::query_as::<_, (i32, i32, i64)>(&sql), binds);
                Ok(query
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(|(f, l, n)| (f.clamp(0, 10) as u8, l.clamp(0, 10) as u8, n as u64))
                    .collect())
            }

            fn set_rollups(&self, enabled: bool) {
                self.rollups
                    .store(enabled, std::sync::atomic::Ordering::Relaxed);
            }
        }
    };
}
pub(crate) use score_store;
