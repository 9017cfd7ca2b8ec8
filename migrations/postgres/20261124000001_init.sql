-- Klantstem schema, PostgreSQL flavour. Timestamps are Unix seconds (UTC) in both backends.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT   NOT NULL UNIQUE,
    display_name  TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('admin', 'manager', 'department', 'product_team', 'customer')),
    created_at    BIGINT NOT NULL
);

-- Only a SHA-256 of the session token is stored.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE surveys (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    title_nl   TEXT    NOT NULL,
    title_en   TEXT    NOT NULL,
    is_open    BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT  NOT NULL
);

CREATE TABLE responses (
    id                  BIGSERIAL PRIMARY KEY,
    survey_id           BIGINT  NOT NULL REFERENCES surveys (id),
    -- One token per rendered form: a double submit stores one response.
    submission_token    TEXT    NOT NULL UNIQUE,
    score               INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    reason              TEXT,
    language            TEXT,
    language_confidence DOUBLE PRECISION,
    respondent_locale   TEXT    NOT NULL,
    channel             TEXT,
    journey_phase       TEXT,
    -- Stored only when the respondent consented to be contacted.
    contact_email       TEXT,
    created_at          BIGINT  NOT NULL
);
CREATE INDEX responses_created_at ON responses (created_at);
CREATE INDEX responses_survey_created_at ON responses (survey_id, created_at);
