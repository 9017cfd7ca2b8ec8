//! Idea boards and challenges, ideas, votes, follows, comments and notifications.

/// Implements [`klantstem_core::store::IdeaStore`] for a store type with a `pool` of one sqlx
/// backend.
macro_rules! idea_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::IdeaStore for $store {
            async fn create_board(&self, board: &NewBoard, now: i64) -> Result<i64, StoreError> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO boards (slug, kind, name_nl, name_en, description_nl, description_en, \
                     visibility, moderation, owner, opens_at, closes_at, stages, stage, response_days, \
                     position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
                     $13, $14, $15, $16) RETURNING id",
                )
                .bind(&board.slug)
                .bind(board.kind.as_str())
                .bind(&board.name_nl)
                .bind(&board.name_en)
                .bind(&board.description_nl)
                .bind(&board.description_en)
                .bind(board.visibility.as_str())
                .bind(board.moderation.as_str())
                .bind(&board.owner)
                .bind(board.opens_at)
                .bind(board.closes_at)
                .bind(serde_json::to_string(&board.stages).unwrap_or_else(|_| "[]".into()))
                .bind(&board.stage)
                .bind(board.response_days)
                .bind(board.position)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok(id)
            }

            async fn list_boards(&self) -> Result<Vec<Board>, StoreError> {
                let rows: Vec<BoardRow> = sqlx::query_as(&format!(
                    "SELECT {BOARD_COLUMNS} FROM boards ORDER BY position, id"
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(board_from_row).collect()
            }

            async fn board_by_slug(&self, slug: &str) -> Result<Option<Board>, StoreError> {
                let row: Option<BoardRow> = sqlx::query_as(&format!(
                    "SELECT {BOARD_COLUMNS} FROM boards WHERE slug = $1"
                ))
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?;
                row.map(board_from_row).transpose()
            }

            async fn board_by_id(&self, id: i64) -> Result<Option<Board>, StoreError> {
                let row: Option<BoardRow> = sqlx::query_as(&format!(
                    "SELECT {BOARD_COLUMNS} FROM boards WHERE id = $1"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(board_from_row).transpose()
            }

            async fn set_board_stage(
                &self,
                board_id: i64,
                stage: &str,
                notices: &Notices,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                sqlx::query("UPDATE boards SET stage = $2 WHERE id = $1")
                    .bind(board_id)
                    .bind(stage)
                    .execute(&mut *tx)
                    .await?;
                write_notices!(tx, notices, now);
                tx.commit().await?;
                Ok(())
            }

            async fn board_participants(&self, board_id: i64) -> Result<Vec<Recipient>, StoreError> {
                let rows: Vec<RecipientRow> = sqlx::query_as(
                    "SELECT u.id, u.email, u.locale, \
                     (u.email_verified_at IS NOT NULL AND u.mail_notifications) AS mail \
                     FROM users u WHERE u.id IN ( \
                       SELECT author_id FROM ideas WHERE board_id = $1 \
                       UNION SELECT v.user_id FROM idea_votes v JOIN ideas i ON i.id = v.idea_id WHERE i.board_id = $1 \
                       UNION SELECT f.user_id FROM idea_follows f JOIN ideas i ON i.id = f.idea_id WHERE i.board_id = $1 \
                       UNION SELECT c.author_id FROM idea_comments c JOIN ideas i ON i.id = c.idea_id WHERE i.board_id = $1) \
                     ORDER BY u.id",
                )
                .bind(board_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Recipient::from).collect())
            }

            async fn idea_statuses(&self) -> Result<Vec<IdeaStatus>, StoreError> {
                let rows: Vec<StatusRow> = sqlx::query_as(
                    "SELECT key, name_nl, name_en, color, position, on_roadmap, closed \
                     FROM idea_statuses ORDER BY position, key",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(IdeaStatus::from).collect())
            }

            async fn insert_idea(&self, idea: &NewIdea) -> Result<i64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO ideas (board_id, author_id, title, body, title_masked, body_masked, \
                     language, sentiment, vote_count, visibility, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) RETURNING id",
                )
                .bind(idea.board_id)
                .bind(idea.author_id)
                .bind(&idea.title)
                .bind(&idea.body)
                .bind(&idea.title_masked)
                .bind(&idea.body_masked)
                .bind(&idea.language)
                .bind(&idea.sentiment)
                .bind(if idea.pending { "pending" } else { "visible" })
                .bind(idea.created_at)
                .fetch_one(&mut *tx)
                .await?;
                for table in ["idea_votes", "idea_follows"] {
                    sqlx::query(&format!(
                        "INSERT INTO {table} (idea_id, user_id, created_at) VALUES ($1, $2, $3)"
                    ))
                    .bind(id)
                    .bind(idea.author_id)
                    .bind(idea.created_at)
                    .execute(&mut *tx)
                    .await?;
                }
                for theme in &idea.themes {
                    sqlx::query(
                        "INSERT INTO idea_themes (idea_id, theme_key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(theme)
                    .execute(&mut *tx)
                    .await?;
                }
                for chunk in idea.terms.chunks(200) {
                    let values = (0..chunk.len())
                        .map(|k| format!("(${}, $1)", k + 2))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "INSERT INTO idea_terms (term, idea_id) VALUES {values} ON CONFLICT DO NOTHING"
                    );
                    let mut q = sqlx::query(&sql).bind(id);
                    for term in chunk {
                        q = q.bind(term);
                    }
                    q.execute(&mut *tx).await?;
                }
                record_event!(&mut *tx, "idea.created", id, idea.created_at);
                // Ideas about a department's themes reach its inbox too.
                Self::route_idea(&mut *tx, id, idea.created_at).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn edit_idea(&self, id: i64, edit: &NewIdea) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                sqlx::query(
                    "UPDATE ideas SET title = $2, body = $3, title_masked = $4, body_masked = $5, \
                     language = $6, sentiment = $7, edited_at = $8 WHERE id = $1",
                )
                .bind(id)
                .bind(&edit.title)
                .bind(&edit.body)
                .bind(&edit.title_masked)
                .bind(&edit.body_masked)
                .bind(&edit.language)
                .bind(&edit.sentiment)
                .bind(edit.created_at)
                .execute(&mut *tx)
                .await?;
                for table in ["idea_themes", "idea_terms"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE idea_id = $1"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                for theme in &edit.themes {
                    sqlx::query(
                        "INSERT INTO idea_themes (idea_id, theme_key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(theme)
                    .execute(&mut *tx)
                    .await?;
                }
                for term in &edit.terms {
                    sqlx::query(
                        "INSERT INTO idea_terms (term, idea_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(term)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                insert_event!(tx, id, edit.author_id, "edit", String::new(), edit.created_at);
                tx.commit().await?;
                Ok(())
            }

            async fn has_visible_idea(&self, user_id: i64) -> Result<bool, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM ideas WHERE author_id = $1 AND visibility = 'visible'",
                )
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            async fn list_ideas(
                &self,
                board_id: i64,
                query: &IdeaQuery,
                viewer: Option<i64>,
                staff: bool,
                now: i64,
            ) -> Result<(Vec<IdeaCard>, u64), StoreError> {
                let viewer = viewer.unwrap_or(0);
                let (sql, binds) = crate::idea_sql::list_sql(query, staff, now);
                let rows: Vec<CardRow> =
                    bind_all!(sqlx::query_as(&sql).bind(board_id).bind(viewer), binds)
                        .fetch_all(&self.pool)
                        .await?;
                let (sql, binds) = crate::idea_sql::count_sql(query, staff);
                let total: i64 =
                    bind_all!(sqlx::query_scalar(&sql).bind(board_id).bind(viewer), binds)
                        .fetch_one(&self.pool)
                        .await?;
                Ok((rows.iter().map(CardRow::card).collect(), total as u64))
            }

            async fn idea(&self, id: i64) -> Result<Option<IdeaRecord>, StoreError> {
                let row: Option<IdeaRow> = sqlx::query_as(&format!("{IDEA_SELECT} WHERE i.id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let themes: Vec<String> = sqlx::query_scalar(
                    "SELECT theme_key FROM idea_themes WHERE idea_id = $1 ORDER BY theme_key",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(Some(idea_from_row(row, themes)))
            }

            async fn has_voted(&self, idea_id: i64, user_id: i64) -> Result<bool, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM idea_votes WHERE idea_id = $1 AND user_id = $2",
                )
                .bind(idea_id)
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            async fn is_following(&self, idea_id: i64, user_id: i64) -> Result<bool, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM idea_follows WHERE idea_id = $1 AND user_id = $2",
                )
                .bind(idea_id)
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n > 0)
            }

            async fn idea_comments(&self, idea_id: i64) -> Result<Vec<IdeaComment>, StoreError> {
                let rows: Vec<CommentRow> = sqlx::query_as(
                    "SELECT c.id, u.display_name AS author, c.body_masked, c.official, c.created_at, \
                     c.merged_from AS moved_from, o.title_masked AS moved_from_title \
                     FROM idea_comments c JOIN users u ON u.id = c.author_id \
                     LEFT JOIN ideas o ON o.id = c.merged_from \
                     WHERE c.idea_id = $1 AND c.hidden_reason IS NULL ORDER BY c.created_at, c.id",
                )
                .bind(idea_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(IdeaComment::from).collect())
            }

            async fn set_vote(
                &self,
                idea_id: i64,
                user_id: i64,
                on: bool,
                now: i64,
            ) -> Result<i64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                // The count moves only when a row was added or removed: a concurrent duplicate
                // waits for the first and then finds its row, so it changes nothing.
                let (sql, delta) = if on {
                    (
                        "INSERT INTO idea_votes (idea_id, user_id, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                        "+ 1",
                    )
                } else {
                    (
                        "DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2 AND $3 = $3",
                        "- 1",
                    )
                };
                let changed = sqlx::query(sql)
                    .bind(idea_id)
                    .bind(user_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed == 1 {
                    sqlx::query(&format!(
                        "UPDATE ideas SET vote_count = vote_count {delta} WHERE id = $1"
                    ))
                    .bind(idea_id)
                    .execute(&mut *tx)
                    .await?;
                }
                let count: i64 = sqlx::query_scalar("SELECT vote_count FROM ideas WHERE id = $1")
                    .bind(idea_id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(count)
            }

            async fn set_follow(
                &self,
                idea_id: i64,
                user_id: i64,
                on: bool,
                now: i64,
            ) -> Result<(), StoreError> {
                set_membership!(self.pool, "idea_follows", idea_id, user_id, on, now);
                Ok(())
            }

            async fn mute_idea(&self, idea_id: i64, user_id: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO idea_mutes (idea_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(idea_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn idea_audience(&self, idea_id: i64) -> Result<Vec<Recipient>, StoreError> {
                let rows: Vec<RecipientRow> = sqlx::query_as(
                    "SELECT u.id, u.email, u.locale, \
                     (u.email_verified_at IS NOT NULL AND u.mail_notifications \
                      AND NOT EXISTS (SELECT 1 FROM idea_mutes m WHERE m.idea_id = $1 AND m.user_id = u.id)) AS mail \
                     FROM users u WHERE u.id IN ( \
                       SELECT author_id FROM ideas WHERE id = $1 \
                       UNION SELECT user_id FROM idea_votes WHERE idea_id = $1 \
                       UNION SELECT user_id FROM idea_follows WHERE idea_id = $1) \
                     ORDER BY u.id",
                )
                .bind(idea_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Recipient::from).collect())
            }

            async fn add_comment(
                &self,
                comment: &NewComment,
                notices: &Notices,
            ) -> Result<i64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO idea_comments (idea_id, author_id, body, body_masked, language, \
                     sentiment, official, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(comment.idea_id)
                .bind(comment.author_id)
                .bind(&comment.body)
                .bind(&comment.body_masked)
                .bind(&comment.language)
                .bind(&comment.sentiment)
                .bind(comment.official)
                .bind(comment.created_at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("UPDATE ideas SET comment_count = comment_count + 1 WHERE id = $1")
                    .bind(comment.idea_id)
                    .execute(&mut *tx)
                    .await?;
                if comment.official {
                    sqlx::query("UPDATE ideas SET answered_at = COALESCE(answered_at, $2) WHERE id = $1")
                        .bind(comment.idea_id)
                        .bind(comment.created_at)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "INSERT INTO idea_follows (idea_id, user_id, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(comment.idea_id)
                .bind(comment.author_id)
                .bind(comment.created_at)
                .execute(&mut *tx)
                .await?;
                write_notices!(tx, notices, comment.created_at);
                tx.commit().await?;
                Ok(id)
            }

            async fn change_status(
                &self,
                change: &StatusChange,
                notices: &Notices,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                sqlx::query(
                    "UPDATE ideas SET status = $2, status_message = $3, status_at = $4 WHERE id = $1",
                )
                .bind(change.idea_id)
                .bind(&change.status)
                .bind(&change.message)
                .bind(change.at)
                .execute(&mut *tx)
                .await?;
                if change.message.is_some() {
                    sqlx::query("UPDATE ideas SET answered_at = COALESCE(answered_at, $2) WHERE id = $1")
                        .bind(change.idea_id)
                        .bind(change.at)
                        .execute(&mut *tx)
                        .await?;
                }
                insert_event!(tx, change.idea_id, change.actor_id, "status", change.status.clone(), change.at);
                write_notices!(tx, notices, change.at);
                record_event!(&mut *tx, "idea.status_changed", change.idea_id, change.at);
                tx.commit().await?;
                Ok(())
            }

            async fn similar_candidates(
                &self,
                terms: &[String],
                private: bool,
            ) -> Result<Vec<(i64, String)>, StoreError> {
                if terms.is_empty() {
                    return Ok(Vec::new());
                }
                let terms = &terms[..terms.len().min(60)];
                let sql = format!(
                    "SELECT t.idea_id, t.term FROM idea_terms t JOIN ideas i ON i.id = t.idea_id \
                     JOIN boards b ON b.id = i.board_id WHERE t.term IN ({}) \
                     AND i.visibility = 'visible' AND i.merged_into IS NULL{}",
                    crate::placeholders(1, terms.len()),
                    if private { "" } else { " AND b.visibility = 'public'" }
                );
                let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
                for t in terms {
                    q = q.bind(t);
                }
                Ok(q.fetch_all(&self.pool).await?)
            }

            async fn term_frequencies(&self, terms: &[String]) -> Result<Vec<(String, i64)>, StoreError> {
                if terms.is_empty() {
                    return Ok(Vec::new());
                }
                let terms = &terms[..terms.len().min(60)];
                let sql = format!(
                    "SELECT term, COUNT(*) FROM idea_terms WHERE term IN ({}) GROUP BY term",
                    crate::placeholders(1, terms.len())
                );
                let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
                for t in terms {
                    q = q.bind(t);
                }
                Ok(q.fetch_all(&self.pool).await?)
            }

            async fn term_counts(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut out = Vec::with_capacity(ids.len());
                for chunk in ids.chunks(500) {
                    let sql = format!(
                        "SELECT idea_id, COUNT(*) FROM idea_terms WHERE idea_id IN ({}) GROUP BY idea_id",
                        crate::placeholders(1, chunk.len())
                    );
                    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
                    for id in chunk {
                        q = q.bind(id);
                    }
                    out.extend(q.fetch_all(&self.pool).await?);
                }
                Ok(out)
            }

            async fn count_visible_ideas(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM ideas WHERE visibility = 'visible' AND merged_into IS NULL",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(n as u64)
            }

            async fn idea_cards(
                &self,
                ids: &[i64],
                viewer: Option<i64>,
            ) -> Result<Vec<(IdeaCard, i64)>, StoreError> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = format!(
                    "{} WHERE i.id IN ({})",
                    CARD_SELECT.replace("$V", "$1"),
                    crate::placeholders(2, ids.len())
                );
                let mut q = sqlx::query_as::<_, CardRow>(&sql).bind(viewer.unwrap_or(0));
                for id in ids {
                    q = q.bind(id);
                }
                let rows = q.fetch_all(&self.pool).await?;
                Ok(rows.iter().map(|r| (r.card(), r.board_id)).collect())
            }

            async fn my_ideas(&self, user_id: i64, which: MyIdeas) -> Result<Vec<IdeaCard>, StoreError> {
                let condition = match which {
                    MyIdeas::Submitted => "i.author_id = $1",
                    MyIdeas::Voted => {
                        "EXISTS (SELECT 1 FROM idea_votes w WHERE w.idea_id = i.id AND w.user_id = $1)"
                    }
                    MyIdeas::Following => {
                        "EXISTS (SELECT 1 FROM idea_follows f WHERE f.idea_id = i.id AND f.user_id = $1)"
                    }
                };
                let sql = format!(
                    "{} WHERE {condition} AND (i.visibility <> 'hidden' OR i.author_id = $1) \
                     ORDER BY i.created_at DESC, i.id DESC LIMIT 200",
                    CARD_SELECT.replace("$V", "$1")
                );
                let rows: Vec<CardRow> = sqlx::query_as(&sql)
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.iter().map(CardRow::card).collect())
            }

            async fn roadmap(&self, done_since: i64) -> Result<Vec<RoadmapItem>, StoreError> {
                let sql = format!(
                    "{} JOIN idea_statuses s ON s.key = i.status WHERE s.on_roadmap \
                     AND i.visibility = 'visible' AND i.merged_into IS NULL \
                     AND (NOT s.closed OR i.status_at >= $2) \
                     ORDER BY s.position, i.vote_count DESC, i.id",
                    CARD_SELECT.replace("$V", "$1")
                );
                let rows: Vec<CardRow> = sqlx::query_as(&sql)
                    .bind(0_i64)
                    .bind(done_since)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(roadmap_item).collect())
            }

            async fn changelog(&self, limit: u32) -> Result<Vec<RoadmapItem>, StoreError> {
                let sql = format!(
                    "{} WHERE i.status = 'done' AND i.visibility = 'visible' AND i.merged_into IS NULL \
                     ORDER BY i.status_at DESC, i.id DESC LIMIT $2",
                    CARD_SELECT.replace("$V", "$1")
                );
                let rows: Vec<CardRow> = sqlx::query_as(&sql)
                    .bind(0_i64)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(roadmap_item).collect())
            }

            async fn notifications(
                &self,
                user_id: i64,
                limit: u32,
            ) -> Result<Vec<Notification>, StoreError> {
                let rows: Vec<NotificationRow> = sqlx::query_as(
                    "SELECT n.id, n.kind, n.idea_id, i.title_masked AS idea_title, b.slug AS board_slug, \
                     n.detail, n.created_at, n.read_at FROM notifications n \
                     LEFT JOIN ideas i ON i.id = n.idea_id \
                     LEFT JOIN boards b ON b.id = COALESCE(n.board_id, i.board_id) \
                     WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
                )
                .bind(user_id)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Notification::from).collect())
            }

            async fn unread_notifications(&self, user_id: i64) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                )
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n as u64)
            }

            async fn mark_notifications_read(&self, user_id: i64, now: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
                    .bind(user_id)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn merge_ideas(&self, merge: &Merge, notices: &Notices) -> Result<Moved, StoreError> {
                let (dup, orig, now) = (merge.duplicate_id, merge.original_id, merge.at);
                let mut tx = begin_write!($dialect, self.pool);
                let marked = sqlx::query(
                    "UPDATE ideas SET merged_into = $2 WHERE id = $1 AND merged_into IS NULL \
                     AND EXISTS (SELECT 1 FROM ideas o WHERE o.id = $2 AND o.merged_into IS NULL)",
                )
                .bind(dup)
                .bind(orig)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if marked != 1 {
                    return Err(StoreError::Conflict("idea merged meanwhile".into()));
                }
                let merge_id: i64 = sqlx::query_scalar(
                    "INSERT INTO idea_merges (duplicate_id, original_id, actor_id, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(dup)
                .bind(orig)
                .bind(merge.actor_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let mut moved = Moved::default();
                for (table, kind) in [("idea_votes", "vote"), ("idea_follows", "follow")] {
                    // Only rows the original lacked are added, and only those are recorded.
                    let users: Vec<i64> = sqlx::query_scalar(&format!(
                        "INSERT INTO {table} (idea_id, user_id, created_at) \
                         SELECT $2, d.user_id, $3 FROM {table} d WHERE d.idea_id = $1 \
                         ON CONFLICT DO NOTHING RETURNING user_id"
                    ))
                    .bind(dup)
                    .bind(orig)
                    .bind(now)
                    .fetch_all(&mut *tx)
                    .await?;
                    record_moves!(tx, merge_id, kind, users);
                    if kind == "vote" {
                        moved.votes = users.len() as i64;
                    } else {
                        moved.follows = users.len() as i64;
                    }
                }
                let comments: Vec<i64> = sqlx::query_scalar(
                    "UPDATE idea_comments SET idea_id = $2, merged_from = COALESCE(merged_from, $1) \
                     WHERE idea_id = $1 RETURNING id",
                )
                .bind(dup)
                .bind(orig)
                .fetch_all(&mut *tx)
                .await?;
                record_moves!(tx, merge_id, "comment", comments);
                moved.comments = comments.len() as i64;
                sqlx::query(
                    "UPDATE ideas SET vote_count = vote_count + $2, comment_count = comment_count + $3 \
                     WHERE id = $1",
                )
                .bind(orig)
                .bind(moved.votes)
                .bind(moved.comments)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE ideas SET comment_count = comment_count - $2 WHERE id = $1")
                    .bind(dup)
                    .bind(moved.comments)
                    .execute(&mut *tx)
                    .await?;
                for (idea, other) in [(dup, orig), (orig, dup)] {
                    insert_event!(tx, idea, merge.actor_id, "merge", other.to_string(), now);
                }
                write_notices!(tx, notices, now);
                tx.commit().await?;
                Ok(moved)
            }

            async fn unmerge_idea(
                &self,
                duplicate_id: i64,
                actor_id: i64,
                at: i64,
            ) -> Result<Option<Moved>, StoreError> {
                let dup = duplicate_id;
                let mut tx = begin_write!($dialect, self.pool);
                let merge: Option<(i64, i64)> = sqlx::query_as(
                    "SELECT m.id, m.original_id FROM idea_merges m JOIN ideas d ON d.id = m.duplicate_id \
                     WHERE m.duplicate_id = $1 AND m.undone_at IS NULL AND d.merged_into = m.original_id \
                     ORDER BY m.id DESC LIMIT 1",
                )
                .bind(dup)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((merge_id, orig)) = merge else {
                    return Ok(None);
                };
                let mut moved = Moved::default();
                for (table, kind) in [("idea_votes", "vote"), ("idea_follows", "follow")] {
                    let n = sqlx::query(&format!(
                        "DELETE FROM {table} WHERE idea_id = $1 AND user_id IN \
                         (SELECT ref_id FROM idea_merge_moves WHERE merge_id = $2 AND kind = $3)"
                    ))
                    .bind(orig)
                    .bind(merge_id)
                    .bind(kind)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() as i64;
                    if kind == "vote" {
                        moved.votes = n;
                    } else {
                        moved.follows = n;
                    }
                }
                moved.comments = sqlx::query(
                    "UPDATE idea_comments SET idea_id = $1, \
                     merged_from = CASE WHEN merged_from = $1 THEN NULL ELSE merged_from END \
                     WHERE idea_id = $2 AND id IN \
                     (SELECT ref_id FROM idea_merge_moves WHERE merge_id = $3 AND kind = 'comment')",
                )
                .bind(dup)
                .bind(orig)
                .bind(merge_id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
                sqlx::query(
                    "UPDATE ideas SET vote_count = vote_count - $2, comment_count = comment_count - $3 \
                     WHERE id = $1",
                )
                .bind(orig)
                .bind(moved.votes)
                .bind(moved.comments)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE ideas SET merged_into = NULL, comment_count = comment_count + $2 WHERE id = $1",
                )
                .bind(dup)
                .bind(moved.comments)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE idea_merges SET undone_at = $2 WHERE id = $1")
                    .bind(merge_id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                for (idea, other) in [(dup, orig), (orig, dup)] {
                    insert_event!(tx, idea, actor_id, "unmerge", other.to_string(), at);
                }
                tx.commit().await?;
                Ok(Some(moved))
            }

            async fn set_internal_vote(
                &self,
                idea_id: i64,
                user_id: i64,
                on: bool,
                now: i64,
            ) -> Result<(), StoreError> {
                set_membership!(self.pool, "idea_internal_votes", idea_id, user_id, on, now);
                Ok(())
            }

            async fn set_priority(
                &self,
                idea_id: i64,
                priority: &Priority,
                user_id: i64,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                sqlx::query(
                    "INSERT INTO idea_priorities (idea_id, reach, impact, confidence, effort, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idea_id) DO UPDATE SET \
                     reach = excluded.reach, impact = excluded.impact, confidence = excluded.confidence, \
                     effort = excluded.effort, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                )
                .bind(idea_id)
                .bind(priority.reach)
                .bind(priority.impact)
                .bind(priority.confidence)
                .bind(priority.effort)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let detail = format!(
                    "R={} I={} C={} E={}",
                    priority.reach.map_or_else(|| "-".into(), |r| r.to_string()),
                    priority.impact,
                    priority.confidence,
                    priority.effort
                );
                insert_event!(tx, idea_id, user_id, "priority", detail, now);
                tx.commit().await?;
                Ok(())
            }

            async fn moderate_idea(
                &self,
                idea_id: i64,
                hide_reason: Option<&str>,
                actor_id: i64,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let (visibility, action) = match hide_reason {
                    Some(_) => ("hidden", "hide"),
                    None => ("visible", "approve"),
                };
                sqlx::query("UPDATE ideas SET visibility = $2, hidden_reason = $3 WHERE id = $1")
                    .bind(idea_id)
                    .bind(visibility)
                    .bind(hide_reason)
                    .execute(&mut *tx)
                    .await?;
                insert_event!(tx, idea_id, actor_id, action, hide_reason.unwrap_or("").to_string(), now);
                tx.commit().await?;
                Ok(())
            }

            async fn hide_comment(
                &self,
                comment_id: i64,
                reason: &str,
                actor_id: i64,
                now: i64,
            ) -> Result<Option<i64>, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let idea: Option<i64> = sqlx::query_scalar(
                    "UPDATE idea_comments SET hidden_reason = $2 WHERE id = $1 AND hidden_reason IS NULL \
                     RETURNING idea_id",
                )
                .bind(comment_id)
                .bind(reason)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(idea) = idea {
                    sqlx::query("UPDATE ideas SET comment_count = comment_count - 1 WHERE id = $1")
                        .bind(idea)
                        .execute(&mut *tx)
                        .await?;
                    insert_event!(tx, idea, actor_id, "hide_comment", format!("{comment_id}: {reason}"), now);
                }
                tx.commit().await?;
                Ok(idea)
            }

            async fn triage(&self, viewer: i64) -> Result<Vec<TriageRecord>, StoreError> {
                let rows: Vec<TriageRow> = sqlx::query_as(
                    "SELECT i.id, b.slug AS board_slug, i.title_masked AS title, i.status, i.vote_count, \
                     i.comment_count, i.created_at, u.display_name AS author, i.visibility, i.board_id, \
                     i.status_message, i.status_at, FALSE AS voted, i.answered_at, b.response_days, \
                     b.name_nl AS board_name_nl, b.name_en AS board_name_en, \
                     (SELECT COUNT(*) FROM idea_internal_votes w WHERE w.idea_id = i.id) AS internal_votes, \
                     EXISTS (SELECT 1 FROM idea_internal_votes w WHERE w.idea_id = i.id AND w.user_id = $1) AS my_internal_vote, \
                     (SELECT COUNT(*) FROM idea_votes v JOIN users c ON c.id = v.user_id \
                      WHERE v.idea_id = i.id AND c.role = 'customer') AS customers, \
                     p.reach, p.impact, p.confidence, p.effort \
                     FROM ideas i JOIN boards b ON b.id = i.board_id JOIN users u ON u.id = i.author_id \
                     JOIN idea_statuses s ON s.key = i.status LEFT JOIN idea_priorities p ON p.idea_id = i.id \
                     WHERE i.merged_into IS NULL AND i.visibility <> 'hidden' AND NOT s.closed \
                     ORDER BY i.created_at DESC, i.id DESC LIMIT 1000",
                )
                .bind(viewer)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(triage_record).collect())
            }

            async fn voter_scores(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
                let mut out = Vec::new();
                for chunk in ids.chunks(500) {
                    let sql = format!(
                        "SELECT v.idea_id, CAST(j.latest_score AS BIGINT) FROM idea_votes v \
                         JOIN users u ON u.id = v.user_id \
                         JOIN customer_journeys j ON j.customer_hash = u.customer_hash \
                         WHERE v.idea_id IN ({})",
                        crate::placeholders(1, chunk.len())
                    );
                    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
                    for id in chunk {
                        q = q.bind(id);
                    }
                    out.extend(q.fetch_all(&self.pool).await?);
                }
                Ok(out)
            }

            async fn idea_events(&self, idea_id: i64) -> Result<Vec<IdeaEvent>, StoreError> {
                let rows: Vec<(Option<String>, String, String, i64)> = sqlx::query_as(
                    "SELECT u.display_name, e.action, e.detail, e.created_at FROM idea_events e \
                     LEFT JOIN users u ON u.id = e.actor_id WHERE e.idea_id = $1 ORDER BY e.id",
                )
                .bind(idea_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(actor, action, detail, created_at)| IdeaEvent { actor, action, detail, created_at })
                    .collect())
            }

            async fn idea_activity(&self, since: i64) -> Result<IdeaActivity, StoreError> {
                let per_day = |sql: &'static str| {
                    let pool = &self.pool;
                    async move {
                        sqlx::query_as::<_, (i64, i64)>(sql)
                            .bind(since)
                            .fetch_all(pool)
                            .await
                    }
                };
                let ideas = per_day(
                    "SELECT created_at / 86400, COUNT(*) FROM ideas WHERE created_at >= $1 \
                     AND merged_into IS NULL AND visibility = 'visible' GROUP BY created_at / 86400",
                )
                .await?;
                let votes = per_day(
                    "SELECT created_at / 86400, COUNT(*) FROM idea_votes WHERE created_at >= $1 \
                     GROUP BY created_at / 86400",
                )
                .await?;
                let comments = per_day(
                    "SELECT created_at / 86400, COUNT(*) FROM idea_comments WHERE created_at >= $1 \
                     AND hidden_reason IS NULL GROUP BY created_at / 86400",
                )
                .await?;
                let mut days: std::collections::BTreeMap<i64, (i64, i64, i64)> = Default::default();
                for (d, n) in ideas {
                    days.entry(d).or_default().0 += n;
                }
                for (d, n) in votes {
                    days.entry(d).or_default().1 += n;
                }
                for (d, n) in comments {
                    days.entry(d).or_default().2 += n;
                }
                let statuses: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT s.key, COUNT(i.id) FROM idea_statuses s LEFT JOIN ideas i ON i.status = s.key \
                     AND i.merged_into IS NULL AND i.visibility = 'visible' GROUP BY s.key, s.position \
                     ORDER BY s.position",
                )
                .fetch_all(&self.pool)
                .await?;
                let idea_themes: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT t.theme_key, COUNT(*) FROM idea_themes t JOIN ideas i ON i.id = t.idea_id \
                     WHERE i.created_at >= $1 AND i.merged_into IS NULL AND i.visibility = 'visible' \
                     GROUP BY t.theme_key ORDER BY COUNT(*) DESC, t.theme_key LIMIT 8",
                )
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                let detractor_themes: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT t.theme_key, COUNT(*) FROM response_themes t JOIN responses r ON r.id = t.response_id \
                     WHERE r.created_at >= $1 AND r.score <= 6 \
                     GROUP BY t.theme_key ORDER BY COUNT(*) DESC, t.theme_key LIMIT 8",
                )
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                let answer_secs: Vec<i64> = sqlx::query_scalar(
                    "SELECT answered_at - created_at FROM ideas WHERE created_at >= $1 \
                     AND answered_at IS NOT NULL AND merged_into IS NULL",
                )
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                let count: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM ideas WHERE created_at >= $1 AND merged_into IS NULL \
                     AND visibility = 'visible'",
                )
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                Ok(IdeaActivity {
                    days: days.into_iter().map(|(d, (i, v, c))| (d, i, v, c)).collect(),
                    statuses,
                    idea_themes,
                    detractor_themes,
                    answer_secs,
                    ideas: count,
                })
            }

            async fn update_board(&self, id: i64, board: &NewBoard) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE boards SET slug = $2, kind = $3, name_nl = $4, name_en = $5, \
                     description_nl = $6, description_en = $7, visibility = $8, moderation = $9, \
                     owner = $10, opens_at = $11, closes_at = $12, stages = $13, stage = $14, \
                     response_days = $15 WHERE id = $1",
                )
                .bind(id)
                .bind(&board.slug)
                .bind(board.kind.as_str())
                .bind(&board.name_nl)
                .bind(&board.name_en)
                .bind(&board.description_nl)
                .bind(&board.description_en)
                .bind(board.visibility.as_str())
                .bind(board.moderation.as_str())
                .bind(&board.owner)
                .bind(board.opens_at)
                .bind(board.closes_at)
                .bind(serde_json::to_string(&board.stages).unwrap_or_else(|_| "[]".into()))
                .bind(&board.stage)
                .bind(board.response_days)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn save_status(&self, status: &IdeaStatus) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO idea_statuses (key, name_nl, name_en, color, position, on_roadmap, closed) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO UPDATE SET \
                     name_nl = excluded.name_nl, name_en = excluded.name_en, color = excluded.color, \
                     position = excluded.position, on_roadmap = excluded.on_roadmap, closed = excluded.closed",
                )
                .bind(&status.key)
                .bind(&status.name_nl)
                .bind(&status.name_en)
                .bind(&status.color)
                .bind(status.position)
                .bind(status.on_roadmap)
                .bind(status.closed)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn contributions(
                &self,
                customer_hash: &str,
            ) -> Result<Vec<domain::idea::Contribution>, StoreError> {
                let rows: Vec<(String, i64, String, String, i64)> = sqlx::query_as(
                    "SELECT 'idea' AS kind, i.id, b.slug, i.title_masked, i.created_at AS at FROM ideas i \
                     JOIN boards b ON b.id = i.board_id JOIN users u ON u.id = i.author_id \
                     WHERE u.customer_hash = $1 AND i.visibility <> 'hidden' \
                     UNION ALL SELECT 'vote', i.id, b.slug, i.title_masked, v.created_at FROM idea_votes v \
                     JOIN ideas i ON i.id = v.idea_id JOIN boards b ON b.id = i.board_id \
                     JOIN users u ON u.id = v.user_id \
                     WHERE u.customer_hash = $1 AND i.author_id <> v.user_id AND i.visibility <> 'hidden' \
                     UNION ALL SELECT 'comment', i.id, b.slug, i.title_masked, c.created_at FROM idea_comments c \
                     JOIN ideas i ON i.id = c.idea_id JOIN boards b ON b.id = i.board_id \
                     JOIN users u ON u.id = c.author_id \
                     WHERE u.customer_hash = $1 AND c.hidden_reason IS NULL AND i.visibility <> 'hidden' \
                     ORDER BY 5 DESC, 2 DESC LIMIT 200",
                )
                .bind(customer_hash)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(kind, idea_id, board_slug, title, at)| domain::idea::Contribution {
                        kind,
                        idea_id,
                        board_slug,
                        title,
                        at,
                    })
                    .collect())
            }

            async fn ladder_facts(&self) -> Result<LadderFacts, StoreError> {
                let responses: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT customer_hash, created_at, CAST(score AS BIGINT) FROM responses \
                     WHERE customer_hash IS NOT NULL AND score IS NOT NULL ORDER BY customer_hash, created_at, id",
                )
                .fetch_all(&self.pool)
                .await?;
                let contributions: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT u.customer_hash, MIN(c.at) FROM users u JOIN ( \
                       SELECT author_id AS user_id, created_at AS at FROM ideas \
                       UNION ALL SELECT user_id, created_at FROM idea_votes \
                       UNION ALL SELECT author_id, created_at FROM idea_comments) c ON c.user_id = u.id \
                     WHERE u.customer_hash IS NOT NULL GROUP BY u.customer_hash",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(LadderFacts { responses, contributions })
            }

            async fn priority(&self, idea_id: i64) -> Result<Option<Priority>, StoreError> {
                let row: Option<(Option<i64>, f64, f64, f64)> = sqlx::query_as(
                    "SELECT reach, impact, confidence, effort FROM idea_priorities WHERE idea_id = $1",
                )
                .bind(idea_id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|(reach, impact, confidence, effort)| Priority { reach, impact, confidence, effort }))
            }
        }
    };
}
pub(crate) use idea_store;

/// Writes a change's notifications and mails in transaction `$tx`.
macro_rules! write_notices {
    ($tx:ident, $notices:expr, $now:expr) => {{
        let notices: &Notices = $notices;
        for n in &notices.notifications {
            sqlx::query(
                "INSERT INTO notifications (user_id, idea_id, board_id, kind, detail, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(n.user_id)
            .bind(n.idea_id)
            .bind(n.board_id)
            .bind(&n.kind)
            .bind(&n.detail)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
        for mail in &notices.mails {
            enqueue_mail!(&mut *$tx, mail, $now);
        }
    }};
}
pub(crate) use write_notices;

/// Adds a line to an idea's audit trail in transaction `$tx`.
macro_rules! insert_event {
    ($tx:ident, $idea:expr, $actor:expr, $action:expr, $detail:expr, $now:expr) => {{
        let detail: String = $detail;
        sqlx::query(
            "INSERT INTO idea_events (idea_id, actor_id, action, detail, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($idea)
        .bind($actor)
        .bind($action)
        .bind(detail)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use insert_event;

/// Records what a merge moved (`$kind` rows with ids `$ids`) in transaction `$tx`.
macro_rules! record_moves {
    ($tx:ident, $merge:expr, $kind:expr, $ids:expr) => {
        for id in &$ids {
            sqlx::query(
                "INSERT INTO idea_merge_moves (merge_id, kind, ref_id) VALUES ($1, $2, $3)",
            )
            .bind($merge)
            .bind($kind)
            .bind(*id)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use record_moves;

/// Adds (`$on`) or removes a user's row in a per-idea membership table (follows, internal
/// votes); adding twice or removing what is not there changes nothing.
macro_rules! set_membership {
    ($pool:expr, $table:literal, $idea:expr, $user:expr, $on:expr, $now:expr) => {{
        let sql = if $on {
            concat!(
                "INSERT INTO ",
                $table,
                " (idea_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
            )
        } else {
            concat!(
                "DELETE FROM ",
                $table,
                " WHERE idea_id = $1 AND user_id = $2 AND $3 = $3"
            )
        };
        sqlx::query(sql)
            .bind($idea)
            .bind($user)
            .bind($now)
            .execute(&$pool)
            .await?;
    }};
}
pub(crate) use set_membership;
