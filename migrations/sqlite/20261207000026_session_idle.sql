-- Sessions end after a time without requests too (idle timeout), not only at their absolute
-- end: the store refuses a session last seen longer ago than the idle time and moves
-- `last_seen_at` at most once a minute, so reading a page does not write on every request.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
