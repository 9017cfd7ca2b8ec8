//! Storage: the [`Store`] interface (defined in `app::backend`) on SQLite and on PostgreSQL.
//!
//! The queries are written once (in [`sql_store!`]) in a dialect both databases accept: `$N`
//! placeholders, `ON CONFLICT`, `RETURNING`. Connection setup and migrations are per backend.

use app::backend::{Store, StoreError};
use std::sync::Arc;

pub mod postgres;
pub(crate) mod rollup;
pub mod sqlite;

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`) and applies migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        Err(StoreError::Backend(format!(
            "unsupported database URL {url:?}: use sqlite://PATH or postgres://…"
        )))
    }
}

/// Begins a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), waiting
/// out `busy_timeout` for another writer: a deferred transaction that first reads and then writes
/// cannot wait (the upgrade could deadlock), so a burst of concurrent answers made some fail with
/// "database is locked".
macro_rules! begin_write {
    ($backend:literal, $pool:expr) => {
        $pool
            .begin_with(if $backend == "sqlite" {
                "BEGIN IMMEDIATE"
            } else {
                "BEGIN"
            })
            .await
            .map_err(map_err)?
    };
}
pub(crate) use begin_write;

/// Inserts `$survey` (a `NewSurvey`) through `$executor`, answering its id.
macro_rules! insert_survey {
    ($executor:expr, $survey:expr) => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO surveys (slug, title_nl, title_en, is_open, created_at, texts, embed_origins) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&$survey.slug)
        .bind(&$survey.title_nl)
        .bind(&$survey.title_en)
        .bind($survey.open)
        .bind($survey.created_at)
        .bind(serde_json::to_string(&$survey.texts).unwrap_or_else(|_| "{}".into()))
        .bind($survey.embed_origins.join(" "))
        .fetch_one($executor)
        .await
        .map_err(map_err)
    };
}
pub(crate) use insert_survey;

pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.message().to_string())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

pub(crate) fn migrate_err(e: sqlx::migrate::MigrateError) -> StoreError {
    StoreError::Backend(format!("migration failed: {e}"))
}

/// Binds the parameters of [`filter_sql`] to a query.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for b in $binds {
            query = match b {
                Bind::Int(v) => query.bind(v),
                Bind::Text(v) => query.bind(v),
            };
        }
        query
    }};
}
pub(crate) use bind_all;

/// Stores a new response's automatic themes and its answers, in transaction `$tx`.
macro_rules! insert_parts {
    ($tx:ident, $id:expr, $r:expr) => {
        for theme in &$r.themes {
            sqlx::query(
                "INSERT INTO response_themes (response_id, theme_key, source, sentiment) \
                 VALUES ($1, $2, 'auto', $3) ON CONFLICT DO NOTHING",
            )
            .bind($id)
            .bind(&theme.key)
            .bind(&theme.sentiment)
            .execute(&mut *$tx)
            .await
            .map_err(map_err)?;
        }
        for a in &$r.answers {
            sqlx::query(
                "INSERT INTO answers (response_id, question_id, value, text) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind($id)
            .bind(a.question_id)
            .bind(a.value)
            .bind(&a.text)
            .execute(&mut *$tx)
            .await
            .map_err(map_err)?;
        }
    };
}
pub(crate) use insert_parts;

/// Adds (`$sign` 1) or subtracts (-1) the contribution of responses `$ids` to the rollups, in
/// transaction `$tx`: subtract before a change to a stored response, add after it.
macro_rules! adjust_rollups {
    ($backend:expr, $tx:ident, $ids:expr, $sign:expr) => {
        for chunk in $ids.chunks(500) {
            for sql in $crate::storage::rollup::adjust_sql($backend, chunk.len(), $sign) {
                let mut query = sqlx::query(&sql);
                for id in chunk {
                    query = query.bind(*id);
                }
                query.execute(&mut *$tx).await.map_err(map_err)?;
            }
        }
    };
}
pub(crate) use adjust_rollups;

/// Recomputes the journeys of customers `$hashes` (see [`rollup::JOURNEY_SQL`]) in `$tx`.
macro_rules! update_journeys {
    ($tx:ident, $hashes:expr) => {
        for hash in $hashes {
            sqlx::query($crate::storage::rollup::JOURNEY_SQL)
                .bind(hash)
                .execute(&mut *$tx)
                .await
                .map_err(map_err)?;
        }
    };
}
pub(crate) use update_journeys;

/// Implements [`Store`] for a struct with a `pool` field of one sqlx backend.
macro_rules! sql_store {
    ($store:ty, $backend:literal) => {
        impl $store {
            /// Stores responses in one transaction (all or none), deduplicating each by token;
            /// with `progress` (import id, rows processed, rows refused) the import's counts
            /// move forward in the same transaction.
            async fn insert_batch(
                &self,
                responses: &[NewResponse],
                progress: Option<(i64, u64, u64)>,
            ) -> Result<Vec<Inserted>, StoreError> {
                // The responses and their themes are stored together or not at all.
                let mut tx = begin_write!($backend, self.pool);
                let mut out = Vec::with_capacity(responses.len());
                let mut new_ids = Vec::with_capacity(responses.len());
                let mut customers: Vec<&String> = Vec::new();
                for r in responses {
                    let id: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO responses (survey_id, submission_token, score, reason, language, \
                         language_confidence, respondent_locale, channel, journey_phase, contact_email, created_at, \
                         sentiment, sentiment_score, tagged_version, source, customer_hash, customer_ref, entered_by) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
                         ON CONFLICT (submission_token) DO NOTHING RETURNING id",
                    )
                    .bind(r.survey_id)
                    .bind(&r.submission_token)
                    .bind(r.score as i32)
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
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    let Some(id) = id else {
                        let id: i64 = sqlx::query_scalar("SELECT id FROM responses WHERE submission_token = $1")
                            .bind(&r.submission_token)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        out.push(Inserted { id, duplicate: true });
                        continue;
                    };
                    insert_parts!(tx, id, r);
                    new_ids.push(id);
                    if let Some(hash) = &r.customer_hash {
                        if !customers.contains(&hash) {
                            customers.push(hash);
                        }
                    }
                    out.push(Inserted { id, duplicate: false });
                }
                adjust_rollups!($backend, tx, new_ids, 1);
                update_journeys!(tx, customers);
                if let Some((import_id, processed, failed)) = progress {
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
                    .map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(out)
            }
        }

        #[async_trait::async_trait]
        impl app::backend::Store for $store {
            fn backend_name(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(map_err)
            }

            async fn create_user(&self, user: &NewUser) -> Result<i64, StoreError> {
                sqlx::query_scalar(
                    "INSERT INTO users (email, display_name, password_hash, role, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(user.email.trim().to_lowercase())
                .bind(&user.display_name)
                .bind(&user.password_hash)
                .bind(user.role.as_str())
                .bind(now_unix())
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
                let row: Option<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT id, email, display_name, role, password_hash FROM users WHERE email = $1",
                )
                .bind(email.trim().to_lowercase())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
                row.map(|(id, email, display_name, role, password_hash)| {
                    Ok(UserRecord {
                        info: user_info(id, email, display_name, &role)?,
                        password_hash,
                    })
                })
                .transpose()
            }

            async fn count_users(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
                    .fetch_one(&self.pool)
                    .await
                    .map_err(map_err)?;
                Ok(n as u64)
            }

            async fn create_session(&self, token_hash: &str, user_id: i64, created_at: i64, expires_at: i64) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(created_at)
                    .bind(expires_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
            }

            async fn session_user(&self, token_hash: &str, now: i64) -> Result<Option<UserInfo>, StoreError> {
                let row: Option<(i64, String, String, String)> = sqlx::query_as(
                    "SELECT u.id, u.email, u.display_name, u.role FROM sessions s \
                     JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
                row.map(|(id, email, name, role)| user_info(id, email, name, &role)).transpose()
            }

            async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
            }

            async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(map_err)
            }

            async fn create_survey(&self, survey: &NewSurvey) -> Result<i64, StoreError> {
                insert_survey!(&self.pool, survey)
            }

            async fn duplicate_survey(&self, source_id: i64, copy: &NewSurvey) -> Result<i64, StoreError> {
                // The copy and its questions together or not at all.
                let mut tx = begin_write!($backend, self.pool);
                let id = insert_survey!(&mut *tx, copy)?;
                // Fresh questions (no answers yet) in the same order; retired ones left out.
                sqlx::query(
                    "INSERT INTO questions (survey_id, position, kind, required, texts, created_at) \
                     SELECT $1, position, kind, required, texts, $2 FROM questions \
                     WHERE survey_id = $3 AND retired = $4 ORDER BY position, id",
                )
                .bind(id)
                .bind(copy.created_at)
                .bind(source_id)
                .bind(false)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
                Ok(id)
            }

            async fn survey_by_slug(&self, slug: &str) -> Result<Option<Survey>, StoreError> {
                let row: Option<SurveyRow> = sqlx::query_as(
                    &format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE slug = $1"),
                )
                .bind(slug)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
                Ok(row.map(survey_from_row))
            }

            async fn list_surveys(&self) -> Result<Vec<Survey>, StoreError> {
                let rows: Vec<SurveyRow> = sqlx::query_as(
                    &format!("SELECT {SURVEY_COLUMNS} FROM surveys ORDER BY id"),
                )
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                Ok(rows.into_iter().map(survey_from_row).collect())
            }

            async fn update_survey(&self, survey: &Survey) -> Result<bool, StoreError> {
                sqlx::query(
                    "UPDATE surveys SET title_nl = $2, title_en = $3, texts = $4, embed_origins = $5 WHERE id = $1",
                )
                .bind(survey.id)
                .bind(&survey.title_nl)
                .bind(&survey.title_en)
                .bind(serde_json::to_string(&survey.texts).unwrap_or_else(|_| "{}".into()))
                .bind(survey.embed_origins.join(" "))
                .execute(&self.pool)
                .await
                .map(|r| r.rows_affected() == 1)
                .map_err(map_err)
            }

            async fn set_survey_state(&self, id: i64, open: bool, archived: bool) -> Result<bool, StoreError> {
                sqlx::query("UPDATE surveys SET is_open = $2, archived = $3 WHERE id = $1")
                    .bind(id)
                    .bind(open)
                    .bind(archived)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(map_err)
            }

            async fn insert_response(&self, r: &NewResponse) -> Result<Inserted, StoreError> {
                let inserted = self.insert_responses(std::slice::from_ref(r)).await?;
                inserted
                    .into_iter()
                    .next()
                    .ok_or_else(|| StoreError::Backend("insert returned nothing".into()))
            }

            async fn insert_responses(&self, responses: &[NewResponse]) -> Result<Vec<Inserted>, StoreError> {
                self.insert_batch(responses, None).await
            }

            async fn insert_import_batch(
                &self,
                import_id: i64,
                responses: &[NewResponse],
                processed: u64,
                failed: u64,
            ) -> Result<Vec<Inserted>, StoreError> {
                self.insert_batch(responses, Some((import_id, processed, failed))).await
            }

            async fn complete_response(&self, r: &NewResponse) -> Result<bool, StoreError> {
                let mut tx = begin_write!($backend, self.pool);
                let pending: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM responses WHERE submission_token = $1 AND reason IS NULL",
                )
                .bind(&r.submission_token)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
                let Some(pending) = pending else {
                    return Ok(false);
                };
                adjust_rollups!($backend, tx, [pending], -1);
                let updated: Option<(i64, Option<String>)> = sqlx::query_as(
                    "UPDATE responses SET score = $2, reason = $3, language = $4, language_confidence = $5, \
                     contact_email = $6, sentiment = $7, sentiment_score = $8, tagged_version = $9, \
                     customer_hash = COALESCE($10, customer_hash), customer_ref = COALESCE($11, customer_ref) \
                     WHERE submission_token = $1 AND reason IS NULL RETURNING id, customer_hash",
                )
                .bind(&r.submission_token)
                .bind(r.score as i32)
                .bind(&r.reason)
                .bind(&r.language)
                .bind(r.language_confidence)
                .bind(&r.contact_email)
                .bind(&r.sentiment)
                .bind(r.sentiment_score)
                .bind(r.taxonomy_version)
                .bind(&r.customer_hash)
                .bind(&r.customer_ref)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
                let Some((id, customer)) = updated else {
                    return Ok(false);
                };
                insert_parts!(tx, id, r);
                adjust_rollups!($backend, tx, [id], 1);
                update_journeys!(tx, customer.iter());
                tx.commit().await.map_err(map_err)?;
                Ok(true)
            }

            async fn survey_questions(&self, survey_id: i64) -> Result<Vec<app::questions::Question>, StoreError> {
                let rows: Vec<(i64, String, bool, String, bool)> = sqlx::query_as(
                    "SELECT id, kind, required, texts, retired FROM questions WHERE survey_id = $1 ORDER BY position, id",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                rows.into_iter()
                    .map(|(id, kind, required, texts, retired)| {
                        Ok(app::questions::Question {
                            id,
                            kind: app::questions::QuestionKind::parse(&kind)
                                .ok_or_else(|| StoreError::Backend(format!("unknown question kind {kind:?}")))?,
                            required,
                            texts: serde_json::from_str(&texts).unwrap_or_default(),
                            retired,
                        })
                    })
                    .collect()
            }

            async fn add_question(
                &self,
                survey_id: i64,
                kind: app::questions::QuestionKind,
                required: bool,
                texts: &app::questions::QuestionTexts,
                now: i64,
            ) -> Result<i64, StoreError> {
                sqlx::query_scalar(
                    "INSERT INTO questions (survey_id, position, kind, required, texts, created_at) \
                     SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5 FROM questions WHERE survey_id = $1 \
                     RETURNING id",
                )
                .bind(survey_id)
                .bind(kind.as_str())
                .bind(required)
                .bind(serde_json::to_string(texts).unwrap_or_else(|_| "{}".into()))
                .bind(now)
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)
            }

            async fn update_question(
                &self,
                survey_id: i64,
                id: i64,
                required: bool,
                texts: &app::questions::QuestionTexts,
            ) -> Result<bool, StoreError> {
                sqlx::query("UPDATE questions SET required = $3, texts = $4 WHERE id = $1 AND survey_id = $2")
                    .bind(id)
                    .bind(survey_id)
                    .bind(required)
                    .bind(serde_json::to_string(texts).unwrap_or_else(|_| "{}".into()))
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(map_err)
            }

            async fn question_answered(&self, id: i64) -> Result<bool, StoreError> {
                let answered: Option<i64> = sqlx::query_scalar("SELECT question_id FROM answers WHERE question_id = $1 LIMIT 1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                Ok(answered.is_some())
            }

            async fn move_question(&self, survey_id: i64, id: i64, up: bool) -> Result<bool, StoreError> {
                let mut tx = begin_write!($backend, self.pool);
                let rows: Vec<(i64, i32)> = sqlx::query_as(
                    "SELECT id, position FROM questions WHERE survey_id = $1 ORDER BY position, id",
                )
                .bind(survey_id)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_err)?;
                let Some(at) = rows.iter().position(|(q, _)| *q == id) else {
                    return Ok(false);
                };
                let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|o| *o < rows.len()) };
                let Some(other) = other else {
                    return Ok(false);
                };
                // Renumber in the new order, so equal positions cannot stall a move.
                let mut order: Vec<i64> = rows.iter().map(|(q, _)| *q).collect();
                order.swap(at, other);
                for (position, q) in order.iter().enumerate() {
                    sqlx::query("UPDATE questions SET position = $2 WHERE id = $1")
                        .bind(*q)
                        .bind(position as i32 + 1)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)?;
                Ok(true)
            }

            async fn remove_question(&self, survey_id: i64, id: i64) -> Result<Option<bool>, StoreError> {
                let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM questions WHERE id = $1 AND survey_id = $2")
                    .bind(id)
                    .bind(survey_id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                if exists.is_none() {
                    return Ok(None);
                }
                let answered: Option<i64> = sqlx::query_scalar("SELECT question_id FROM answers WHERE question_id = $1 LIMIT 1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                if answered.is_some() {
                    sqlx::query("UPDATE questions SET retired = $2 WHERE id = $1")
                        .bind(id)
                        .bind(true)
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?;
                    Ok(Some(true))
                } else {
                    sqlx::query("DELETE FROM questions WHERE id = $1")
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(map_err)?;
                    Ok(Some(false))
                }
            }

            async fn response_answers(
                &self,
                response_id: i64,
            ) -> Result<Vec<(app::questions::Question, app::questions::Answer)>, StoreError> {
                let rows: Vec<(i64, Option<i64>, Option<String>, String, bool, String, bool)> = sqlx::query_as(
                    "SELECT a.question_id, a.value, a.text, q.kind, q.required, q.texts, q.retired \
                     FROM answers a JOIN questions q ON q.id = a.question_id \
                     WHERE a.response_id = $1 ORDER BY q.position, q.id",
                )
                .bind(response_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                rows.into_iter()
                    .map(|(question_id, value, text, kind, required, texts, retired)| {
                        let kind = app::questions::QuestionKind::parse(&kind)
                            .ok_or_else(|| StoreError::Backend(format!("unknown question kind {kind:?}")))?;
                        Ok((
                            app::questions::Question {
                                id: question_id,
                                kind,
                                required,
                                texts: serde_json::from_str(&texts).unwrap_or_default(),
                                retired,
                            },
                            app::questions::Answer { question_id, value, text },
                        ))
                    })
                    .collect()
            }

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
                .map_err(map_err)
            }

            async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
                let rows: Vec<ApiTokenRow> = sqlx::query_as(
                    "SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id DESC",
                )
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                Ok(rows.into_iter().map(api_token_from_row).collect())
            }

            async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError> {
                let row: Option<ApiTokenRow> = sqlx::query_as(
                    "SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at FROM api_tokens WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
                Ok(row.map(api_token_from_row))
            }

            async fn touch_api_token(&self, id: i64, now: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
            }

            async fn revoke_api_token(&self, id: i64, now: i64) -> Result<bool, StoreError> {
                sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                    .bind(id)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(map_err)
            }

            async fn stored_answer(&self, token_id: i64, key: &str) -> Result<Option<StoredAnswer>, StoreError> {
                let row: Option<(String, i32, String)> = sqlx::query_as(
                    "SELECT request_hash, status, body FROM idempotency_keys WHERE token_id = $1 AND idem_key = $2",
                )
                .bind(token_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
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
                .map_err(map_err)
            }

            async fn create_import(&self, i: &NewImport) -> Result<i64, StoreError> {
                sqlx::query_scalar(
                    "INSERT INTO imports (created_by, created_at, filename, content_hash, content) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(i.created_by)
                .bind(i.created_at)
                .bind(&i.filename)
                .bind(&i.content_hash)
                .bind(&i.content)
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)
            }

            async fn import_record(&self, id: i64) -> Result<Option<ImportRecord>, StoreError> {
                // Tuples decode at most 16 columns: read the summary and the rest separately.
                let summary: Option<ImportRow> = sqlx::query_as(&format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                let Some(summary) = summary else {
                    return Ok(None);
                };
                let (created_by, content_hash, content, mapping, report): (Option<i64>, String, String, Option<String>, Option<String>) =
                    sqlx::query_as("SELECT created_by, content_hash, content, mapping, report FROM imports WHERE id = $1")
                        .bind(id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(map_err)?;
                Ok(Some(ImportRecord {
                    summary: import_from_row(summary),
                    created_by,
                    content_hash,
                    content,
                    mapping,
                    report,
                }))
            }

            async fn list_imports(&self, limit: u32) -> Result<Vec<app::import::ImportSummary>, StoreError> {
                let rows: Vec<ImportRow> = sqlx::query_as(&format!(
                    "SELECT {IMPORT_COLUMNS} FROM imports ORDER BY id DESC LIMIT $1"
                ))
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                Ok(rows.into_iter().map(import_from_row).collect())
            }

            async fn start_import(&self, id: i64, mapping: &str, total: u64) -> Result<bool, StoreError> {
                sqlx::query(
                    "UPDATE imports SET mapping = $2, status = 'running', total_rows = $3, processed_rows = 0, \
                     created_rows = 0, duplicate_rows = 0, failed_rows = 0, report = NULL, finished_at = NULL \
                     WHERE id = $1 AND status IN ('uploaded', 'failed')",
                )
                .bind(id)
                .bind(mapping)
                .bind(total as i64)
                .execute(&self.pool)
                .await
                .map(|r| r.rows_affected() == 1)
                .map_err(map_err)
            }

            async fn import_progress(&self, id: i64, processed: u64, created: u64, duplicates: u64, failed: u64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE imports SET processed_rows = $2, created_rows = $3, duplicate_rows = $4, failed_rows = $5 WHERE id = $1",
                )
                .bind(id)
                .bind(processed as i64)
                .bind(created as i64)
                .bind(duplicates as i64)
                .bind(failed as i64)
                .execute(&self.pool)
                .await
                .map(|_| ())
                .map_err(map_err)
            }

            async fn finish_import(&self, id: i64, status: &str, report: &str, now: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE imports SET status = $2, report = $3, finished_at = $4 WHERE id = $1")
                    .bind(id)
                    .bind(status)
                    .bind(report)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
            }

            async fn instance_secret(&self, name: &str, initial: &str) -> Result<String, StoreError> {
                sqlx::query("INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(name)
                    .bind(initial)
                    .execute(&self.pool)
                    .await
                    .map_err(map_err)?;
                sqlx::query_scalar("SELECT value FROM instance_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(map_err)
            }

            async fn count_responses(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
                    .fetch_one(&self.pool)
                    .await
                    .map_err(map_err)?;
                Ok(n as u64)
            }

            async fn latest_verbatims(&self, limit: u32) -> Result<Vec<Verbatim>, StoreError> {
                let rows: Vec<VerbatimRow> = sqlx::query_as(
                    &format!("{VERBATIM_SELECT} WHERE r.reason IS NOT NULL ORDER BY r.created_at DESC, r.id DESC LIMIT $1"),
                )
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
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
                .map_err(map_err)?;
                let mut found: Vec<Verbatim> = row.into_iter().map(verbatim_from_row).collect();
                self.attach_themes(&mut found).await?;
                Ok(found.pop())
            }

            async fn scores(&self, filter: &ResponseFilter, by: Grouping) -> Result<Vec<GroupScores>, StoreError> {
                let planned = if self.rollups.load(std::sync::atomic::Ordering::Relaxed) {
                    rollup::plan(filter, by, $backend)
                } else {
                    None
                };
                let (sql, binds) = match planned {
                    Some(q) => (q.sql, q.binds),
                    None => scan_sql(filter, by, $backend),
                };
                let query = bind_all!(sqlx::query_as::<_, rollup::ScoresRow>(&sql), binds);
                rollup::collect(query.fetch_all(&self.pool).await.map_err(map_err)?, by)
            }

            async fn customer_movement(&self, filter: &ResponseFilter) -> Result<Vec<(u8, u8, u64)>, StoreError> {
                let (sql, binds) = rollup::movement_sql(filter, $backend);
                let query = bind_all!(sqlx::query_as::<_, (i32, i32, i64)>(&sql), binds);
                Ok(query
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?
                    .into_iter()
                    .map(|(f, l, n)| (f.clamp(0, 10) as u8, l.clamp(0, 10) as u8, n as u64))
                    .collect())
            }

            fn set_rollups(&self, enabled: bool) {
                self.rollups.store(enabled, std::sync::atomic::Ordering::Relaxed);
            }

            async fn list_responses(&self, filter: &ResponseFilter, limit: u32) -> Result<Vec<Verbatim>, StoreError> {
                let (conditions, binds) = filter_sql(filter, $backend);
                let sql = format!(
                    "{VERBATIM_SELECT} WHERE {} ORDER BY r.created_at DESC, r.id DESC LIMIT {}",
                    conditions,
                    limit.min(500)
                );
                let query = bind_all!(sqlx::query_as::<_, VerbatimRow>(&sql), binds);
                let mut verbatims: Vec<Verbatim> = query
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?
                    .into_iter()
                    .map(verbatim_from_row)
                    .collect();
                self.attach_themes(&mut verbatims).await?;
                Ok(verbatims)
            }

            async fn customer_responses(&self, customer_hash: &str, limit: u32) -> Result<Vec<Verbatim>, StoreError> {
                let rows: Vec<VerbatimRow> = sqlx::query_as(&format!(
                    "{VERBATIM_SELECT} WHERE r.customer_hash = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2"
                ))
                .bind(customer_hash)
                .bind(limit as i64)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
                let mut verbatims: Vec<Verbatim> = rows.into_iter().map(verbatim_from_row).collect();
                self.attach_themes(&mut verbatims).await?;
                Ok(verbatims)
            }

            async fn current_taxonomy(&self) -> Result<Option<(i64, String)>, StoreError> {
                sqlx::query_as("SELECT version, document FROM taxonomy_versions ORDER BY version DESC LIMIT 1")
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)
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
                .map_err(map_err)?;
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
                .map_err(map_err)?;
                Ok(rows
                    .into_iter()
                    .map(|(response_id, text, respondent_locale)| TextToTag { response_id, text, respondent_locale })
                    .collect())
            }

            async fn store_tags(&self, tags: &[Retagged]) -> Result<(), StoreError> {
                let mut tx = begin_write!($backend, self.pool);
                let ids: Vec<i64> = tags.iter().map(|t| t.response_id).collect();
                adjust_rollups!($backend, tx, ids, -1);
                for t in tags {
                    sqlx::query("UPDATE responses SET tagged_version = $2, sentiment = $3, sentiment_score = $4 WHERE id = $1")
                        .bind(t.response_id)
                        .bind(t.taxonomy_version)
                        .bind(&t.sentiment)
                        .bind(t.sentiment_score)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    sqlx::query("DELETE FROM response_themes WHERE response_id = $1 AND source = 'auto'")
                        .bind(t.response_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    for theme in &t.themes {
                        // A manager's removal keeps the theme off; a manager's addition is
                        // already there and stays as it is.
                        sqlx::query(
                            "INSERT INTO response_themes (response_id, theme_key, source, sentiment) \
                             SELECT $1, $2, 'auto', $3 WHERE NOT EXISTS (SELECT 1 FROM theme_corrections c \
                             WHERE c.response_id = $1 AND c.theme_key = $2 AND c.action = 'remove') \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(t.response_id)
                        .bind(&theme.key)
                        .bind(&theme.sentiment)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    }
                }
                adjust_rollups!($backend, tx, ids, 1);
                tx.commit().await.map_err(map_err)
            }

            async fn mark_all_for_retagging(&self) -> Result<u64, StoreError> {
                sqlx::query("UPDATE responses SET tagged_version = 0 WHERE reason IS NOT NULL AND tagged_version <> 0")
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(map_err)
            }

            async fn tagging_progress(&self, version: i64) -> Result<(u64, u64), StoreError> {
                let (pending, total): (i64, i64) = sqlx::query_as(
                    "SELECT (SELECT COUNT(*) FROM responses WHERE reason IS NOT NULL AND tagged_version < $1), \
                     (SELECT COUNT(*) FROM responses WHERE reason IS NOT NULL)",
                )
                .bind(version)
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
                Ok((pending as u64, total as u64))
            }

            async fn correct_theme(&self, c: &ThemeCorrection) -> Result<bool, StoreError> {
                let mut tx = begin_write!($backend, self.pool);
                let sentiment: Option<Option<String>> = sqlx::query_scalar("SELECT sentiment FROM responses WHERE id = $1")
                    .bind(c.response_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                let Some(sentiment) = sentiment else {
                    return Ok(false);
                };
                adjust_rollups!($backend, tx, [c.response_id], -1);
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
                .map_err(map_err)?;
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
                    .map_err(map_err)?;
                } else {
                    sqlx::query("DELETE FROM response_themes WHERE response_id = $1 AND theme_key = $2")
                        .bind(c.response_id)
                        .bind(&c.theme_key)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                }
                adjust_rollups!($backend, tx, [c.response_id], 1);
                tx.commit().await.map_err(map_err)?;
                Ok(true)
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
                .map_err(map_err)?;
                Ok(rows
                    .into_iter()
                    .map(|(text, language, respondent_locale)| PeriodText { text, language, respondent_locale })
                    .collect())
            }
        }

        impl $store {
            /// Fills the rollups from the stored responses when they are empty (a database from
            /// before they existed); later writes keep them up to date.
            pub(crate) async fn ensure_rollups(&self) -> Result<(), StoreError> {
                let (filled, any): (bool, bool) = sqlx::query_as(
                    "SELECT EXISTS (SELECT 1 FROM score_rollup), EXISTS (SELECT 1 FROM responses)",
                )
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
                if filled || !any {
                    return Ok(());
                }
                tracing::info!("building the dashboard rollups from the stored responses");
                let mut tx = begin_write!($backend, self.pool);
                for sql in rollup::adjust_sql($backend, 0, 1) {
                    sqlx::query(&sql).execute(&mut *tx).await.map_err(map_err)?;
                }
                tx.commit().await.map_err(map_err)
            }

            /// Loads the themes of these responses (one query for all).
            async fn attach_themes(&self, verbatims: &mut [Verbatim]) -> Result<(), StoreError> {
                if verbatims.is_empty() {
                    return Ok(());
                }
                let placeholders: Vec<String> = (1..=verbatims.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT response_id, theme_key, sentiment, source FROM response_themes \
                     WHERE response_id IN ({}) ORDER BY response_id, theme_key",
                    placeholders.join(", ")
                );
                let mut query = sqlx::query_as::<_, (i64, String, Option<String>, String)>(&sql);
                for v in verbatims.iter() {
                    query = query.bind(v.id);
                }
                for (id, key, sentiment, source) in query.fetch_all(&self.pool).await.map_err(map_err)? {
                    if let Some(v) = verbatims.iter_mut().find(|v| v.id == id) {
                        v.themes.push(app::model::ThemeTag {
                            name: key.clone(),
                            key,
                            sentiment,
                            manual: source == "manual",
                        });
                    }
                }
                Ok(())
            }
        }
    };
}
pub(crate) use sql_store;

pub(crate) const SURVEY_COLUMNS: &str =
    "id, slug, title_nl, title_en, is_open, created_at, archived, texts, embed_origins";

pub(crate) type SurveyRow = (i64, String, String, String, bool, i64, bool, String, String);

pub(crate) type ApiTokenRow = (i64, String, String, String, i64, Option<i64>, Option<i64>);

pub(crate) fn api_token_from_row(
    (id, name, prefix, scopes, created_at, last_used_at, revoked_at): ApiTokenRow,
) -> app::model::ApiToken {
    app::model::ApiToken {
        id,
        name,
        prefix,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        created_at,
        last_used_at,
        revoked_at,
    }
}

pub(crate) fn survey_from_row(
    (id, slug, title_nl, title_en, open, created_at, archived, texts, embed_origins): SurveyRow,
) -> app::model::Survey {
    app::model::Survey {
        id,
        slug,
        title_nl,
        title_en,
        open,
        created_at,
        archived,
        // Texts written by an older version read with defaults for what is missing.
        texts: serde_json::from_str(&texts).unwrap_or_default(),
        embed_origins: embed_origins.split_whitespace().map(String::from).collect(),
    }
}

pub(crate) const IMPORT_COLUMNS: &str = "id, filename, created_at, status, total_rows, \
     processed_rows, created_rows, duplicate_rows, failed_rows";

pub(crate) type ImportRow = (i64, String, i64, String, i64, i64, i64, i64, i64);

pub(crate) fn import_from_row(
    (id, filename, created_at, status, total, processed, created, duplicates, failed): ImportRow,
) -> app::import::ImportSummary {
    app::import::ImportSummary {
        id,
        filename,
        created_at,
        status,
        total: total as u64,
        processed: processed as u64,
        created: created as u64,
        duplicates: duplicates as u64,
        failed: failed as u64,
    }
}

/// The text-search vector of a response on PostgreSQL: exactly the expression of the index in
/// `migrations/postgres/…_search.sql`, or the index is not used.
const PG_SEARCH_VECTOR: &str = "to_tsvector('simple', translate(lower(coalesce(r.reason, '')), \
     'áàâäãåéèêëíìîïóòôöõúùûüýÿñç', 'aaaaaaeeeeiiiiooooouuuuyync'))";

/// The accent folding of [`PG_SEARCH_VECTOR`], for search words.
fn fold_accent(c: char) -> char {
    const FROM: &str = "áàâäãåéèêëíìîïóòôöõúùûüýÿñç";
    const TO: &str = "aaaaaaeeeeiiiiooooouuuuyync";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` conditions of a response filter, with their parameters (`$1`, `$2`, …), in SQL
/// both databases accept.
pub(crate) fn filter_sql(f: &app::model::ResponseFilter, backend: &str) -> (String, Vec<Bind>) {
    filter_sql_from(f, backend, 0)
}

/// [`filter_sql`] with its placeholders numbered after `offset` others.
pub(crate) fn filter_sql_from(
    f: &app::model::ResponseFilter,
    backend: &str,
    offset: usize,
) -> (String, Vec<Bind>) {
    let mut conditions: Vec<String> = vec!["1 = 1".into()];
    let mut binds: Vec<Bind> = Vec::new();
    let param = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", binds.len() + offset)
    };
    if let Some(text) = &f.text {
        // Every word must occur, as a word or the start of one ("bezorg" finds "bezorger"),
        // through the full-text index of each backend. Only letters and digits reach the query
        // language, so no input can be a syntax error.
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .map(fold_accent)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        if words.is_empty() {
            // Only punctuation: nothing can match.
            conditions.push("1 = 0".into());
        } else if backend == "postgres" {
            let query: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
            let p = param(&mut binds, Bind::Text(query.join(" & ")));
            conditions.push(format!("{PG_SEARCH_VECTOR} @@ to_tsquery('simple', {p})"));
        } else {
            let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
            let p = param(&mut binds, Bind::Text(query.join(" ")));
            conditions.push(format!(
                "r.id IN (SELECT rowid FROM responses_fts WHERE responses_fts MATCH {p})"
            ));
        }
    }
    if let Some(slug) = &f.survey {
        let p = param(&mut binds, Bind::Text(slug.clone()));
        conditions.push(format!("s.slug = {p}"));
    }
    if let Some(channel) = &f.channel {
        let p = param(&mut binds, Bind::Text(channel.clone()));
        conditions.push(format!("r.channel = {p}"));
    }
    if let Some(phase) = &f.journey_phase {
        let p = param(&mut binds, Bind::Text(phase.clone()));
        conditions.push(format!("r.journey_phase = {p}"));
    }
    match f.language.as_deref() {
        None => {}
        Some("und") => conditions.push("r.reason IS NOT NULL AND r.language IS NULL".into()),
        Some(code) => {
            let p = param(&mut binds, Bind::Text(code.to_string()));
            conditions.push(format!("r.language = {p}"));
        }
    }
    if let Some(theme) = &f.theme {
        let p = param(&mut binds, Bind::Text(theme.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM response_themes t WHERE t.response_id = r.id AND t.theme_key = {p})"
        ));
    }
    conditions.extend(rollup::score_group_condition(f.group.as_deref(), "r.score"));
    if let Some(from) = f.from {
        let p = param(&mut binds, Bind::Int(from));
        conditions.push(format!("r.created_at >= {p}"));
    }
    if let Some(to) = f.to {
        let p = param(&mut binds, Bind::Int(to));
        conditions.push(format!("r.created_at < {p}"));
    }
    if let Some(customer) = &f.customer {
        let p = param(&mut binds, Bind::Text(customer.clone()));
        conditions.push(format!("r.customer_hash = {p}"));
    }
    if let Some((at, id)) = f.before {
        let a = param(&mut binds, Bind::Int(at));
        let b = param(&mut binds, Bind::Int(id));
        conditions.push(format!(
            "(r.created_at < {a} OR (r.created_at = {a} AND r.id < {b}))"
        ));
    }
    (conditions.join(" AND "), binds)
}

/// The plain scan of the responses for [`app::backend::Store::scores`], returning
/// [`rollup::ScoresRow`]s: what the rollups answer faster, and the answer when they cannot.
pub(crate) fn scan_sql(
    filter: &app::model::ResponseFilter,
    by: app::model::Grouping,
    backend: &str,
) -> (String, Vec<Bind>) {
    use app::model::{Dimension, Grouping};
    let (conditions, binds) = filter_sql(filter, backend);
    let (month, week) = if backend == "postgres" {
        (
            "to_char(to_timestamp(r.created_at) AT TIME ZONE 'UTC', 'YYYY-MM')",
            "to_char(to_timestamp((r.created_at / 86400 - (r.created_at / 86400 + 3) % 7) * 86400) \
             AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        )
    } else {
        (
            "strftime('%Y-%m', r.created_at, 'unixepoch')",
            "strftime('%Y-%m-%d', (r.created_at / 86400 - (r.created_at / 86400 + 3) % 7) * 86400, 'unixepoch')",
        )
    };
    let theme_month = format!("t.theme_key || '|' || {month}");
    let key = match by {
        Grouping::Total => "''",
        Grouping::By(Dimension::Channel) => "COALESCE(r.channel, '')",
        Grouping::By(Dimension::JourneyPhase) => "COALESCE(r.journey_phase, '')",
        Grouping::By(Dimension::Survey) => "s.slug",
        Grouping::By(Dimension::Language) => "COALESCE(r.language, 'und')",
        Grouping::Theme => "t.theme_key",
        Grouping::Month => month,
        Grouping::Week => week,
        Grouping::ThemeMonth => &theme_month,
        Grouping::Dimensions => {
            "s.slug || '|' || COALESCE(r.channel, '') || '|' || COALESCE(r.journey_phase, '') || '|' || \
             COALESCE(r.language, 'und')"
        }
    };
    let themed = matches!(by, Grouping::Theme | Grouping::ThemeMonth);
    let (join, negative) = if themed {
        (
            "JOIN response_themes t ON t.response_id = r.id",
            "SUM(CASE WHEN t.sentiment = 'negative' THEN 1 ELSE 0 END)",
        )
    } else {
        ("", "0")
    };
    let sql = format!(
        "SELECT {key} AS k, '', CAST(0 AS BIGINT), r.score, COUNT(*), CAST({negative} AS BIGINT), \
         CAST(COALESCE(SUM(x.cs), 0) AS BIGINT), CAST(COALESCE(SUM(x.cn), 0) AS BIGINT), \
         CAST(COALESCE(SUM(x.es), 0) AS BIGINT), CAST(COALESCE(SUM(x.en), 0) AS BIGINT) \
         FROM responses r JOIN surveys s ON s.id = r.survey_id {join} {} \
         WHERE {conditions} GROUP BY {}, r.score",
        rollup::answers_join("1 = 1"),
        rollup::group_key(key)
    );
    (sql, binds)
}

/// The columns of a [`VerbatimRow`]; append `WHERE …`.
pub(crate) const VERBATIM_SELECT: &str = "SELECT r.id, s.title_nl, s.title_en, r.score, r.reason, \
     r.channel, r.journey_phase, r.language, r.created_at, r.sentiment, r.customer_hash, r.source, \
     u.display_name FROM responses r JOIN surveys s ON s.id = r.survey_id \
     LEFT JOIN users u ON u.id = r.entered_by";

pub(crate) type VerbatimRow = (
    i64,
    String,
    String,
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

pub(crate) fn verbatim_from_row(row: VerbatimRow) -> app::model::Verbatim {
    let (
        id,
        survey_title_nl,
        survey_title_en,
        score,
        reason,
        channel,
        journey_phase,
        language,
        created_at,
        sentiment,
        customer,
        source,
        entered_by,
    ) = row;
    app::model::Verbatim {
        id,
        survey_title_nl,
        survey_title_en,
        score: score.clamp(0, 10) as u8,
        reason,
        channel,
        journey_phase,
        language,
        created_at,
        sentiment,
        themes: Vec::new(),
        customer,
        source,
        entered_by,
    }
}

pub(crate) fn user_info(
    id: i64,
    email: String,
    display_name: String,
    role: &str,
) -> Result<app::model::UserInfo, StoreError> {
    let role = app::model::Role::parse(role)
        .ok_or_else(|| StoreError::Backend(format!("unknown role {role:?} in database")))?;
    Ok(app::model::UserInfo {
        id,
        email,
        display_name,
        role,
    })
}

/// The names every backend module needs for [`sql_store!`].
mod prelude {
    pub(crate) use super::{adjust_rollups, rollup, scan_sql, update_journeys};
    pub(crate) use super::{
        api_token_from_row, filter_sql, import_from_row, map_err, survey_from_row, user_info,
        verbatim_from_row, ApiTokenRow, Bind, ImportRow, SurveyRow, VerbatimRow, IMPORT_COLUMNS,
        SURVEY_COLUMNS, VERBATIM_SELECT,
    };
    pub use app::backend::{
        now_unix, ImportRecord, Inserted, NewApiToken, NewImport, NewResponse, NewSurvey, NewUser,
        PeriodText, Retagged, StoreError, StoredAnswer, TextToTag, ThemeCorrection, UserRecord,
    };
    pub use app::model::{ApiToken, ResponseFilter, Survey, UserInfo, Verbatim};
    pub use app::model::{GroupScores, Grouping};
}
