//! Customer accounts: registering, one-time links, mail preferences.

/// Implements [`klantstem_core::store::AccountStore`] for a store type with a `pool` of one
/// sqlx backend.
macro_rules! account_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::AccountStore for $store {
            async fn create_customer(
                &self,
                customer: &NewCustomer,
                token: &NewAccountToken,
                mail: &NewMail,
                now: i64,
            ) -> Result<i64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (email, display_name, password_hash, role, created_at, \
                     customer_hash, locale) VALUES ($1, $2, $3, 'customer', $4, $5, $6) RETURNING id",
                )
                .bind(customer.email.trim().to_lowercase())
                .bind(&customer.display_name)
                .bind(&customer.password_hash)
                .bind(now)
                .bind(&customer.customer_hash)
                .bind(&customer.locale)
                .fetch_one(&mut *tx)
                .await?;
                insert_account_token!(&mut *tx, id, token, now);
                enqueue_mail!(&mut *tx, mail, now);
                tx.commit().await?;
                Ok(id)
            }

            async fn create_account_token(
                &self,
                user_id: i64,
                token: &NewAccountToken,
                mail: &NewMail,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                insert_account_token!(&mut *tx, user_id, token, now);
                enqueue_mail!(&mut *tx, mail, now);
                tx.commit().await?;
                Ok(())
            }

            async fn use_account_token(
                &self,
                token_hash: &str,
                purpose: &str,
                now: i64,
            ) -> Result<Option<i64>, StoreError> {
                let user: Option<i64> = sqlx::query_scalar(
                    "UPDATE account_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 \
                     AND used_at IS NULL AND expires_at > $3 RETURNING user_id",
                )
                .bind(token_hash)
                .bind(purpose)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                Ok(user)
            }

            async fn mark_verified(&self, user_id: i64, now: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $1",
                )
                .bind(user_id)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn set_password(
                &self,
                user_id: i64,
                password_hash: &str,
                notice: &NewMail,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                    .bind(user_id)
                    .bind(password_hash)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                enqueue_mail!(&mut *tx, notice, now);
                tx.commit().await?;
                Ok(())
            }

            async fn account(&self, user_id: i64) -> Result<Option<Account>, StoreError> {
                let row: Option<AccountRow> =
                    sqlx::query_as(&format!("{ACCOUNT_SELECT} WHERE id = $1"))
                        .bind(user_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Account::from))
            }

            async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
                let row: Option<AccountRow> =
                    sqlx::query_as(&format!("{ACCOUNT_SELECT} WHERE email = $1"))
                        .bind(email.trim().to_lowercase())
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Account::from))
            }

            async fn set_customer_hash(&self, user_id: i64, hash: &str) -> Result<(), StoreError> {
                sqlx::query("UPDATE users SET customer_hash = $2 WHERE id = $1")
                    .bind(user_id)
                    .bind(hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_mail_notifications(&self, user_id: i64, on: bool) -> Result<(), StoreError> {
                sqlx::query("UPDATE users SET mail_notifications = $2 WHERE id = $1")
                    .bind(user_id)
                    .bind(on)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use account_store;

/// Stores a one-time token through `$executor`.
macro_rules! insert_account_token {
    ($executor:expr, $user:expr, $token:expr, $now:expr) => {{
        let token: &NewAccountToken = $token;
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&token.token_hash)
        .bind($user)
        .bind(token.purpose)
        .bind($now)
        .bind(token.expires_at)
        .execute($executor)
        .await?;
    }};
}
pub(crate) use insert_account_token;
