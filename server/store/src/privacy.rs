//! Privacy: one customer's data gathered and erased; the audit log.

/// `a, b, c` of ids for an `IN (…)` (ids are numbers, so written into the SQL); `NULL` for none,
/// which matches nothing.
pub(crate) fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$from, …` for `n` bound values; `NULL` for none.
pub(crate) fn params(from: usize, n: usize) -> String {
    if n == 0 {
        return "NULL".into();
    }
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ids of the subject's responses (by customer hash or contact address) and of their
/// customer accounts, read through `$executor`: `(responses, users)`.
macro_rules! subject_ids {
    ($executor:expr, $subject:expr) => {{
        let subject: &Subject = $subject;
        let (h, e) = (subject.hashes.len(), subject.emails.len());
        let (hashes, emails) = ($crate::privacy::params(1, h), $crate::privacy::params(h + 1, e));
        let mut found = Vec::new();
        for sql in [
            format!(
                "SELECT id FROM responses WHERE customer_hash IN ({hashes}) \
                 OR LOWER(contact_email) IN ({emails}) ORDER BY id"
            ),
            format!(
                "SELECT id FROM users WHERE role = 'customer' AND (customer_hash IN ({hashes}) \
                 OR email IN ({emails})) ORDER BY id"
            ),
        ] {
            let mut query = sqlx::query_scalar::<_, i64>(&sql);
            for v in subject.hashes.iter().chain(&subject.emails) {
                query = query.bind(v);
            }
            found.push(query.fetch_all(&mut *$executor).await?);
        }
        let users = found.pop().unwrap_or_default();
        let responses = found.pop().unwrap_or_default();
        (responses, users)
    }};
}
pub(crate) use subject_ids;

/// Implements [`klantstem_core::store::PrivacyStore`] for a store type with a `pool` of one sqlx
/// backend.
macro_rules! privacy_store {
    ($store:ty, $dialect:expr) => {
        #[async_trait::async_trait]
        impl klantstem_core::store::PrivacyStore for $store {
            async fn customer_data(&self, subject: &Subject) -> Result<CustomerData, StoreError> {
                use domain::privacy::*;
                let mut conn = self.pool.acquire().await?;
                let (responses, users) = subject_ids!(conn, subject);
                let (r, u) = ($crate::privacy::id_list(&responses), $crate::privacy::id_list(&users));
                let mut data = CustomerData::default();
                let account: Option<(String, String, i64, Option<i64>, String, i64)> = sqlx::query_as(&format!(
                    "SELECT email, display_name, created_at, email_verified_at, locale, \
                     CAST(CASE WHEN mail_notifications THEN 1 ELSE 0 END AS BIGINT) FROM users WHERE id IN ({u}) ORDER BY id LIMIT 1"
                ))
                .fetch_optional(&mut *conn)
                .await?;
                data.account = account.map(|(email, display_name, created_at, email_verified_at, locale, m)| AccountData {
                    email,
                    display_name,
                    created_at,
                    email_verified_at,
                    locale,
                    mail_notifications: m != 0,
                });
                type ResponseRow = (
                    i64, String, i64, Option<i64>, Option<i64>, Option<String>, Option<String>,
                    Option<String>, Option<String>, String, Option<String>, Option<String>, Option<String>,
                    Option<String>, Option<i64>,
                );
                let rows: Vec<ResponseRow> = sqlx::query_as(&format!(
                    "SELECT r.id, s.slug, r.created_at, CAST(r.score AS BIGINT), CAST(r.rating AS BIGINT), \
                     r.reason, r.language, r.channel, r.journey_phase, r.source, r.contact_email, \
                     r.customer_ref, r.sentiment, r.consent, CAST(r.consent_withdrawn_at AS BIGINT) \
                     FROM responses r JOIN surveys s ON s.id = r.survey_id \
                     WHERE r.id IN ({r}) ORDER BY r.created_at, r.id"
                ))
                .fetch_all(&mut *conn)
                .await?;
                let themes: Vec<(i64, String)> = sqlx::query_as(&format!(
                    "SELECT response_id, theme_key FROM response_themes WHERE response_id IN ({r}) \
                     ORDER BY response_id, theme_key"
                ))
                .fetch_all(&mut *conn)
                .await?;
                let answers: Vec<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as(&format!(
                    "SELECT a.response_id, q.texts, CAST(a.value AS BIGINT), a.text FROM answers a \
                     JOIN questions q ON q.id = a.question_id WHERE a.response_id IN ({r}) \
                     ORDER BY a.response_id, q.position"
                ))
                .fetch_all(&mut *conn)
                .await?;
                data.responses = rows
                    .into_iter()
                    .map(|(id, survey, created_at, score, rating, text, language, channel, journey_phase, source, contact_email, customer_reference, sentiment, consent, consent_withdrawn_at)| ResponseData {
                        id,
                        survey,
                        created_at,
                        score,
                        rating,
                        text,
                        language,
                        channel,
                        journey_phase,
                        source,
                        contact_email,
                        customer_reference,
                        consent,
                        consent_withdrawn_at,
                        sentiment,
                        themes: themes.iter().filter(|t| t.0 == id).map(|t| t.1.clone()).collect(),
                        answers: answers
                            .iter()
                            .filter(|a| a.0 == id)
                            .map(|a| {
                                let label = serde_json::from_str::<domain::questions::QuestionTexts>(&a.1)
                                    .map(|t| t.label_nl)
                                    .unwrap_or_default();
                                (label, a.2, a.3.clone())
                            })
                            .collect(),
                    })
                    .collect();
                let ideas: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(&format!(
                    "SELECT i.id, b.slug, i.title, i.body, i.status, i.created_at FROM ideas i \
                     JOIN boards b ON b.id = i.board_id WHERE i.author_id IN ({u}) ORDER BY i.id"
                ))
                .fetch_all(&mut *conn)
                .await?;
                data.ideas = ideas
                    .into_iter()
                    .map(|(id, board, title, body, status, created_at)| IdeaData { id, board, title, body, status, created_at })
                    .collect();
                let comments: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
                    "SELECT idea_id, body, created_at FROM idea_comments WHERE author_id IN ({u}) ORDER BY id"
                ))
                .fetch_all(&mut *conn)
                .await?;
                data.comments = comments
                    .into_iter()
                    .map(|(idea_id, body, created_at)| CommentData { idea_id, body, created_at })
                    .collect();
                for (table, list) in [("idea_votes", &mut data.votes), ("idea_follows", &mut data.follows)] {
                    let rows: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
                        "SELECT v.idea_id, i.title, v.created_at FROM {table} v JOIN ideas i ON i.id = v.idea_id \
                         WHERE v.user_id IN ({u}) ORDER BY v.created_at, v.idea_id"
                    ))
                    .fetch_all(&mut *conn)
                    .await?;
                    *list = rows
                        .into_iter()
                        .map(|(idea_id, idea_title, created_at)| VoteData { idea_id, idea_title, created_at })
                        .collect();
                }
                let items: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(&format!(
                    "SELECT i.id, i.response_id, d.name, i.status, c.outcome FROM inbox_items i \
                     JOIN departments d ON d.id = i.department_id LEFT JOIN cases c ON c.item_id = i.id \
                     WHERE i.response_id IN ({r}) ORDER BY i.id"
                ))
                .fetch_all(&mut *conn)
                .await?;
                let notes: Vec<(i64, String)> = sqlx::query_as(&format!(
                    "SELECT item_id, body FROM inbox_notes WHERE item_id IN \
                     (SELECT id FROM inbox_items WHERE response_id IN ({r})) \
                     UNION ALL SELECT c.item_id, cc.note FROM case_contacts cc JOIN cases c ON c.id = cc.case_id \
                     WHERE cc.note <> '' AND c.item_id IN (SELECT id FROM inbox_items WHERE response_id IN ({r}))"
                ))
                .fetch_all(&mut *conn)
                .await?;
                data.inbox = items
                    .into_iter()
                    .map(|(id, response_id, department, status, case_outcome)| InboxData {
                        response_id,
                        department,
                        status,
                        case_outcome,
                        notes: notes.iter().filter(|n| n.0 == id).map(|n| n.1.clone()).collect(),
                    })
                    .collect();
                let e = subject.emails.len();
                let sql = format!(
                    "SELECT created_at, kind, subject, body, status FROM outbox WHERE LOWER(recipient) IN ({}) \
                     ORDER BY id",
                    $crate::privacy::params(1, e)
                );
                let mut query = sqlx::query_as::<_, (i64, String, String, String, String)>(&sql);
                for v in &subject.emails {
                    query = query.bind(v);
                }
                data.mails = query
                    .fetch_all(&mut *conn)
                    .await?
                    .into_iter()
                    .map(|(created_at, kind, subject, body, status)| MailData { created_at, kind, subject, body, status })
                    .collect();
                Ok(data)
            }

            async fn erase_customer(
                &self,
                subject: &Subject,
                audit: &NewAudit,
                now: i64,
            ) -> Result<Erasure, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let (responses, users) = subject_ids!(tx, subject);
                let (r, u) = ($crate::privacy::id_list(&responses), $crate::privacy::id_list(&users));
                let mut done = Erasure::default();
                // Text-only feedback is nothing but their words: it goes. The rest keeps its
                // score, rating, survey, channel and date for the figures.
                let text_only: Vec<i64> = sqlx::query_scalar(&format!(
                    "SELECT id FROM responses WHERE id IN ({r}) AND score IS NULL AND rating IS NULL"
                ))
                .fetch_all(&mut *tx)
                .await?;
                let kept: Vec<i64> = responses.iter().copied().filter(|id| !text_only.contains(id)).collect();
                adjust_rollups!($dialect, tx, responses, -1);
                let notes = sqlx::query(&format!(
                    "DELETE FROM inbox_notes WHERE item_id IN (SELECT id FROM inbox_items WHERE response_id IN ({r}))"
                ))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                let contact_notes = sqlx::query(&format!(
                    "UPDATE case_contacts SET note = '' WHERE note <> '' AND case_id IN (SELECT c.id FROM cases c \
                     JOIN inbox_items i ON i.id = c.item_id WHERE i.response_id IN ({r}))"
                ))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                done.notes_deleted = notes + contact_notes;
                // Webhook payloads about their responses carry the text.
                sqlx::query(&format!(
                    "DELETE FROM webhook_deliveries WHERE event_id IN (SELECT event_id FROM events \
                     WHERE kind LIKE 'response.%' AND subject_id IN ({r}))"
                ))
                .execute(&mut *tx)
                .await?;
                for sql in [
                    format!("DELETE FROM events WHERE kind LIKE 'response.%' AND subject_id IN ({r})"),
                    format!("DELETE FROM response_themes WHERE response_id IN ({r})"),
                    format!("DELETE FROM theme_corrections WHERE response_id IN ({r})"),
                    format!("DELETE FROM sentiment_labels WHERE response_id IN ({r})"),
                    format!("DELETE FROM theme_sentiment_labels WHERE response_id IN ({r})"),
                    format!("UPDATE action_told SET customer_hash = NULL WHERE response_id IN ({r})"),
                    format!("DELETE FROM answers WHERE response_id IN ({r}) AND value IS NULL"),
                    format!("UPDATE answers SET text = NULL WHERE response_id IN ({r})"),
                ] {
                    sqlx::query(&sql).execute(&mut *tx).await?;
                }
                done.responses_deleted = sqlx::query(&format!(
                    "DELETE FROM responses WHERE id IN ({})",
                    $crate::privacy::id_list(&text_only)
                ))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                let k = $crate::privacy::id_list(&kept);
                done.responses_anonymised = sqlx::query(&format!(
                    "UPDATE responses SET reason = NULL, language = NULL, language_confidence = NULL, \
                     sentiment = NULL, sentiment_score = NULL, sentiment_confidence = NULL, \
                     contact_email = NULL, customer_hash = NULL, customer_ref = NULL, consent = NULL, \
                     consent_withdrawn_at = NULL WHERE id IN ({k})"
                ))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                adjust_rollups!($dialect, tx, kept, 1);
                let h = subject.hashes.len();
                let sql = format!(
                    "DELETE FROM customer_journeys WHERE customer_hash IN ({})",
                    $crate::privacy::params(1, h)
                );
                let mut query = sqlx::query(&sql);
                for v in &subject.hashes {
                    query = query.bind(v);
                }
                query.execute(&mut *tx).await?;
                // Their account: votes, follows and comments go (the ideas' counts with them);
                // their ideas stay, without a name.
                let (votes, comments, ideas): (i64, i64, i64) = sqlx::query_as(&format!(
                    "SELECT (SELECT COUNT(*) FROM idea_votes WHERE user_id IN ({u})), \
                     (SELECT COUNT(*) FROM idea_comments WHERE author_id IN ({u})), \
                     (SELECT COUNT(*) FROM ideas WHERE author_id IN ({u}))"
                ))
                .fetch_one(&mut *tx)
                .await?;
                (done.votes_deleted, done.comments_deleted, done.ideas_anonymised) =
                    (votes as u64, comments as u64, ideas as u64);
                for sql in [
                    format!(
                        "UPDATE ideas SET vote_count = vote_count - (SELECT COUNT(*) FROM idea_votes v \
                         WHERE v.idea_id = ideas.id AND v.user_id IN ({u})) \
                         WHERE id IN (SELECT idea_id FROM idea_votes WHERE user_id IN ({u}))"
                    ),
                    format!(
                        "UPDATE ideas SET comment_count = comment_count - (SELECT COUNT(*) FROM idea_comments c \
                         WHERE c.idea_id = ideas.id AND c.author_id IN ({u}) AND c.hidden_reason IS NULL) \
                         WHERE id IN (SELECT idea_id FROM idea_comments WHERE author_id IN ({u}))"
                    ),
                    format!(
                        "DELETE FROM idea_merge_moves WHERE (kind IN ('vote', 'follow') AND ref_id IN ({u})) \
                         OR (kind = 'comment' AND ref_id IN (SELECT id FROM idea_comments WHERE author_id IN ({u})))"
                    ),
                    format!("DELETE FROM idea_comments WHERE author_id IN ({u})"),
                    format!("DELETE FROM idea_votes WHERE user_id IN ({u})"),
                    format!("DELETE FROM idea_follows WHERE user_id IN ({u})"),
                    format!("DELETE FROM idea_mutes WHERE user_id IN ({u})"),
                    format!("DELETE FROM notifications WHERE user_id IN ({u})"),
                    format!("DELETE FROM sessions WHERE user_id IN ({u})"),
                    format!("DELETE FROM account_tokens WHERE user_id IN ({u})"),
                    format!(
                        "UPDATE users SET email = 'erased-' || CAST(id AS TEXT) || '@invalid', display_name = '', \
                         password_hash = '!', customer_hash = NULL, email_verified_at = NULL \
                         WHERE id IN ({u})"
                    ),
                ] {
                    sqlx::query(&sql).execute(&mut *tx).await?;
                }
                done.account_erased = !users.is_empty();
                let e = subject.emails.len();
                let sql = format!(
                    "DELETE FROM outbox WHERE LOWER(recipient) IN ({})",
                    $crate::privacy::params(1, e)
                );
                let mut query = sqlx::query(&sql);
                for v in &subject.emails {
                    query = query.bind(v);
                }
                done.mails_deleted = query.execute(&mut *tx).await?.rows_affected();
                // Files uploaded but not imported hold rows as typed: one naming them is emptied.
                let sql = format!(
                    "UPDATE imports SET content = '' WHERE status IN ('uploaded', 'failed') AND ({})",
                    (1..=e).map(|i| format!("LOWER(content) LIKE '%' || ${i} || '%'")).collect::<Vec<_>>().join(" OR ")
                );
                if e > 0 {
                    let mut query = sqlx::query(&sql);
                    for v in &subject.emails {
                        query = query.bind(v);
                    }
                    done.uploads_cleared = query.execute(&mut *tx).await?.rows_affected();
                }
                let line = NewAudit {
                    detail: done.counts(),
                    ..audit.clone()
                };
                insert_audit!(&mut *tx, &line, now);
                tx.commit().await?;
                Ok(done)
            }

            async fn anonymise_responses_before(&self, cutoff: i64, limit: u32) -> Result<u64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
                    "SELECT id, customer_hash FROM responses WHERE created_at < $1 AND (contact_email IS NOT NULL \
                     OR customer_ref IS NOT NULL OR customer_hash IS NOT NULL) ORDER BY id LIMIT $2",
                )
                .bind(cutoff)
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?;
                let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                let mut hashes: Vec<String> = rows.into_iter().filter_map(|r| r.1).collect();
                hashes.sort();
                hashes.dedup();
                let r = $crate::privacy::id_list(&ids);
                let anonymised = sqlx::query(&format!(
                    "UPDATE responses SET contact_email = NULL, customer_ref = NULL, customer_hash = NULL \
                     WHERE id IN ({r})"
                ))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                sqlx::query(&format!("UPDATE action_told SET customer_hash = NULL WHERE response_id IN ({r})"))
                    .execute(&mut *tx)
                    .await?;
                // The customers' journeys, from what is still theirs; none left, no journey.
                update_journeys!(tx, &hashes);
                for hash in &hashes {
                    sqlx::query(
                        "DELETE FROM customer_journeys WHERE customer_hash = $1 AND NOT EXISTS \
                         (SELECT 1 FROM responses WHERE customer_hash = $1 AND score IS NOT NULL)",
                    )
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(anonymised)
            }

            async fn delete_records_before(&self, cutoff: i64) -> Result<Retention, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let mut done = Retention::default();
                done.notes = sqlx::query("DELETE FROM inbox_notes WHERE created_at < $1")
                    .bind(cutoff)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    + sqlx::query("UPDATE case_contacts SET note = '' WHERE note <> '' AND created_at < $1")
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                done.mails = sqlx::query("DELETE FROM outbox WHERE created_at < $1 AND status IN ('sent', 'failed')")
                    .bind(cutoff)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                done.uploads = sqlx::query(
                    "UPDATE imports SET content = '' WHERE created_at < $1 AND status IN ('uploaded', 'failed') \
                     AND content <> ''",
                )
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                done.deliveries = sqlx::query(
                    "DELETE FROM webhook_deliveries WHERE created_at < $1 AND status IN ('delivered', 'failed')",
                )
                .bind(cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok(done)
            }

            async fn withdraw_consent(
                &self,
                subject: &Subject,
                audit: &NewAudit,
                now: i64,
            ) -> Result<u64, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let (responses, _) = subject_ids!(tx, subject);
                let r = $crate::privacy::id_list(&responses);
                let withdrawn = sqlx::query(&format!(
                    "UPDATE responses SET contact_email = NULL, customer_ref = NULL, consent_withdrawn_at = $1 \
                     WHERE id IN ({r}) AND consent IS NOT NULL AND consent_withdrawn_at IS NULL"
                ))
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                let line = NewAudit {
                    detail: format!("responses={withdrawn}"),
                    ..audit.clone()
                };
                insert_audit!(&mut *tx, &line, now);
                tx.commit().await?;
                Ok(withdrawn)
            }

            async fn record_audit(&self, audit: &NewAudit, now: i64) -> Result<(), StoreError> {
                insert_audit!(&self.pool, audit, now);
                Ok(())
            }

            async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
                let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
                    "SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(at, actor, action, subject, detail)| {
                        Ok(AuditEntry {
                            at,
                            actor,
                            action: AuditAction::parse(&action).ok_or_else(|| StoreError::Corrupt {
                                what: "audit action",
                                detail: action.clone(),
                            })?,
                            subject,
                            detail,
                        })
                    })
                    .collect()
            }
        }
    };
}
pub(crate) use privacy_store;

/// Writes an audit line through `$executor`.
macro_rules! insert_audit {
    ($executor:expr, $audit:expr, $now:expr) => {{
        let audit: &NewAudit = $audit;
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, actor, action, subject, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($now)
        .bind(audit.user_id)
        .bind(&audit.actor)
        .bind(audit.action.as_str())
        .bind(&audit.subject)
        .bind(&audit.detail)
        .execute($executor)
        .await?;
    }};
}
pub(crate) use insert_audit;
