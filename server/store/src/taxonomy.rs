//! Taxonomy versions, (re)tagging of stored texts and managers' corrections.

/// Implements [`klantstem_core::store::TaxonomyStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! taxonomy_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::TaxonomyStore for $store {
            async fn current_taxonomy(&self) -> Result<Option<(i64, String)>, StoreError> {
                sqlx::query_as("SELECT version, document FROM taxonomy_versions ORDER BY version DESC LIMIT 1")
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(StoreError::from)
            }

            async fn save_taxonomy(&self, based_on: i64, document: &str, user_id: Option<i64>, now: i64) -> Result<i64, StoreError> {
                // The version is the primary key: of two concurrent saves on the same base, one
                // fails; a save on an outdated base inserts nothing.
                let inserted = sqlx::query(
                    "INSERT INTO taxonomy_versions (version, document, created_by, created_at) \
                     SELECT $1 + 1, $2, $3, $4 \
                     WHERE COALESCE((SELECT MAX(version) FROM taxonomy_versions), 0) = $1",
                )
                .bind(based_on)
                .bind(document)
                .bind(user_id)
                .bind(now)
                .execute(&self.pool)
                .await
                ?;
                if inserted.rows_affected() == 0 {
                    return Err(StoreError::Conflict("taxonomy changed meanwhile".into()));
                }
                Ok(based_on + 1)
            }

            async fn texts_to_tag(&self, version: i64, limit: u32) -> Result<Vec<TextToTag>, StoreError> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(
                    "SELECT id, reason, respondent_locale FROM responses \
                     WHERE reason IS NOT NULL AND tagged_version < $1 ORDER BY tagged_version, id LIMIT $2",
                )
                .bind(version)
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                ?;
                Ok(rows
                    .into_iter()
                    .map(|(response_id, text, respondent_locale)| TextToTag { response_id, text, respondent_locale })
                    .collect())
            }

            async fn store_tags(&self, tags: &[Retagged]) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let ids: Vec<i64> = tags.iter().map(|t| t.response_id).collect();
                adjust_rollups!($dialect, tx, ids, -1);
                for t in tags {
                    // A person's sentiment label wins over the analysis's, with certainty.
                    sqlx::query(
                        "UPDATE responses SET tagged_version = $2, sentiment_score = $4, \
                         sentiment = COALESCE((SELECT l.sentiment FROM sentiment_labels l WHERE l.response_id = $1), $3), \
                         sentiment_confidence = CASE WHEN EXISTS (SELECT 1 FROM sentiment_labels l \
                           WHERE l.response_id = $1) THEN 1.0 ELSE $5 END \
                         WHERE id = $1",
                    )
                        .bind(t.response_id)
                        .bind(t.taxonomy_version)
                        .bind(&t.sentiment)
                        .bind(t.sentiment_score)
                        .bind(t.sentiment_confidence)
                        .execute(&mut *tx)
                        .await
                        ?;
                    sqlx::query("DELETE FROM response_themes WHERE response_id = $1 AND source = 'auto'")
                        .bind(t.response_id)
                        .execute(&mut *tx)
                        .await
                        ?;
                    for theme in &t.themes {
                        // A manager's removal keeps the theme off; a manager's addition is
                        // already there and stays as it is. A person's label of the theme's
                        // sentiment wins.
                        sqlx::query(
                            "INSERT INTO response_themes (response_id, theme_key, source, sentiment, sentiment_confidence) \
                             SELECT $1, $2, 'auto', COALESCE(l.sentiment, $3), \
                             CASE WHEN l.sentiment IS NULL THEN $4 ELSE 1.0 END \
                             FROM (SELECT 1 AS one) one LEFT JOIN theme_sentiment_labels l \
                               ON l.response_id = $1 AND l.theme_key = $2 \
                             WHERE NOT EXISTS (SELECT 1 FROM theme_corrections c \
                             WHERE c.response_id = $1 AND c.theme_key = $2 AND c.action = 'remove') \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(t.response_id)
                        .bind(&theme.key)
                        .bind(&theme.sentiment)
                        .bind(theme.confidence)
                        .execute(&mut *tx)
                        .await
                        ?;
                    }
                }
                adjust_rollups!($dialect, tx, ids, 1);
                // New themes, new routes.
                Self::route_responses(&mut *tx, &ids, now_unix()).await?;
                tx.commit().await.map_err(StoreError::from)
            }

            async fn mark_all_for_retagging(&self) -> Result<u64, StoreError> {
                sqlx::query("UPDATE responses SET tagged_version = 0 WHERE reason IS NOT NULL AND tagged_version <> 0")
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(StoreError::from)
            }

            async fn tagging_progress(&self, version: i64) -> Result<(u64, u64), StoreError> {
                let (pending, total): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM responses WHERE reason IS NOT NULL AND tagged_version < $1), \
                     (SELECT COUNT(*) FROM responses WHERE reason IS NOT NULL)",
                )
                .bind(version)
                .fetch_one(&self.pool)
                .await
                ?;
                Ok((pending as u64, total as u64))
            }

            async fn correct_theme(&self, c: &ThemeCorrection) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let sentiment: Option<Option<String>> = sqlx::query_scalar("SELECT sentiment FROM responses WHERE id = $1")
                    .bind(c.response_id)
                    .fetch_optional(&mut *tx)
                    .await
                    ?;
                let Some(sentiment) = sentiment else {
                    return Ok(false);
                };
                adjust_rollups!($dialect, tx, [c.response_id], -1);
                sqlx::query(
                    "INSERT INTO theme_corrections (response_id, theme_key, action, user_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (response_id, theme_key) \
                     DO UPDATE SET action = excluded.action, user_id = excluded.user_id, created_at = excluded.created_at",
                )
                .bind(c.response_id)
                .bind(&c.theme_key)
                .bind(if c.applies { "add" } else { "remove" })
                .bind(c.user_id)
                .bind(c.created_at)
                .execute(&mut *tx)
                .await
                ?;
                if c.applies {
                    // A manually added theme carries the sentiment of the whole text.
                    sqlx::query(
                        "INSERT INTO response_themes (response_id, theme_key, source, sentiment) VALUES ($1, $2, 'manual', $3) \
                         ON CONFLICT (response_id, theme_key) DO UPDATE SET source = 'manual'",
                    )
                    .bind(c.response_id)
                    .bind(&c.theme_key)
                    .bind(sentiment)
                    .execute(&mut *tx)
                    .await
                    ?;
                } else {
                    sqlx::query("DELETE FROM response_themes WHERE response_id = $1 AND theme_key = $2")
                        .bind(c.response_id)
                        .bind(&c.theme_key)
                        .execute(&mut *tx)
                        .await
                        ?;
                }
                adjust_rollups!($dialect, tx, [c.response_id], 1);
                Self::route_responses(&mut *tx, &[c.response_id], c.created_at).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
pub(crate) use taxonomy_store;
