//! Surveys and their questions.

/// Implements [`klantstem_core::store::SurveyStore`] for a store type with a `pool` of one sqlx
/// backend; `$dialect` names the backend where the SQL differs.
macro_rules! survey_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::SurveyStore for $store {
            async fn create_survey(&self, survey: &NewSurvey) -> Result<i64, StoreError> {
                changes_surveys!(self, {
                insert_survey!(&self.pool, survey)
                })
            }

            async fn duplicate_survey(&self, source_id: i64, copy: &NewSurvey) -> Result<i64, StoreError> {
                changes_surveys!(self, {
                // The copy and its questions together or not at all.
                let mut tx = begin_write!($dialect, self.pool);
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
                ?;
                tx.commit().await?;
                Ok(id)
                })
            }

            fn surveys_generation(&self) -> u64 {
                self.surveys.generation()
            }

            async fn survey_by_slug(&self, slug: &str) -> Result<Option<Survey>, StoreError> {
                if let Some(survey) = self.surveys.survey(slug) {
                    return Ok(Some(survey));
                }
                let generation = self.surveys.generation();
                let row: Option<SurveyRow> = sqlx::query_as(
                    &format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE slug = $1"),
                )
                .bind(slug)
                .fetch_optional(&self.pool)
                .await
                ?;
                let survey = row.map(survey_from_row).transpose()?;
                if let Some(survey) = &survey {
                    self.surveys.keep_survey(generation, survey);
                }
                Ok(survey)
            }

            async fn list_surveys(&self) -> Result<Vec<Survey>, StoreError> {
                let rows: Vec<SurveyRow> = sqlx::query_as(
                    &format!("SELECT {SURVEY_COLUMNS} FROM surveys ORDER BY id"),
                )
                .fetch_all(&self.pool)
                .await
                ?;
                rows.into_iter().map(survey_from_row).collect()
            }

            async fn update_survey(&self, survey: &Survey) -> Result<bool, StoreError> {
                changes_surveys!(self, {
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
                .map_err(StoreError::from)
                })
            }

            async fn set_survey_state(&self, id: i64, open: bool, archived: bool) -> Result<bool, StoreError> {
                changes_surveys!(self, {
                sqlx::query("UPDATE surveys SET is_open = $2, archived = $3 WHERE id = $1")
                    .bind(id)
                    .bind(open)
                    .bind(archived)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(StoreError::from)
                })
            }

            async fn survey_questions(&self, survey_id: i64) -> Result<Vec<domain::questions::Question>, StoreError> {
                if let Some(questions) = self.surveys.questions(survey_id) {
                    return Ok(questions);
                }
                let generation = self.surveys.generation();
                let rows: Vec<(i64, String, bool, String, bool)> = sqlx::query_as(
                    "SELECT id, kind, required, texts, retired FROM questions WHERE survey_id = $1 ORDER BY position, id",
                )
                .bind(survey_id)
                .fetch_all(&self.pool)
                .await
                ?;
                rows.into_iter()
                    .map(|(id, kind, required, texts, retired)| {
                        Ok(domain::questions::Question {
                            id,
                            kind: domain::questions::QuestionKind::parse(&kind)
                                .ok_or_else(|| StoreError::Corrupt { what: "question kind", detail: kind.clone() })?,
                            required,
                            texts: crate::rows::json("question texts", &texts)?,
                            retired,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
                    .inspect(|questions| self.surveys.keep_questions(generation, survey_id, questions))
            }

            async fn add_question(
                &self,
                survey_id: i64,
                kind: domain::questions::QuestionKind,
                required: bool,
                texts: &domain::questions::QuestionTexts,
                now: i64,
            ) -> Result<i64, StoreError> {
                changes_surveys!(self, {
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
                .map_err(StoreError::from)
                })
            }

            async fn update_question(
                &self,
                survey_id: i64,
                id: i64,
                required: bool,
                texts: &domain::questions::QuestionTexts,
            ) -> Result<bool, StoreError> {
                changes_surveys!(self, {
                sqlx::query("UPDATE questions SET required = $3, texts = $4 WHERE id = $1 AND survey_id = $2")
                    .bind(id)
                    .bind(survey_id)
                    .bind(required)
                    .bind(serde_json::to_string(texts).unwrap_or_else(|_| "{}".into()))
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(StoreError::from)
                })
            }

            async fn question_answered(&self, id: i64) -> Result<bool, StoreError> {
                let answered: Option<i64> = sqlx::query_scalar("SELECT question_id FROM answers WHERE question_id = $1 LIMIT 1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    ?;
                Ok(answered.is_some())
            }

            async fn move_question(&self, survey_id: i64, id: i64, up: bool) -> Result<bool, StoreError> {
                changes_surveys!(self, {
                let mut tx = begin_write!($dialect, self.pool);
                let rows: Vec<(i64, i32)> = sqlx::query_as(
                    "SELECT id, position FROM questions WHERE survey_id = $1 ORDER BY position, id",
                )
                .bind(survey_id)
                .fetch_all(&mut *tx)
                .await
                ?;
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
                        ?;
                }
                tx.commit().await?;
                Ok(true)
                })
            }

            async fn remove_question(&self, survey_id: i64, id: i64) -> Result<Option<bool>, StoreError> {
                changes_surveys!(self, {
                let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM questions WHERE id = $1 AND survey_id = $2")
                    .bind(id)
                    .bind(survey_id)
                    .fetch_optional(&self.pool)
                    .await
                    ?;
                if exists.is_none() {
                    return Ok(None);
                }
                let answered: Option<i64> = sqlx::query_scalar("SELECT question_id FROM answers WHERE question_id = $1 LIMIT 1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    ?;
                if answered.is_some() {
                    sqlx::query("UPDATE questions SET retired = $2 WHERE id = $1")
                        .bind(id)
                        .bind(true)
                        .execute(&self.pool)
                        .await
                        ?;
                    Ok(Some(true))
                } else {
                    sqlx::query("DELETE FROM questions WHERE id = $1")
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        ?;
                    Ok(Some(false))
                }
                })
            }
        }
    };
}
pub(crate) use survey_store;
