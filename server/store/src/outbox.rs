//! The outbox: mails written with their change, claimed by the delivery worker under a lease.

/// Implements [`klantstem_core::store::OutboxStore`] for a store type with a `pool` of one sqlx
/// backend.
macro_rules! outbox_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::OutboxStore for $store {
            async fn enqueue_mail(&self, mail: &NewMail, now: i64) -> Result<i64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let id = enqueue_mail!(&mut *tx, mail, now);
                tx.commit().await?;
                Ok(id)
            }

            async fn claim_mail(
                &self,
                now: i64,
                lease: i64,
                limit: u32,
            ) -> Result<Vec<Mail>, StoreError> {
                // The status is checked again by the UPDATE itself: of two workers claiming at
                // once, the second finds the rows taken (PostgreSQL re-reads an updated row;
                // SQLite writes one transaction at a time).
                let mut tx = begin_write!($dialect, self.pool);
                let rows: Vec<ClaimedMailRow> = sqlx::query_as(
                    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, \
                     next_attempt_at = $2 \
                     WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1 AND id IN \
                     (SELECT id FROM outbox WHERE status IN ('pending', 'sending') \
                      AND next_attempt_at <= $1 ORDER BY id LIMIT $3) \
                     RETURNING id, message_id, recipient, subject, body, attempts",
                )
                .bind(now)
                .bind(now + lease)
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut mails: Vec<Mail> = rows.into_iter().map(mail_from_row).collect();
                mails.sort_by_key(|m| m.id);
                Ok(mails)
            }

            async fn mail_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn mail_failed(
                &self,
                id: i64,
                error: &str,
                retry_at: Option<i64>,
            ) -> Result<(), StoreError> {
                let error: String = error.chars().take(1000).collect();
                let (status, at) = match retry_at {
                    Some(at) => ("pending", Some(at)),
                    None => ("failed", None),
                };
                sqlx::query(
                    "UPDATE outbox SET status = $2, last_error = $3, \
                     next_attempt_at = COALESCE($4, next_attempt_at) WHERE id = $1",
                )
                .bind(id)
                .bind(status)
                .bind(error)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn list_outbox(&self, limit: u32) -> Result<Vec<domain::outbox::OutboxEntry>, StoreError> {
                let rows: Vec<OutboxRow> = sqlx::query_as(
                    "SELECT id, message_id, kind, recipient, subject, status, attempts, last_error, \
                     created_at, next_attempt_at, sent_at FROM outbox ORDER BY id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(outbox_entry_from_row).collect()
            }

            async fn resend_mail(&self, id: i64, now: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(
                    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, \
                     sent_at = NULL WHERE id = $1 AND status IN ('failed', 'sent')",
                )
                .bind(id)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}
pub(crate) use outbox_store;
