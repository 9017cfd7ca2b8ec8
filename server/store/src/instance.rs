//! The installation itself: which database, whether it answers, its secrets.

/// Implements [`klantstem_core::store::Store`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! instance_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::Store for $store {
            fn backend_name(&self) -> &'static str {
                $dialect.name()
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(StoreError::from)
            }

            async fn instance_secret(&self, name: &str, initial: &str) -> Result<String, StoreError> {
                sqlx::query("INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(name)
                    .bind(initial)
                    .execute(&self.pool)
                    .await
                    ?;
                sqlx::query_scalar("SELECT value FROM instance_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(StoreError::from)
            }

            async fn check(&self) -> Result<Vec<String>, StoreError> {
                let mut problems = Vec::new();
                if $dialect == Dialect::Sqlite {
                    let pages: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                        .fetch_all(&self.pool)
                        .await?;
                    if pages != ["ok"] {
                        problems.extend(pages.into_iter().map(|p| format!("integrity: {p}")));
                    }
                    let broken: Vec<(String, Option<i64>, String, i64)> =
                        sqlx::query_as("PRAGMA foreign_key_check").fetch_all(&self.pool).await?;
                    problems.extend(broken.into_iter().map(|(table, row, parent, _)| {
                        format!("{table} row {} refers to a missing {parent}", row.unwrap_or(-1))
                    }));
                } else {
                    let invalid: Vec<String> = sqlx::query_scalar(
                        "SELECT c.relname::TEXT FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                         JOIN pg_namespace n ON n.oid = c.relnamespace \
                         WHERE NOT i.indisvalid AND n.nspname = current_schema()",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    problems.extend(invalid.into_iter().map(|i| format!("index {i} is not valid")));
                }
                // The rollups are written in each response's own transaction: every grain counts
                // every response, and every theme mention once per grain.
                let (responses, mentions): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM responses), (SELECT COUNT(*) FROM response_themes)",
                )
                .fetch_one(&self.pool)
                .await?;
                let grains: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT grain, CAST(SUM(n) AS BIGINT) FROM score_rollup GROUP BY grain ORDER BY grain",
                )
                .fetch_all(&self.pool)
                .await?;
                for (grain, n) in grains.into_iter().filter(|(_, n)| *n != responses) {
                    problems.push(format!("score rollup '{grain}' counts {n} responses of {responses}"));
                }
                let grains: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT grain, CAST(SUM(n) AS BIGINT) FROM theme_rollup WHERE dim = '' \
                     GROUP BY grain ORDER BY grain",
                )
                .fetch_all(&self.pool)
                .await?;
                for (grain, n) in grains.into_iter().filter(|(_, n)| *n != mentions) {
                    problems.push(format!("theme rollup '{grain}' counts {n} mentions of {mentions}"));
                }
                Ok(problems)
            }
        }
    };
}
pub(crate) use instance_store;
