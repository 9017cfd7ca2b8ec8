//! API tokens and the answers remembered per idempotency key.

/// Implements [`klantstem_core::store::TokenStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! token_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::TokenStore for $store {
            async fn create_api_token(&self, t: &NewApiToken) -> Result<i64, StoreError> {
                sqlx::query_scalar(
                    "INSERT INTO api_tokens (name, token_hash, prefix, scopes, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(&t.name)
                .bind(&t.token_hash)
                .bind(&t.prefix)
                .bind(t.scopes.join(" "))
                .bind(t.created_by)
                .bind(t.created_at)
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::from)
            }

            async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
                let rows: Vec<ApiTokenRow> = sqlx::query_as(
                    "SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at, created_by FROM api_tokens ORDER BY id DESC",
                )
                .fetch_all(&self.pool)
                .await
                ?;
                Ok(rows.into_iter().map(api_token_from_row).collect())
            }

            async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError> {
                let row: Option<ApiTokenRow> = sqlx::query_as(
                    "SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at, created_by FROM api_tokens WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                ?;
                Ok(row.map(api_token_from_row))
            }

            async fn touch_api_token(&self, id: i64, now: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(StoreError::from)
            }

            async fn revoke_api_token(&self, id: i64, now: i64) -> Result<bool, StoreError> {
                sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                    .bind(id)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(StoreError::from)
            }

            async fn stored_answer(&self, token_id: i64, key: &str) -> Result<Option<StoredAnswer>, StoreError> {
                let row: Option<(String, i32, String)> = sqlx::query_as(
                    "SELECT request_hash, status, body FROM idempotency_keys WHERE token_id = $1 AND idem_key = $2",
                )
                .bind(token_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                ?;
                Ok(row.map(|(request_hash, status, body)| StoredAnswer {
                    request_hash,
                    status: status.clamp(100, 599) as u16,
                    body,
                }))
            }

            async fn store_answer(&self, token_id: i64, key: &str, a: &StoredAnswer, now: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO idempotency_keys (token_id, idem_key, request_hash, status, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                )
                .bind(token_id)
                .bind(key)
                .bind(&a.request_hash)
                .bind(a.status as i32)
                .bind(&a.body)
                .bind(now)
                .execute(&self.pool)
                .await
                .map(|_| ())
                .map_err(StoreError::from)
            }
        }
    };
}
pub(crate) use token_store;
