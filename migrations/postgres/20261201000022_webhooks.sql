-- Outbound webhooks, the events written in the transactions that cause them, and deliveries.
CREATE TABLE webhooks (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    -- Standard Webhooks secret: whsec_ + base64 of the key.
    secret        TEXT    NOT NULL,
    -- The subscribed event kinds, space-separated with a space on each side (" case.opened ").
    events        TEXT    NOT NULL,
    conditions    TEXT    NOT NULL DEFAULT '[]',
    allow_private BOOLEAN NOT NULL DEFAULT FALSE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);

-- Written only while an active webhook subscribes to the kind; dispatched into deliveries.
CREATE TABLE events (
    id            BIGSERIAL PRIMARY KEY,
    event_id      TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL,
    subject_id    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE INDEX events_pending ON events (dispatched_at, id);

CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    webhook_id      BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    -- Stable per event: receivers drop repeats by it.
    event_id        TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
