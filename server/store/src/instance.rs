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
        }
    };
}
pub(crate) use instance_store;
