//! Webhooks, the events written by the changes that cause them, and their deliveries (claimed
//! with a lease, like the mail outbox).

macro_rules! webhook_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::WebhookStore for $store {
            async fn list_webhooks(&self) -> Result<Vec<domain::webhook::Webhook>, StoreError> {
                let rows: Vec<(i64, String, String, String, String, bool, bool, i64)> = sqlx::query_as(
                    "SELECT id, name, url, events, conditions, allow_private, active, created_at FROM webhooks ORDER BY name, id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, name, url, events, conditions, allow_private, active, created_at)| {
                        Ok(domain::webhook::Webhook {
                            id,
                            name,
                            url,
                            events: events.split_whitespace().filter_map(domain::webhook::EventKind::parse).collect(),
                            conditions: crate::rows::json("webhook conditions", &conditions)?,
                            allow_private,
                            active,
                            created_at,
                        })
                    })
                    .collect()
            }

            async fn save_webhook(
                &self,
                id: Option<i64>,
                w: &domain::webhook::WebhookInput,
                secret: &str,
                now: i64,
            ) -> Result<Option<i64>, StoreError> {
                let events = format!(
                    " {} ",
                    w.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(" ")
                );
                let conditions = serde_json::to_string(&w.conditions).map_err(StoreError::backend)?;
                Ok(match id {
                    None => Some(
                        sqlx::query_scalar(
                            "INSERT INTO webhooks (name, url, secret, events, conditions, allow_private, active, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(&w.name)
                        .bind(&w.url)
                        .bind(secret)
                        .bind(&events)
                        .bind(&conditions)
                        .bind(w.allow_private)
                        .bind(w.active)
                        .bind(now)
                        .fetch_one(&self.pool)
                        .await?,
                    ),
                    Some(id) => sqlx::query_scalar(
                        "UPDATE webhooks SET name = $2, url = $3, events = $4, conditions = $5, allow_private = $6, \
                         active = $7 WHERE id = $1 RETURNING id",
                    )
                    .bind(id)
                    .bind(&w.name)
                    .bind(&w.url)
                    .bind(&events)
                    .bind(&conditions)
                    .bind(w.allow_private)
                    .bind(w.active)
                    .fetch_optional(&self.pool)
                    .await?,
                })
            }

            async fn delete_webhook(&self, id: i64) -> Result<bool, StoreError> {
                Ok(sqlx::query("DELETE FROM webhooks WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected()
                    == 1)
            }

            async fn webhook_secret(&self, id: i64) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar("SELECT secret FROM webhooks WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn pending_events(&self, limit: u32) -> Result<Vec<PendingEvent>, StoreError> {
                let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
                    "SELECT id, event_id, kind, subject_id, created_at FROM events WHERE dispatched_at IS NULL ORDER BY id LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, event_id, kind, subject_id, created_at)| PendingEvent { id, event_id, kind, subject_id, created_at })
                    .collect())
            }

            async fn dispatch_event(
                &self,
                id: i64,
                deliveries: &[NewDelivery],
                now: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let claimed = sqlx::query("UPDATE events SET dispatched_at = $2 WHERE id = $1 AND dispatched_at IS NULL")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
                if !claimed {
                    return Ok(false);
                }
                for d in deliveries {
                    insert_delivery!(&mut *tx, d, now);
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn enqueue_delivery(&self, d: &NewDelivery, now: i64) -> Result<(), StoreError> {
                insert_delivery!(&self.pool, d, now);
                Ok(())
            }

            async fn claim_deliveries(
                &self,
                now: i64,
                lease: i64,
                limit: u32,
            ) -> Result<Vec<ClaimedDelivery>, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                // Due ones, and ones whose worker's lease ran out.
                let rows: Vec<(i64, String, String, bool, String, String, i64)> = sqlx::query_as(
                    "SELECT d.id, w.url, w.secret, w.allow_private, d.event_id, d.payload, d.attempts \
                     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
                     WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= $1 \
                     ORDER BY d.next_attempt_at, d.id LIMIT $2",
                )
                .bind(now)
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for (id, url, secret, allow_private, event_id, payload, attempts) in rows {
                    sqlx::query(
                        "UPDATE webhook_deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(now + lease)
                    .execute(&mut *tx)
                    .await?;
                    out.push(ClaimedDelivery {
                        id,
                        url,
                        secret,
                        allow_private,
                        event_id,
                        payload,
                        attempts: (attempts + 1) as u32,
                    });
                }
                tx.commit().await?;
                Ok(out)
            }

            async fn delivery_done(&self, id: i64, status: u16, now: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE webhook_deliveries SET status = 'delivered', last_status = $2, last_error = NULL, delivered_at = $3 WHERE id = $1",
                )
                .bind(id)
                .bind(i64::from(status))
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn delivery_failed(
                &self,
                id: i64,
                status: Option<u16>,
                error: &str,
                next: Option<i64>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE webhook_deliveries SET status = $2, last_status = $3, last_error = $4, \
                     next_attempt_at = COALESCE($5, next_attempt_at) WHERE id = $1",
                )
                .bind(id)
                .bind(if next.is_some() { "pending" } else { "failed" })
                .bind(status.map(i64::from))
                .bind(error.chars().take(500).collect::<String>())
                .bind(next)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn deliveries(&self, limit: u32) -> Result<Vec<domain::webhook::DeliveryLine>, StoreError> {
                type Row = (i64, String, String, String, String, i64, Option<i64>, Option<String>, i64, Option<i64>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT d.id, w.name, d.event_id, d.kind, d.status, d.attempts, d.last_status, d.last_error, \
                     d.created_at, d.delivered_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
                     ORDER BY d.id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, webhook, event_id, kind, status, attempts, last_status, last_error, created_at, delivered_at)| {
                        Ok(domain::webhook::DeliveryLine {
                            id,
                            webhook,
                            event_id,
                            kind,
                            status: domain::webhook::DeliveryStatus::parse(&status)
                                .ok_or(StoreError::Corrupt { what: "delivery status", detail: status })?,
                            attempts: attempts as i32,
                            last_status: last_status.map(|s| s as i32),
                            last_error,
                            created_at,
                            delivered_at,
                        })
                    })
                    .collect()
            }

            async fn response_facts(&self, response_id: i64) -> Result<Option<domain::routing::Facts>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                Ok(Self::facts_of(&mut *conn, &[response_id]).await?.remove(&response_id).map(|(facts, _)| facts))
            }

            async fn case_subject(&self, case_id: i64) -> Result<Option<(i64, i64, String)>, StoreError> {
                Ok(sqlx::query_as(
                    "SELECT i.response_id, i.id, d.name FROM cases c JOIN inbox_items i ON i.id = c.item_id \
                     JOIN departments d ON d.id = i.department_id WHERE c.id = $1 AND i.response_id IS NOT NULL",
                )
                .bind(case_id)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn purge_events(&self, before: i64) -> Result<u64, StoreError> {
                Ok(sqlx::query("DELETE FROM events WHERE dispatched_at IS NOT NULL AND dispatched_at < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }
        }
    };
}
pub(crate) use webhook_store;

/// Writes delivery `$d` (a `NewDelivery`) through `$executor`, once per webhook and event.
macro_rules! insert_delivery {
    ($executor:expr, $d:expr, $now:expr) => {{
        let d: &NewDelivery = $d;
        sqlx::query(
            "INSERT INTO webhook_deliveries (webhook_id, event_id, kind, payload, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (webhook_id, event_id) DO NOTHING",
        )
        .bind(d.webhook_id)
        .bind(&d.event_id)
        .bind(&d.kind)
        .bind(&d.payload)
        .bind($now)
        .execute($executor)
        .await?;
    }};
}
pub(crate) use insert_delivery;
