//! The pieces of write transactions that several aggregates share.

/// Begins a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), waiting
/// out `busy_timeout` for another writer: a deferred transaction that first reads and then writes
/// cannot wait (the upgrade could deadlock), so a burst of concurrent answers made some fail with
/// "database is locked".
macro_rules! begin_write {
    ($dialect:expr, $pool:expr) => {
        $pool
            .begin_with(if $dialect == Dialect::Sqlite {
                "BEGIN IMMEDIATE"
            } else {
                "BEGIN"
            })
            .await?
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
        .map_err(StoreError::from)
    };
}
pub(crate) use insert_survey;

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

/// Binds ids, in order, to a query with one placeholder per id.
macro_rules! bind_ids {
    ($query:expr, $ids:expr $(,)?) => {{
        let mut query = $query;
        for id in $ids {
            query = query.bind(*id);
        }
        query
    }};
}
pub(crate) use bind_ids;

/// The labels a person sent with the text of a new or completed response (its answers:
/// `insert_answers`).
macro_rules! insert_labels {
    ($tx:ident, $id:expr, $r:expr) => {
        // A person's labels that came with the text, kept as corrections.
        if let Some((sentiment, automatic)) = &$r.labels.sentiment {
            sqlx::query(
                "INSERT INTO sentiment_labels (response_id, sentiment, automatic, source, user_id, created_at) \
                 VALUES ($1, $2, $3, CASE $4 WHEN 'api' THEN 'api' WHEN 'import' THEN 'import' ELSE 'staff' END, $5, $6) \
                 ON CONFLICT (response_id) DO NOTHING",
            )
            .bind($id)
            .bind(sentiment)
            .bind(automatic)
            .bind(&$r.source)
            .bind($r.entered_by)
            .bind(now_unix())
            .execute(&mut *$tx)
            .await?;
        }
        for (key, applies) in &$r.labels.themes {
            sqlx::query(
                "INSERT INTO theme_corrections (response_id, theme_key, action, user_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (response_id, theme_key) DO NOTHING",
            )
            .bind($id)
            .bind(key)
            .bind(if *applies { "add" } else { "remove" })
            .bind($r.entered_by)
            .bind(now_unix())
            .execute(&mut *$tx)
            .await?;
            if *applies {
                sqlx::query("UPDATE response_themes SET source = 'manual' WHERE response_id = $1 AND theme_key = $2")
                    .bind($id)
                    .bind(key)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    };
}
pub(crate) use insert_labels;

/// Adds (`$sign` 1) or subtracts (-1) the contribution of responses `$ids` to the rollups, in
/// transaction `$tx`: subtract before a change to a stored response, add after it.
macro_rules! adjust_rollups {
    ($dialect:expr, $tx:ident, $ids:expr, $sign:expr) => {
        for chunk in $ids.chunks(500) {
            for sql in $crate::rollup::adjust_sql($dialect, chunk.len(), $sign) {
                let mut query = sqlx::query(&sql);
                for id in chunk {
                    query = query.bind(*id);
                }
                query.execute(&mut *$tx).await?;
            }
        }
    };
}
pub(crate) use adjust_rollups;

/// Recomputes the journeys of customers `$hashes` (see [`rollup::JOURNEY_SQL`]) in `$tx`.
macro_rules! update_journeys {
    ($tx:ident, $hashes:expr) => {
        for hash in $hashes {
            sqlx::query($crate::rollup::JOURNEY_SQL)
                .bind(hash)
                .execute(&mut *$tx)
                .await?;
        }
    };
}
pub(crate) use update_journeys;

/// Writes a mail to the outbox through `$executor` (in the transaction of the change that causes
/// it), answering its id.
macro_rules! enqueue_mail {
    ($executor:expr, $mail:expr, $now:expr) => {{
        let mail: &NewMail = $mail;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (message_id, kind, recipient, subject, body, next_attempt_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&mail.message_id)
        .bind(&mail.kind)
        .bind(&mail.recipient)
        .bind(&mail.subject)
        .bind(&mail.body)
        .bind($now)
        .fetch_one($executor)
        .await?;
        id
    }};
}
pub(crate) use enqueue_mail;

/// Records that `$kind` happened to `$subject` through `$executor` (in the transaction of the
/// change), but only while an active webhook subscribes to it: without webhooks nothing grows.
/// The dispatcher turns events into deliveries.
macro_rules! record_event {
    ($executor:expr, $kind:expr, $subject:expr, $now:expr) => {{
        let kind: &str = $kind;
        sqlx::query(
            "INSERT INTO events (event_id, kind, subject_id, created_at) SELECT $1, $2, $3, $4 \
             WHERE EXISTS (SELECT 1 FROM webhooks WHERE active AND events LIKE $5)",
        )
        .bind(format!(
            "evt_{}",
            &klantstem_core::secrets::random_token()[..32]
        ))
        .bind(kind)
        .bind($subject)
        .bind($now)
        .bind(format!("% {kind} %"))
        .execute($executor)
        .await?;
    }};
}
pub(crate) use record_event;
