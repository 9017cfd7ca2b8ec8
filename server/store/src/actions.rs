//! Improvement actions, their evidence and themes, the before/after figures of those themes, and
//! the customers told an action was done (rows and mails in the transaction that completes it).

macro_rules! action_store {
    ($store:ty, $dialect:expr) => {
        impl $store {
            async fn theme_scores(
                &self,
                themes: &[String],
                from: i64,
                to: i64,
                with: bool,
            ) -> Result<domain::nps::ScoreDistribution, StoreError> {
                let marks = crate::placeholders(3, themes.len());
                let mention = if themes.is_empty() {
                    "FALSE".to_string()
                } else {
                    format!(
                        "EXISTS (SELECT 1 FROM response_themes t WHERE t.response_id = r.id AND t.theme_key IN ({marks}))"
                    )
                };
                let condition = if with { mention } else { format!("NOT {mention}") };
                let sql = format!(
                    "SELECT r.score, COUNT(*) FROM responses r WHERE r.created_at >= $1 AND r.created_at < $2 \
                     AND r.score IS NOT NULL AND {condition} GROUP BY r.score"
                );
                let mut query = sqlx::query_as::<_, (i32, i64)>(&sql).bind(from).bind(to);
                for t in themes {
                    query = query.bind(t);
                }
                let mut dist = domain::nps::ScoreDistribution::default();
                for (score, n) in query.fetch_all(&self.pool).await? {
                    if let Some(slot) = usize::try_from(score).ok().and_then(|s| dist.0.get_mut(s)) {
                        *slot += n as u64;
                    }
                }
                Ok(dist)
            }
        }

        #[async_trait::async_trait]
        impl klantstem_core::store::ActionStore for $store {
            async fn create_action(
                &self,
                a: &domain::action::ActionInput,
                created_by: i64,
                now: i64,
            ) -> Result<i64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO actions (title, description, department_id, owner_id, due_at, status, public_message, \
                     created_by, created_at, updated_at, done_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
                )
                .bind(&a.title)
                .bind(&a.description)
                .bind(a.department)
                .bind(a.owner)
                .bind(a.due)
                .bind(a.status.as_str())
                .bind(&a.public_message)
                .bind(created_by)
                .bind(now)
                .bind((a.status == domain::action::ActionStatus::Done).then_some(now))
                .fetch_one(&mut *tx)
                .await?;
                for key in &a.themes {
                    sqlx::query("INSERT INTO action_themes (action_id, theme_key) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(id)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
                if a.status == domain::action::ActionStatus::Done {
                    record_event!(&mut *tx, "action.done", id, now);
                }
                if let Some((kind, target)) = a.evidence {
                    sqlx::query("INSERT INTO action_evidence (action_id, kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(id)
                        .bind(kind.as_str())
                        .bind(target)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn update_action(
                &self,
                id: i64,
                a: &domain::action::ActionInput,
                tell: &[Telling],
                now: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let done_before: Option<Option<i64>> = sqlx::query_scalar("SELECT done_at FROM actions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(done_before) = done_before else {
                    return Ok(false);
                };
                let becomes_done = a.status == domain::action::ActionStatus::Done && done_before.is_none();
                sqlx::query(
                    "UPDATE actions SET title = $2, description = $3, department_id = $4, owner_id = $5, due_at = $6, \
                     status = $7, public_message = $8, updated_at = $9, \
                     done_at = CASE WHEN $7 = 'done' THEN COALESCE(done_at, $9) ELSE done_at END WHERE id = $1",
                )
                .bind(id)
                .bind(&a.title)
                .bind(&a.description)
                .bind(a.department)
                .bind(a.owner)
                .bind(a.due)
                .bind(a.status.as_str())
                .bind(&a.public_message)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM action_themes WHERE action_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for key in &a.themes {
                    sqlx::query("INSERT INTO action_themes (action_id, theme_key) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(id)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
                if becomes_done {
                    record_event!(&mut *tx, "action.done", id, now);
                    for t in tell {
                        let told = sqlx::query(
                            "INSERT INTO action_told (action_id, response_id, customer_hash, told_at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(id)
                        .bind(t.response_id)
                        .bind(&t.customer_hash)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if told == 1 {
                            enqueue_mail!(&mut *tx, &t.mail, now);
                        }
                    }
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn add_evidence(
                &self,
                id: i64,
                kind: domain::action::EvidenceKind,
                target: i64,
            ) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO action_evidence (action_id, kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(kind.as_str())
                    .bind(target)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn action(&self, id: i64) -> Result<Option<domain::action::Action>, StoreError> {
                use domain::action::{ActionStatus, Evidence, EvidenceKind};
                type Row = (i64, String, String, Option<i64>, Option<String>, Option<i64>, Option<String>, Option<i64>, String, String, i64, Option<i64>);
                let row: Option<Row> = sqlx::query_as(
                    "SELECT a.id, a.title, a.description, a.department_id, d.name, a.owner_id, u.display_name, a.due_at, \
                     a.status, a.public_message, a.created_at, a.done_at FROM actions a \
                     LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN users u ON u.id = a.owner_id WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some((id, title, description, department_id, department, owner_id, owner, due, status, public_message, created_at, done_at)) = row else {
                    return Ok(None);
                };
                let status = ActionStatus::parse(&status).ok_or(StoreError::Corrupt { what: "action status", detail: status })?;
                let themes: Vec<String> = sqlx::query_scalar("SELECT theme_key FROM action_themes WHERE action_id = $1 ORDER BY theme_key")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                let links: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT kind, target_id FROM action_evidence WHERE action_id = $1 ORDER BY kind, target_id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let mut evidence = Vec::new();
                for (kind, target) in links {
                    let kind = EvidenceKind::parse(&kind).ok_or(StoreError::Corrupt { what: "evidence kind", detail: kind })?;
                    let found: Option<(String, String)> = match kind {
                        EvidenceKind::Response => sqlx::query_as(
                            "SELECT COALESCE(reason, CAST(score AS TEXT), CAST(rating AS TEXT) || '/5'), '/responses/' || CAST(id AS TEXT) FROM responses WHERE id = $1",
                        )
                        .bind(target)
                        .fetch_optional(&self.pool)
                        .await?,
                        EvidenceKind::Item => sqlx::query_as(
                            "SELECT COALESCE(r.reason, ideas.title, ''), '/inbox/' || CAST(i.id AS TEXT) FROM inbox_items i \
                             LEFT JOIN responses r ON r.id = i.response_id LEFT JOIN ideas ON ideas.id = i.idea_id WHERE i.id = $1",
                        )
                        .bind(target)
                        .fetch_optional(&self.pool)
                        .await?,
                        EvidenceKind::Idea => sqlx::query_as(
                            "SELECT i.title, '/ideas/' || b.slug || '/' || CAST(i.id AS TEXT) FROM ideas i \
                             JOIN boards b ON b.id = i.board_id WHERE i.id = $1",
                        )
                        .bind(target)
                        .fetch_optional(&self.pool)
                        .await?,
                    };
                    if let Some((label, href)) = found {
                        evidence.push(Evidence { kind, id: target, label, href });
                    }
                }
                let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM action_told WHERE action_id = $1")
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(Some(domain::action::Action {
                    id,
                    title,
                    description,
                    department: department_id.zip(department),
                    owner: owner_id.zip(owner),
                    due,
                    status,
                    public_message,
                    themes,
                    evidence,
                    created_at,
                    done_at,
                    told: told as u64,
                }))
            }

            async fn list_actions(
                &self,
                departments: Option<&[i64]>,
            ) -> Result<Vec<domain::action::ActionLine>, StoreError> {
                let filter = match departments {
                    None => String::new(),
                    Some([]) => return Ok(Vec::new()),
                    Some(list) => format!(
                        " WHERE a.department_id IN ({})",
                        crate::placeholders(1, list.len())
                    ),
                };
                let sql = format!(
                    "SELECT a.id, a.title, a.department_id, d.name, u.display_name, a.status, a.due_at, a.created_at, a.done_at \
                     FROM actions a LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN users u ON u.id = a.owner_id{filter} \
                     ORDER BY CASE WHEN a.status IN ('done', 'dropped') THEN 1 ELSE 0 END, a.created_at, a.id LIMIT 1000"
                );
                type Row = (i64, String, Option<i64>, Option<String>, Option<String>, String, Option<i64>, i64, Option<i64>);
                let mut query = sqlx::query_as::<_, Row>(&sql);
                for d in departments.unwrap_or_default() {
                    query = query.bind(*d);
                }
                query
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(|(id, title, department_id, department, owner, status, due, created_at, done_at)| {
                        Ok(domain::action::ActionLine {
                            id,
                            title,
                            department: department_id.zip(department),
                            owner,
                            status: domain::action::ActionStatus::parse(&status)
                                .ok_or(StoreError::Corrupt { what: "action status", detail: status })?,
                            due,
                            created_at,
                            done_at,
                        })
                    })
                    .collect()
            }

            async fn window_figures(
                &self,
                themes: &[String],
                from: i64,
                to: i64,
            ) -> Result<domain::action::WindowFigures, StoreError> {
                let with_themes = self.theme_scores(themes, from, to, true).await?;
                let others = self.theme_scores(themes, from, to, false).await?;
                let (mentions, rated, negative_mentions) = if themes.is_empty() {
                    (0, 0, 0)
                } else {
                    let marks = crate::placeholders(3, themes.len());
                    let [negative, rated] = crate::rollup::sentiment_sums();
                    let sql = format!(
                        "SELECT COUNT(*), COALESCE({rated}, 0), COALESCE({negative}, 0) \
                         FROM response_themes t JOIN responses r ON r.id = t.response_id \
                         WHERE r.created_at >= $1 AND r.created_at < $2 AND t.theme_key IN ({marks})"
                    );
                    let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql).bind(from).bind(to);
                    for t in themes {
                        query = query.bind(t);
                    }
                    query.fetch_one(&self.pool).await?
                };
                Ok(domain::action::WindowFigures {
                    with_themes,
                    mentions: mentions as u64,
                    rated: rated as u64,
                    negative_mentions: negative_mentions as u64,
                    others,
                })
            }

            async fn told_candidates(
                &self,
                id: i64,
                since: i64,
                limit: u32,
            ) -> Result<Vec<ToldCandidate>, StoreError> {
                let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT r.id, r.contact_email, r.respondent_locale, r.customer_hash FROM responses r \
                     WHERE r.contact_email IS NOT NULL AND r.created_at >= $2 \
                     AND NOT EXISTS (SELECT 1 FROM action_told t WHERE t.action_id = $1 AND t.response_id = r.id) \
                     AND (r.id IN (SELECT target_id FROM action_evidence WHERE action_id = $1 AND kind = 'response') \
                       OR r.id IN (SELECT i.response_id FROM inbox_items i JOIN action_evidence e \
                                   ON e.kind = 'item' AND e.target_id = i.id WHERE e.action_id = $1) \
                       OR EXISTS (SELECT 1 FROM response_themes t JOIN action_themes a ON a.theme_key = t.theme_key \
                                  WHERE a.action_id = $1 AND t.response_id = r.id)) \
                     ORDER BY r.created_at DESC, r.id DESC LIMIT $3",
                )
                .bind(id)
                .bind(since)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                let mut seen: Vec<String> = Vec::new();
                let mut out = Vec::new();
                for (response_id, email, locale, customer_hash) in rows {
                    let key = email.to_lowercase();
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    out.push(ToldCandidate { response_id, email, locale, customer_hash });
                }
                Ok(out)
            }

            async fn told_customers(&self, id: Option<i64>) -> Result<domain::action::ToldCustomers, StoreError> {
                let rows: Vec<(Option<i32>, Option<i32>)> = sqlx::query_as(
                    "SELECT r.score, (SELECT n.score FROM responses n WHERE n.customer_hash = t.customer_hash \
                     AND n.score IS NOT NULL AND n.created_at > t.told_at ORDER BY n.created_at, n.id LIMIT 1) \
                     FROM action_told t JOIN responses r ON r.id = t.response_id WHERE t.action_id = $1 OR $1 IS NULL",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let mut out = domain::action::ToldCustomers { told: rows.len() as u64, ..Default::default() };
                for (before, after) in rows {
                    let Some(after) = after else { continue };
                    out.answered_again += 1;
                    // Told about feedback without a score: answered again, but no before to compare.
                    let Some(before) = before else { continue };
                    if let (Some(b), Some(a)) = (out.before.0.get_mut(before.clamp(0, 10) as usize), Some(after.clamp(0, 10) as usize)) {
                        *b += 1;
                        out.after.0[a] += 1;
                    }
                }
                Ok(out)
            }

            async fn public_actions(&self, limit: u32) -> Result<Vec<(String, String, i64)>, StoreError> {
                Ok(sqlx::query_as(
                    "SELECT title, public_message, done_at FROM actions WHERE status = 'done' AND done_at IS NOT NULL \
                     AND public_message <> '' ORDER BY done_at DESC, id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}
pub(crate) use action_store;
