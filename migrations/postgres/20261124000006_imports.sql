-- CSV files uploaded for import, with their column mapping and the progress of the import.
CREATE TABLE imports (
    id             BIGSERIAL PRIMARY KEY,
    created_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    filename       TEXT    NOT NULL,
    -- SHA-256 of the content: rows of the same file map to the same responses on re-import.
    content_hash   TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    mapping        TEXT,
    status         TEXT    NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'running', 'done', 'failed')),
    total_rows     BIGINT NOT NULL DEFAULT 0,
    processed_rows BIGINT NOT NULL DEFAULT 0,
    created_rows   BIGINT NOT NULL DEFAULT 0,
    duplicate_rows BIGINT NOT NULL DEFAULT 0,
    failed_rows    BIGINT NOT NULL DEFAULT 0,
    -- JSON: the rows that could not be imported, with their reasons (the first 500).
    report         TEXT,
    finished_at    BIGINT
);
