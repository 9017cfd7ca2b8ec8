-- Feedback without a score: a complaint mail, a chat, a review come in as what they are. The score
-- becomes optional and a response may carry a star rating (CSAT, 1-5) instead; NPS figures leave
-- scoreless responses out (the rollups keep them under score -1), theme, sentiment and routing
-- figures include them.
--
-- SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (its documented twelve steps).
-- The migrations run with foreign keys off (see `SqliteStore::connect`): dropping the old table
-- must not cascade into answers, themes and inbox items, which keep their response ids.
CREATE TABLE responses_new (
    id                  INTEGER PRIMARY KEY,
    survey_id           INTEGER NOT NULL REFERENCES surveys (id),
    -- One token per rendered form: a double submit stores one response.
    submission_token    TEXT    NOT NULL UNIQUE,
    -- NULL for feedback without a score.
    score               INTEGER CHECK (score BETWEEN 0 AND 10),
    -- A star rating (CSAT) that came with the feedback instead of or besides the score.
    rating              INTEGER CHECK (rating BETWEEN 1 AND 5),
    reason              TEXT,
    language            TEXT,
    language_confidence REAL,
    respondent_locale   TEXT    NOT NULL,
    channel             TEXT,
    journey_phase       TEXT,
    -- Stored only when the respondent consented to be contacted.
    contact_email       TEXT,
    created_at          INTEGER NOT NULL,
    sentiment           TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    sentiment_score     REAL,
    tagged_version      INTEGER NOT NULL DEFAULT 0,
    source              TEXT    NOT NULL DEFAULT 'survey' CHECK (source IN ('survey', 'api', 'import', 'staff')),
    customer_hash       TEXT,
    customer_ref        TEXT,
    entered_by          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Every response has a score, a rating or a text.
    CHECK (score IS NOT NULL OR rating IS NOT NULL OR reason IS NOT NULL)
);
INSERT INTO responses_new (id, survey_id, submission_token, score, reason, language,
    language_confidence, respondent_locale, channel, journey_phase, contact_email, created_at,
    sentiment, sentiment_score, tagged_version, source, customer_hash, customer_ref, entered_by)
SELECT id, survey_id, submission_token, score, reason, language, language_confidence,
    respondent_locale, channel, journey_phase, contact_email, created_at, sentiment,
    sentiment_score, tagged_version, source, customer_hash, customer_ref, entered_by
FROM responses;
DROP TABLE responses;
ALTER TABLE responses_new RENAME TO responses;
CREATE INDEX responses_created_at ON responses (created_at);
CREATE INDEX responses_survey_created_at ON responses (survey_id, created_at);
CREATE INDEX responses_untagged ON responses (tagged_version, id) WHERE reason IS NOT NULL;
CREATE INDEX responses_customer ON responses (customer_hash, created_at) WHERE customer_hash IS NOT NULL;
CREATE INDEX responses_created_id ON responses (created_at, id);
CREATE INDEX responses_undetermined ON responses (created_at, id)
    WHERE reason IS NOT NULL AND language IS NULL;
-- The search index keeps its rows (the ids are the same); its triggers went with the old table.
CREATE TRIGGER responses_fts_insert AFTER INSERT ON responses WHEN new.reason IS NOT NULL BEGIN
    INSERT INTO responses_fts (rowid, reason) VALUES (new.id, new.reason);
END;
CREATE TRIGGER responses_fts_delete AFTER DELETE ON responses WHEN old.reason IS NOT NULL BEGIN
    INSERT INTO responses_fts (responses_fts, rowid, reason) VALUES ('delete', old.id, old.reason);
END;
CREATE TRIGGER responses_fts_update AFTER UPDATE OF reason ON responses BEGIN
    INSERT INTO responses_fts (responses_fts, rowid, reason)
        SELECT 'delete', old.id, old.reason WHERE old.reason IS NOT NULL;
    INSERT INTO responses_fts (rowid, reason) SELECT new.id, new.reason WHERE new.reason IS NOT NULL;
END;
