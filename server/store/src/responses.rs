//! Responses: stored once per submission token (with their themes, answers, rollups and customer
//! journeys in the same transaction) and read back as verbatims.

/// Rows per multi-row INSERT: 21 values each stays far below both databases' limits on bound
/// parameters.
pub(crate) const INSERT_ROWS: usize = 200;

/// Implements [`klantstem_core::store::ResponseStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! response_store {
    ($store:ty, $dialect:expr) => {
        impl $store {
            /// Stores responses in one transaction (all or none), deduplicating each by token;
            /// with `progress` (an import's batch) the import's counts move forward and its lease
            /// is renewed in the same transaction.
            async fn insert_batch(
                &self,
                responses: &[NewResponse],
                progress: Option<&ImportBatch<'_>>,
            ) -> Result<Vec<Inserted>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                Self::insert_batch_on(&mut conn, responses, progress).await
            }

            /// [`Self::insert_batch`] on a connection: the group commit's writer keeps one.
            pub(crate) async fn insert_batch_on(
                conn: &mut Conn,
                responses: &[NewResponse],
                progress: Option<&ImportBatch<'_>>,
            ) -> Result<Vec<Inserted>, StoreError> {
                // The responses and their themes are stored together or not at all.
                let mut tx = begin_write!($dialect, conn);
                // An import's batch first renews its lease: if another process took the import
                // over, this one stops here and writes nothing (the row stays locked on
                // PostgreSQL until commit, so a takeover waits for this batch).
                if let Some(batch) = progress {
                    let held = sqlx::query(
                        "UPDATE imports SET lease_until = $3 WHERE id = $1 AND claimed_by = $2 \
                         AND status = 'running'",
                    )
                    .bind(batch.import_id)
                    .bind(&batch.lease.holder)
                    .bind(batch.lease.until)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if held == 0 {
                        return Err(StoreError::LeaseLost);
                    }
                }
                let mut out = Vec::with_capacity(responses.len());
                let mut new_ids = Vec::with_capacity(responses.len());
                let mut customers: Vec<&String> = Vec::new();
                // A group of answers is written in a few statements, not a few per answer: on
                // SQLite every statement is a round trip to the connection's thread.
                let mut fresh = std::collections::HashMap::new();
                for chunk in responses.chunks(INSERT_ROWS) {
                    fresh.extend(Self::insert_rows(&mut *tx, chunk).await?);
                }
                let mut parts = Vec::new();
                for r in responses {
                    let id = match fresh.remove(&r.submission_token) {
                        Some(id) => id,
                        // Stored before, or earlier in this group: a resend.
                        None => {
                            let id: i64 = sqlx::query_scalar("SELECT id FROM responses WHERE submission_token = $1")
                                .bind(&r.submission_token)
                                .fetch_one(&mut *tx)
                                .await?;
                            out.push(Inserted { id, duplicate: true });
                            continue;
                        }
                    };
                    parts.push((id, r));
                    new_ids.push(id);
                    if let Some(hash) = &r.customer_hash {
                        if !customers.contains(&hash) {
                            customers.push(hash);
                        }
                    }
                    out.push(Inserted { id, duplicate: false });
                }
                let themes: Vec<(i64, &domain::model::ThemeTag)> = parts
                    .iter()
                    .flat_map(|(id, r)| r.themes.iter().map(move |t| (*id, t)))
                    .collect();
                for chunk in themes.chunks(INSERT_ROWS) {
                    Self::insert_themes(&mut *tx, chunk).await?;
                }
                // Webhook events only when a webhook listens for them (one query for the group).
                let listening: Vec<String> = sqlx::query_scalar("SELECT events FROM webhooks WHERE active")
                    .fetch_all(&mut *tx)
                    .await?;
                let wants = |kind: &str| listening.iter().any(|e| e.split_whitespace().any(|k| k == kind));
                let (created, detractor) = (wants("response.created"), wants("response.detractor"));
                Self::insert_answers(&mut *tx, &parts).await?;
                for &(id, r) in &parts {
                    insert_labels!(tx, id, r);
                    if created {
                        record_event!(&mut *tx, "response.created", id, r.created_at);
                    }
                    if detractor && r.score.is_some_and(|s| s <= 6) {
                        record_event!(&mut *tx, "response.detractor", id, r.created_at);
                    }
                }
                Self::add_to_rollups(&mut *tx, &parts).await?;
                update_journeys!(tx, customers);
                Self::route_responses(&mut *tx, &new_ids, now_unix()).await?;
                if let Some(&ImportBatch { import_id, processed, failed, .. }) = progress {
                    let created = out.iter().filter(|i| !i.duplicate).count() as i64;
                    sqlx::query(
                        "UPDATE imports SET processed_rows = $2, created_rows = created_rows + $3, \
                         duplicate_rows = duplicate_rows + $4, failed_rows = failed_rows + $5 WHERE id = $1",
                    )
                    .bind(import_id)
                    .bind(processed as i64)
                    .bind(created)
                    .bind(out.len() as i64 - created)
                    .bind(failed as i64)
                    .execute(&mut *tx)
                    .await
                    ?;
                }
                tx.commit().await?;
                Ok(out)
            }

            /// Inserts responses in one statement; answers the token and id of each one that was
            /// new (a token stored before, or twice in `responses`, is stored once).
            async fn insert_rows(
                conn: &mut Conn,
                responses: &[NewResponse],
            ) -> Result<Vec<(String, i64)>, StoreError> {
                const COLUMNS: usize = 21;
                let rows: Vec<String> = (0..responses.len())
                    .map(|i| format!("({})", crate::marks($dialect, i * COLUMNS + 1, COLUMNS)))
                    .collect();
                let sql = format!(
                    "INSERT INTO responses (survey_id, submission_token, score, reason, language, \
                     language_confidence, respondent_locale, channel, journey_phase, contact_email, created_at, \
                     sentiment, sentiment_score, tagged_version, source, customer_hash, customer_ref, entered_by, rating, \
                     sentiment_confidence, consent) VALUES {} \
                     ON CONFLICT (submission_token) DO NOTHING RETURNING submission_token, id",
                    rows.join(", ")
                );
                // Not kept prepared: its text changes with the group's size.
                let mut query = sqlx::query_as::<_, (String, i64)>(&sql).persistent(false);
                for r in responses {
                    query = query
                        .bind(r.survey_id)
                        .bind(&r.submission_token)
                        .bind(r.score.map(i32::from))
                        .bind(&r.reason)
                        .bind(&r.language)
                        .bind(r.language_confidence)
                        .bind(&r.respondent_locale)
                        .bind(&r.channel)
                        .bind(&r.journey_phase)
                        .bind(&r.contact_email)
                        .bind(r.created_at)
                        .bind(&r.sentiment)
                        .bind(r.sentiment_score)
                        .bind(r.taxonomy_version)
                        .bind(&r.source)
                        .bind(&r.customer_hash)
                        .bind(&r.customer_ref)
                        .bind(r.entered_by)
                        .bind(r.rating.map(i32::from))
                        .bind(r.sentiment_confidence)
                        .bind(&r.consent);
                }
                Ok(query.fetch_all(conn).await?)
            }

            /// Inserts the answers to the survey's questions of new or completed responses, in
            /// a statement per [`INSERT_ROWS`] answers.
            async fn insert_answers(conn: &mut Conn, responses: &[(i64, &NewResponse)]) -> Result<(), StoreError> {
                let answers: Vec<(i64, &domain::questions::Answer)> = responses
                    .iter()
                    .flat_map(|(id, r)| r.answers.iter().map(move |a| (*id, a)))
                    .collect();
                for chunk in answers.chunks(INSERT_ROWS) {
                    let rows: Vec<String> = (0..chunk.len())
                        .map(|i| format!("({})", crate::marks($dialect, i * 4 + 1, 4)))
                        .collect();
                    let sql = format!(
                        "INSERT INTO answers (response_id, question_id, value, text) VALUES {} ON CONFLICT DO NOTHING",
                        rows.join(", ")
                    );
                    let mut query = sqlx::query(&sql).persistent(false);
                    for (id, a) in chunk {
                        query = query.bind(*id).bind(a.question_id).bind(a.value).bind(&a.text);
                    }
                    query.execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// Adds what new responses count to the rollups (see [`rollup::NewContribution`]).
            async fn add_to_rollups(conn: &mut Conn, responses: &[(i64, &NewResponse)]) -> Result<(), StoreError> {
                let questions: Vec<i64> = responses
                    .iter()
                    .flat_map(|(_, r)| r.answers.iter().filter(|a| a.value.is_some()).map(|a| a.question_id))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let mut kinds = std::collections::HashMap::new();
                for chunk in questions.chunks(ROUTE_CHUNK) {
                    let marks = crate::marks($dialect, 1, chunk.len());
                    let sql = format!("SELECT id, kind FROM questions WHERE id IN ({marks})");
                    let rows: Vec<(i64, String)> = bind_ids!(sqlx::query_as(&sql).persistent(false), chunk)
                        .fetch_all(&mut *conn)
                        .await?;
                    kinds.extend(rows);
                }
                let counted: Vec<rollup::Counted<'_>> = responses
                    .iter()
                    .map(|(_, r)| {
                        // Stored once per question and per theme (`ON CONFLICT DO NOTHING`).
                        let mut answered = Vec::new();
                        let (mut csat, mut ces) = (Vec::new(), Vec::new());
                        for a in &r.answers {
                            if answered.contains(&a.question_id) {
                                continue;
                            }
                            answered.push(a.question_id);
                            match (a.value, kinds.get(&a.question_id).map(String::as_str)) {
                                (Some(v), Some("csat")) => csat.push(v),
                                (Some(v), Some("ces")) => ces.push(v),
                                _ => {}
                            }
                        }
                        let mut themes: Vec<(&str, Option<&str>, Option<f64>)> = Vec::new();
                        for t in &r.themes {
                            if !themes.iter().any(|x| x.0 == t.key) {
                                themes.push((&t.key, t.sentiment.as_deref(), t.confidence));
                            }
                        }
                        rollup::Counted {
                            survey_id: r.survey_id,
                            created_at: r.created_at,
                            score: r.score,
                            rating: r.rating,
                            has_text: r.reason.is_some(),
                            channel: r.channel.as_deref(),
                            phase: r.journey_phase.as_deref(),
                            language: r.language.as_deref(),
                            csat,
                            ces,
                            themes,
                        }
                    })
                    .collect();
                let add = rollup::NewContribution::of(&counted);
                let scores: Vec<_> = add.scores.into_iter().collect();
                for chunk in scores.chunks(rollup::UPSERT_ROWS) {
                    let sql = rollup::upsert_scores_sql($dialect, chunk.len());
                    let mut query = sqlx::query(&sql).persistent(false);
                    for ((grain, period, survey, channel, phase, language, score), sums) in chunk {
                        query = query.bind(*grain).bind(*period).bind(*survey).bind(channel).bind(phase).bind(language).bind(*score);
                        for v in sums {
                            query = query.bind(*v);
                        }
                    }
                    query.execute(&mut *conn).await?;
                }
                let themes: Vec<_> = add.themes.into_iter().collect();
                for chunk in themes.chunks(rollup::UPSERT_ROWS) {
                    let sql = rollup::upsert_themes_sql($dialect, chunk.len());
                    let mut query = sqlx::query(&sql).persistent(false);
                    for ((grain, period, theme, dim, dim_key, score), sums) in chunk {
                        query = query.bind(*grain).bind(*period).bind(theme).bind(*dim).bind(dim_key).bind(*score);
                        for v in sums {
                            query = query.bind(*v);
                        }
                    }
                    query.execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// Inserts the automatic theme tags of new responses in one statement.
            async fn insert_themes(
                conn: &mut Conn,
                themes: &[(i64, &domain::model::ThemeTag)],
            ) -> Result<(), StoreError> {
                if themes.is_empty() {
                    return Ok(());
                }
                let rows: Vec<String> = (0..themes.len())
                    .map(|i| format!("({}, 'auto')", crate::marks($dialect, i * 4 + 1, 4)))
                    .collect();
                let sql = format!(
                    "INSERT INTO response_themes (response_id, theme_key, sentiment, sentiment_confidence, source) \
                     VALUES {} ON CONFLICT DO NOTHING",
                    rows.join(", ")
                );
                let mut query = sqlx::query(&sql).persistent(false);
                for (id, theme) in themes {
                    query = query
                        .bind(*id)
                        .bind(&theme.key)
                        .bind(&theme.sentiment)
                        .bind(theme.confidence);
                }
                query.execute(conn).await?;
                Ok(())
            }

            /// Loads the themes of these responses (one query for all).
            async fn attach_themes(&self, verbatims: &mut [Verbatim]) -> Result<(), StoreError> {
                if verbatims.is_empty() {
                    return Ok(());
                }
                let placeholders = crate::placeholders(1, verbatims.len());
                let sql = format!(
                    "SELECT response_id, theme_key, sentiment, sentiment_confidence, source FROM response_themes \
                     WHERE response_id IN ({}) ORDER BY response_id, theme_key",
                    placeholders
                );
                type Row = (i64, String, Option<String>, Option<f64>, String);
                let mut query = sqlx::query_as::<_, Row>(&sql);
                for v in verbatims.iter() {
                    query = query.bind(v.id);
                }
                for (id, key, sentiment, confidence, source) in query.fetch_all(&self.pool).await? {
                    if let Some(v) = verbatims.iter_mut().find(|v| v.id == id) {
                        v.themes.push(domain::model::ThemeTag {
                            name: key.clone(),
                            key,
                            sentiment,
                            confidence,
                            manual: source == "manual",
                        });
                    }
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl klantstem_core::store::ResponseStore for $store {
            async fn insert_response(&self, r: &NewResponse) -> Result<Inserted, StoreError> {
                // Through the group commit; directly only when its writer is gone (its runtime ended).
                if let Some(inserted) = self.group.insert(r.clone()).await {
                    return inserted;
                }
                let inserted = self.insert_responses(std::slice::from_ref(r)).await?;
                inserted
                    .into_iter()
                    .next()
                    .ok_or_else(|| StoreError::Backend("insert returned nothing".into()))
            }

            async fn insert_responses(&self, responses: &[NewResponse]) -> Result<Vec<Inserted>, StoreError> {
                self.insert_batch(responses, None).await
            }

            async fn complete_response(&self, r: &NewResponse) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let pending: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM responses WHERE submission_token = $1 AND reason IS NULL",
                )
                .bind(&r.submission_token)
                .fetch_optional(&mut *tx)
                .await
                ?;
                let Some(pending) = pending else {
                    return Ok(false);
                };
                adjust_rollups!($dialect, tx, [pending], -1);
                let updated: Option<(i64, Option<String>)> = sqlx::query_as(
                    "UPDATE responses SET score = $2, reason = $3, language = $4, language_confidence = $5, \
                     contact_email = $6, sentiment = $7, sentiment_score = $8, tagged_version = $9, \
                     customer_hash = COALESCE($10, customer_hash), customer_ref = COALESCE($11, customer_ref), \
                     sentiment_confidence = $12, consent = COALESCE($13, consent) \
                     WHERE submission_token = $1 AND reason IS NULL RETURNING id, customer_hash",
                )
                .bind(&r.submission_token)
                .bind(r.score.map(i32::from))
                .bind(&r.reason)
                .bind(&r.language)
                .bind(r.language_confidence)
                .bind(&r.contact_email)
                .bind(&r.sentiment)
                .bind(r.sentiment_score)
                .bind(r.taxonomy_version)
                .bind(&r.customer_hash)
                .bind(&r.customer_ref)
                .bind(r.sentiment_confidence)
                .bind(&r.consent)
                .fetch_optional(&mut *tx)
                .await
                ?;
                let Some((id, customer)) = updated else {
                    return Ok(false);
                };
                let themes: Vec<(i64, &domain::model::ThemeTag)> = r.themes.iter().map(|t| (id, t)).collect();
                Self::insert_themes(&mut *tx, &themes).await?;
                insert_labels!(tx, id, r);
                Self::insert_answers(&mut *tx, &[(id, r)]).await?;
                adjust_rollups!($dialect, tx, [id], 1);
                update_journeys!(tx, customer.iter());
                // The text and consent arrived: its themes may route it elsewhere, or open a case.
                Self::route_responses(&mut *tx, &[id], now_unix()).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn response_answers(
                &self,
                response_id: i64,
            ) -> Result<Vec<(domain::questions::Question, domain::questions::Answer)>, StoreError> {
                let rows: Vec<(i64, Option<i64>, Option<String>, String, bool, String, bool)> = sqlx::query_as(
                    "SELECT a.question_id, a.value, a.text, q.kind, q.required, q.texts, q.retired \
                     FROM answers a JOIN questions q ON q.id = a.question_id \
                     WHERE a.response_id = $1 ORDER BY q.position, q.id",
                )
                .bind(response_id)
                .fetch_all(&self.pool)
                .await
                ?;
                rows.into_iter()
                    .map(|(question_id, value, text, kind, required, texts, retired)| {
                        let kind = domain::questions::QuestionKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt { what: "question kind", detail: kind.clone() })?;
                        Ok((
                            domain::questions::Question {
                                id: question_id,
                                kind,
                                required,
                                texts: crate::rows::json("question texts", &texts)?,
                                retired,
                            },
                            domain::questions::Answer { question_id, value, text },
                        ))
                    })
                    .collect()
            }

            async fn count_responses(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
                    .fetch_one(&self.pool)
                    .await
                    ?;
                Ok(n as u64)
            }

            async fn latest_verbatims(&self, limit: u32) -> Result<Vec<Verbatim>, StoreError> {
                let rows: Vec<VerbatimRow> = sqlx::query_as(
                    &format!("{VERBATIM_SELECT} WHERE r.reason IS NOT NULL ORDER BY r.created_at DESC, r.id DESC LIMIT $1"),
                )
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                ?;
                let mut verbatims: Vec<Verbatim> = rows.into_iter().map(verbatim_from_row).collect();
                self.attach_themes(&mut verbatims).await?;
                Ok(verbatims)
            }

            async fn response(&self, id: i64) -> Result<Option<Verbatim>, StoreError> {
                let row: Option<VerbatimRow> = sqlx::query_as(
                    &format!("{VERBATIM_SELECT} WHERE r.id = $1"),
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                ?;
                let mut found: Vec<Verbatim> = row.into_iter().map(verbatim_from_row).collect();
                self.attach_themes(&mut found).await?;
                Ok(found.pop())
            }

            async fn list_responses(&self, filter: &ResponseFilter, limit: u32) -> Result<Vec<Verbatim>, StoreError> {
                let (conditions, binds) = filter_sql(filter, $dialect);
                let sql = format!(
                    "{VERBATIM_SELECT} WHERE {} ORDER BY r.created_at DESC, r.id DESC LIMIT {}",
                    conditions,
                    limit.min(500)
                );
                let query = bind_all!(sqlx::query_as::<_, VerbatimRow>(&sql), binds);
                let mut verbatims: Vec<Verbatim> = query
                    .fetch_all(&self.pool)
                    .await
                    ?
                    .into_iter()
                    .map(verbatim_from_row)
                    .collect();
                self.attach_themes(&mut verbatims).await?;
                Ok(verbatims)
            }

            async fn customer_contacts(
                &self,
                from: i64,
                to: i64,
            ) -> Result<(Vec<domain::switches::Contact>, Vec<(i64, String)>), StoreError> {
                type Row = (i64, Option<String>, Option<i32>, i64, Option<i64>, Option<String>, Option<i64>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT id, channel, score, created_at, prev_id, prev_channel, prev_at FROM ( \
                       SELECT r.id, r.channel, r.score, r.created_at, \
                         LAG(r.id) OVER w AS prev_id, LAG(r.channel) OVER w AS prev_channel, \
                         LAG(r.created_at) OVER w AS prev_at \
                       FROM responses r WHERE r.customer_hash IS NOT NULL AND r.created_at < $2 \
                       WINDOW w AS (PARTITION BY r.customer_hash ORDER BY r.created_at, r.id)) x \
                     WHERE created_at >= $1 ORDER BY created_at, id LIMIT 200000",
                )
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                let themes: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT t.response_id, t.theme_key FROM response_themes t JOIN responses r ON r.id = t.response_id \
                     WHERE r.customer_hash IS NOT NULL AND r.created_at >= $1 - 90 * 86400 AND r.created_at < $2",
                )
                .bind(from)
                .bind(to)
                .fetch_all(&self.pool)
                .await?;
                let contacts = rows
                    .into_iter()
                    .map(|(id, channel, score, at, prev_id, prev_channel, prev_at)| domain::switches::Contact {
                        id,
                        channel,
                        score: score.map(|s| s.clamp(0, 10) as u8),
                        at,
                        previous: prev_id.zip(prev_at).map(|(p, a)| (p, prev_channel, a)),
                    })
                    .collect();
                Ok((contacts, themes))
            }

            async fn customer_responses(&self, customer_hash: &str, limit: u32) -> Result<Vec<Verbatim>, StoreError> {
                let rows: Vec<VerbatimRow> = sqlx::query_as(&format!(
                    "{VERBATIM_SELECT} WHERE r.customer_hash = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2"
                ))
                .bind(customer_hash)
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                ?;
                let mut verbatims: Vec<Verbatim> = rows.into_iter().map(verbatim_from_row).collect();
                self.attach_themes(&mut verbatims).await?;
                Ok(verbatims)
            }

            async fn texts_between(&self, from: i64, to: i64, limit: u32) -> Result<Vec<PeriodText>, StoreError> {
                let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
                    "SELECT reason, language, respondent_locale FROM responses \
                     WHERE reason IS NOT NULL AND created_at >= $1 AND created_at < $2 \
                     ORDER BY created_at DESC LIMIT $3",
                )
                .bind(from)
                .bind(to)
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                ?;
                Ok(rows
                    .into_iter()
                    .map(|(text, language, respondent_locale)| PeriodText { text, language, respondent_locale })
                    .collect())
            }
        }
    };
}
pub(crate) use response_store;
