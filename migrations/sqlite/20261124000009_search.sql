-- Full-text search over responses' texts (words and word prefixes, accents ignored), kept in
-- step with the responses by triggers; and an index for the rare "language undetermined" filter.
CREATE VIRTUAL TABLE responses_fts USING fts5(
    reason,
    content = 'responses',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO responses_fts (rowid, reason) SELECT id, reason FROM responses WHERE reason IS NOT NULL;

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

CREATE INDEX responses_undetermined ON responses (created_at, id)
    WHERE reason IS NOT NULL AND language IS NULL;
