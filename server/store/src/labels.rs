//! People's sentiment labels, the review queue and how the lexicon did on the labels.

/// Implements [`klantstem_core::store::LabelStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! label_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::LabelStore for $store {
            async fn label_sentiment(
                &self,
                response_id: i64,
                sentiment: &str,
                user_id: i64,
                now: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                // The lexicon's verdict is kept once: a relabel does not overwrite it with the
                // first label.
                let automatic: Option<Option<String>> = sqlx::query_scalar(
                    "SELECT CASE WHEN l.response_id IS NULL THEN r.sentiment ELSE l.automatic END \
                     FROM responses r LEFT JOIN sentiment_labels l ON l.response_id = r.id \
                     WHERE r.id = $1 AND r.reason IS NOT NULL",
                )
                .bind(response_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(automatic) = automatic else {
                    return Ok(false);
                };
                sqlx::query(
                    "INSERT INTO sentiment_labels (response_id, sentiment, automatic, source, user_id, created_at) \
                     VALUES ($1, $2, $3, 'staff', $4, $5) ON CONFLICT (response_id) DO UPDATE SET \
                     sentiment = excluded.sentiment, source = 'staff', user_id = excluded.user_id, \
                     created_at = excluded.created_at",
                )
                .bind(response_id)
                .bind(sentiment)
                .bind(automatic)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE responses SET sentiment = $2, sentiment_confidence = 1.0 WHERE id = $1")
                    .bind(response_id)
                    .bind(sentiment)
                    .execute(&mut *tx)
                    .await?;
                // Rules may look at the sentiment.
                Self::route_responses(&mut *tx, &[response_id], now).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn label_theme_sentiment(
                &self,
                response_id: i64,
                theme_key: &str,
                sentiment: &str,
                user_id: i64,
                now: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                // The analysis's verdict on the sentence is kept once, as for a text's label.
                let automatic: Option<Option<String>> = sqlx::query_scalar(
                    "SELECT CASE WHEN l.response_id IS NULL THEN t.sentiment ELSE l.automatic END \
                     FROM response_themes t LEFT JOIN theme_sentiment_labels l \
                       ON l.response_id = t.response_id AND l.theme_key = t.theme_key \
                     WHERE t.response_id = $1 AND t.theme_key = $2",
                )
                .bind(response_id)
                .bind(theme_key)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(automatic) = automatic else {
                    return Ok(false);
                };
                adjust_rollups!($dialect, tx, [response_id], -1);
                sqlx::query(
                    "INSERT INTO theme_sentiment_labels (response_id, theme_key, sentiment, automatic, user_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (response_id, theme_key) DO UPDATE SET \
                     sentiment = excluded.sentiment, user_id = excluded.user_id, created_at = excluded.created_at",
                )
                .bind(response_id)
                .bind(theme_key)
                .bind(sentiment)
                .bind(automatic)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE response_themes SET sentiment = $3, sentiment_confidence = 1.0 \
                     WHERE response_id = $1 AND theme_key = $2",
                )
                .bind(response_id)
                .bind(theme_key)
                .bind(sentiment)
                .execute(&mut *tx)
                .await?;
                adjust_rollups!($dialect, tx, [response_id], 1);
                // Rules may look at a theme's sentiment.
                Self::route_responses(&mut *tx, &[response_id], now).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn sentiment_label(&self, response_id: i64) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar("SELECT sentiment FROM sentiment_labels WHERE response_id = $1")
                    .bind(response_id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn review_candidates(&self, limit: u32) -> Result<Vec<domain::labels::ReviewCandidate>, StoreError> {
                type Row = (i64, String, Option<String>, Option<String>, Option<String>, Option<f64>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT r.id, r.reason, r.language, \
                     (SELECT MIN(t.theme_key) FROM response_themes t WHERE t.response_id = r.id), \
                     r.sentiment, r.sentiment_confidence FROM responses r \
                     WHERE r.reason IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM sentiment_labels l WHERE l.response_id = r.id) \
                     ORDER BY COALESCE(r.sentiment_confidence, 0), r.id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(response_id, text, language, theme, sentiment, confidence)| {
                        domain::labels::ReviewCandidate {
                            response_id,
                            text,
                            language,
                            theme,
                            sentiment,
                            confidence,
                        }
                    })
                    .collect())
            }

            async fn theme_examples(
                &self,
                key: &str,
                limit: u32,
            ) -> Result<(Vec<(String, String)>, Vec<(String, String)>), StoreError> {
                let theme: Vec<(String, String)> = sqlx::query_as(
                    "SELECT r.reason, COALESCE(r.language, r.respondent_locale) FROM theme_corrections c \
                     JOIN responses r ON r.id = c.response_id \
                     WHERE c.theme_key = $1 AND c.action = 'add' AND r.reason IS NOT NULL \
                     ORDER BY c.created_at DESC, r.id DESC LIMIT $2",
                )
                .bind(key)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                let others: Vec<(String, String)> = sqlx::query_as(
                    "SELECT r.reason, COALESCE(r.language, r.respondent_locale) FROM responses r \
                     WHERE r.reason IS NOT NULL AND NOT EXISTS \
                     (SELECT 1 FROM response_themes t WHERE t.response_id = r.id AND t.theme_key = $1) \
                     ORDER BY r.created_at DESC, r.id DESC LIMIT $2",
                )
                .bind(key)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok((theme, others))
            }

            async fn labelled_texts(&self, limit: u32) -> Result<Vec<klantstem_core::store::LabelledText>, StoreError> {
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT r.id, r.reason, COALESCE(r.language, r.respondent_locale), l.sentiment \
                     FROM sentiment_labels l JOIN responses r ON r.id = l.response_id \
                     WHERE r.reason IS NOT NULL ORDER BY l.created_at DESC, r.id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(response_id, text, language, sentiment)| klantstem_core::store::LabelledText {
                        response_id,
                        text,
                        language,
                        sentiment,
                    })
                    .collect())
            }

            async fn theme_labelled_texts(
                &self,
                limit: u32,
            ) -> Result<Vec<klantstem_core::store::ThemeLabelledText>, StoreError> {
                // The newest `limit` texts with a theme label, then all their labels.
                let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT r.id, r.reason, COALESCE(r.language, r.respondent_locale), c.theme_key, c.action \
                     FROM theme_corrections c JOIN responses r ON r.id = c.response_id \
                     WHERE r.reason IS NOT NULL AND r.id IN (SELECT x.response_id FROM theme_corrections x \
                       GROUP BY x.response_id ORDER BY MAX(x.created_at) DESC, x.response_id DESC LIMIT $1) \
                     ORDER BY r.id DESC, c.theme_key",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                let mut out: Vec<klantstem_core::store::ThemeLabelledText> = Vec::new();
                for (response_id, text, language, key, action) in rows {
                    if out.last().is_none_or(|t| t.response_id != response_id) {
                        out.push(klantstem_core::store::ThemeLabelledText {
                            response_id,
                            text,
                            language,
                            themes: Vec::new(),
                        });
                    }
                    if let Some(t) = out.last_mut() {
                        t.themes.push((key, action == "add"));
                    }
                }
                Ok(out)
            }

            async fn label_stats(&self) -> Result<domain::labels::LabelStats, StoreError> {
                let (labelled, compared, right): (i64, i64, i64) = sqlx::query_as(
                    "SELECT COUNT(*), COUNT(automatic), \
                     COALESCE(SUM(CASE WHEN automatic = sentiment THEN 1 ELSE 0 END), 0) FROM sentiment_labels",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(domain::labels::LabelStats {
                    labelled: labelled as u64,
                    compared: compared as u64,
                    lexicon_right: right as u64,
                })
            }
        }
    };
}
pub(crate) use label_store;
