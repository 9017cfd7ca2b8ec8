//! CSV imports: the file, its mapping, progress and report.

/// Implements [`klantstem_core::store::ImportStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! import_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::ImportStore for $store {
            async fn insert_import_batch(
                &self,
                batch: &ImportBatch<'_>,
                responses: &[NewResponse],
            ) -> Result<Vec<Inserted>, StoreError> {
                self.insert_batch(responses, Some(batch)).await
            }

            async fn create_import(&self, i: &NewImport) -> Result<i64, StoreError> {
                sqlx::query_scalar(
                    "INSERT INTO imports (created_by, created_at, filename, content_hash, content) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(i.created_by)
                .bind(i.created_at)
                .bind(&i.filename)
                .bind(&i.content_hash)
                .bind(&i.content)
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::from)
            }

            async fn import_record(&self, id: i64) -> Result<Option<ImportRecord>, StoreError> {
                let row: Option<ImportRecordRow> = sqlx::query_as(&format!(
                    "SELECT {IMPORT_COLUMNS}, created_by, content_hash, content, mapping, report \
                     FROM imports WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|row| ImportRecord {
                    summary: import_from_row(row.summary),
                    created_by: row.created_by,
                    content_hash: row.content_hash,
                    content: row.content,
                    mapping: row.mapping,
                    report: row.report,
                }))
            }

            async fn list_imports(&self, limit: u32) -> Result<Vec<domain::import::ImportSummary>, StoreError> {
                let rows: Vec<ImportRow> = sqlx::query_as(&format!(
                    "SELECT {IMPORT_COLUMNS} FROM imports ORDER BY id DESC LIMIT $1"
                ))
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                ?;
                Ok(rows.into_iter().map(import_from_row).collect())
            }

            async fn start_import(
                &self,
                id: i64,
                mapping: &str,
                total: u64,
                lease: &Lease,
            ) -> Result<bool, StoreError> {
                sqlx::query(
                    "UPDATE imports SET mapping = $2, status = 'running', total_rows = $3, processed_rows = 0, \
                     created_rows = 0, duplicate_rows = 0, failed_rows = 0, report = NULL, finished_at = NULL, \
                     claimed_by = $4, lease_until = $5 \
                     WHERE id = $1 AND status IN ('uploaded', 'failed')",
                )
                .bind(id)
                .bind(mapping)
                .bind(total as i64)
                .bind(&lease.holder)
                .bind(lease.until)
                .execute(&self.pool)
                .await
                .map(|r| r.rows_affected() == 1)
                .map_err(StoreError::from)
            }

            async fn claim_import(&self, id: i64, lease: &Lease, now: i64) -> Result<bool, StoreError> {
                // The lease is checked again by the UPDATE itself: of two processes claiming at
                // once, the second finds it held (PostgreSQL re-reads an updated row).
                let taken = sqlx::query(
                    "UPDATE imports SET claimed_by = $2, lease_until = $3 WHERE id = $1 \
                     AND status = 'running' AND (lease_until IS NULL OR lease_until <= $4)",
                )
                .bind(id)
                .bind(&lease.holder)
                .bind(lease.until)
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok(taken == 1)
            }

            async fn import_progress(&self, id: i64, processed: u64, created: u64, duplicates: u64, failed: u64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE imports SET processed_rows = $2, created_rows = $3, duplicate_rows = $4, failed_rows = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(processed as i64)
                .bind(created as i64)
                .bind(duplicates as i64)
                .bind(failed as i64)
                .execute(&self.pool)
                .await
                .map(|_| ())
                .map_err(StoreError::from)
            }

            async fn finish_import(
                &self,
                id: i64,
                status: &str,
                report: &str,
                keep: Option<&str>,
                now: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE imports SET status = $2, report = $3, finished_at = $4, \
                     content = COALESCE($5, content) WHERE id = $1",
                )
                    .bind(id)
                    .bind(status)
                    .bind(report)
                    .bind(now)
                    .bind(keep)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(StoreError::from)
            }
        }
    };
}
pub(crate) use import_store;
