-- Klantstem schema, SQLite flavour. Timestamps are Unix seconds (UTC) in both backends.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'manager', 'department', 'product_team', 'customer')),
    created_at    INTEGER NOT NULL
);

-- Only a SHA-256 of the session token is stored.
CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE surveys (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    title_nl   TEXT    NOT NULL,
    title_en   TEXT    NOT NULL,
    is_open    INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)),
    created_at INTEGER NOT NULL
);

CREATE TABLE responses (
    id                  INTEGER PRIMARY KEY,
    survey_id           INTEGER NOT NULL REFERENCES surveys (id),
    -- One token per rendered form: a double submit stores one response.
    submission_token    TEXT    NOT NULL UNIQUE,
    score               INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    reason              TEXT,
    language            TEXT,
    language_confidence REAL,
    respondent_locale   TEXT    NOT NULL,
    channel             TEXT,
    journey_phase       TEXT,
    -- Stored only when the respondent consented to be contacted.
    contact_email       TEXT,
    created_at          INTEGER NOT NULL
);
CREATE INDEX responses_created_at ON responses (created_at);
CREATE INDEX responses_survey_created_at ON responses (survey_id, created_at);
