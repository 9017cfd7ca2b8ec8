//! Staff accounts and sessions.

/// Implements [`klantstem_core::store::UserStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! user_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::UserStore for $store {
            async fn create_user(&self, user: &NewUser) -> Result<i64, StoreError> {
                sqlx::query_scalar(
                    "INSERT INTO users (email, display_name, password_hash, role, created_at, \
                     email_verified_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                )
                .bind(user.email.trim().to_lowercase())
                .bind(&user.display_name)
                .bind(&user.password_hash)
                .bind(user.role.as_str())
                .bind(now_unix())
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::from)
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
                let row: Option<(i64, String, String, String, String, bool)> = sqlx::query_as(
                    "SELECT id, email, display_name, role, password_hash, \
                     email_verified_at IS NOT NULL FROM users WHERE email = $1",
                )
                .bind(email.trim().to_lowercase())
                .fetch_optional(&self.pool)
                .await
                ?;
                row.map(|(id, email, display_name, role, password_hash, verified)| {
                    Ok(UserRecord {
                        info: user_info(id, email, display_name, &role)?,
                        password_hash,
                        verified,
                    })
                })
                .transpose()
            }

            async fn count_users(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
                    .fetch_one(&self.pool)
                    .await
                    ?;
                Ok(n as u64)
            }

            async fn create_session(&self, token_hash: &str, user_id: i64, created_at: i64, expires_at: i64) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(created_at)
                    .bind(expires_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(StoreError::from)
            }

            async fn session_user(&self, token_hash: &str, now: i64, idle_secs: i64) -> Result<Option<UserInfo>, StoreError> {
                let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
                    "SELECT u.id, u.email, u.display_name, u.role, s.last_seen_at FROM sessions s \
                     JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2 - $3",
                )
                .bind(token_hash)
                .bind(now)
                .bind(idle_secs)
                .fetch_optional(&self.pool)
                .await
                ?;
                let Some((id, email, name, role, last_seen)) = row else {
                    return Ok(None);
                };
                // Reading stays reading: the last use moves at most once a minute (more often
                // only for idle times under four minutes).
                if last_seen <= now - (idle_secs / 4).min(60) {
                    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                        .bind(token_hash)
                        .bind(now)
                        .execute(&self.pool)
                        .await?;
                }
                user_info(id, email, name, &role).map(Some)
            }

            async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(StoreError::from)
            }

            async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(StoreError::from)
            }
        }
    };
}
pub(crate) use user_store;
