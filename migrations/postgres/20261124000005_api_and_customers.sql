-- API tokens for ingesting feedback from other systems. Only a SHA-256 of the token is stored;
-- the prefix identifies it in the UI.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    prefix       TEXT    NOT NULL,
    -- Space-separated, e.g. 'responses:write'.
    scopes       TEXT    NOT NULL,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

-- What an API request with an Idempotency-Key answered, so a retry gets the same answer and a
-- different request under the same key is refused.
CREATE TABLE idempotency_keys (
    token_id     BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    idem_key     TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);

-- Per-installation secrets (the key of the customer hash).
CREATE TABLE instance_secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

-- Where a response came from, and who the customer is across channels: a keyed hash of their
-- reference (external id or e-mail) as the join key; the plain reference only with consent.
ALTER TABLE responses ADD COLUMN source TEXT NOT NULL DEFAULT 'survey' CHECK (source IN ('survey', 'api', 'import', 'staff'));
ALTER TABLE responses ADD COLUMN customer_hash TEXT;
ALTER TABLE responses ADD COLUMN customer_ref TEXT;
CREATE INDEX responses_customer ON responses (customer_hash, created_at) WHERE customer_hash IS NOT NULL;
CREATE INDEX responses_created_id ON responses (created_at, id);
