-- Who looked at, exported or erased a customer's personal data (GDPR accountability), newest
-- last. The subject is kept masked (`j…@example.nl`): the log must not keep what an erasure
-- removed. The actor's name is copied so the line outlives their account.
CREATE TABLE audit_log (
    id       BIGSERIAL PRIMARY KEY,
    at       BIGINT  NOT NULL,
    user_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL CHECK (action IN ('viewed', 'exported', 'erased', 'withdrew')),
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
