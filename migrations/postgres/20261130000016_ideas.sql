-- Customer accounts: a verified address, the customer key that joins their survey answers,
-- their language and whether they want mail at all.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN customer_hash TEXT;
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'nl';
ALTER TABLE users ADD COLUMN mail_notifications BOOLEAN NOT NULL DEFAULT TRUE;
-- Staff accounts existed before verification did: they count as verified.
UPDATE users SET email_verified_at = created_at WHERE role <> 'customer';
CREATE INDEX users_customer ON users (customer_hash);

-- One-time links: verify an address, reset a password. Only a SHA-256 of the token is stored.
CREATE TABLE account_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Idea boards and co-creation challenges (a board with a question, dates and stages).
CREATE TABLE boards (
    id             BIGSERIAL PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('board', 'challenge')),
    name_nl        TEXT    NOT NULL,
    name_en        TEXT    NOT NULL,
    description_nl TEXT    NOT NULL DEFAULT '',
    description_en TEXT    NOT NULL DEFAULT '',
    visibility     TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
    moderation     TEXT    NOT NULL DEFAULT 'off' CHECK (moderation IN ('off', 'new_customers', 'always')),
    owner          TEXT    NOT NULL DEFAULT '',
    opens_at       BIGINT,
    closes_at      BIGINT,
    stages         TEXT    NOT NULL DEFAULT '[]',
    stage          TEXT,
    response_days  BIGINT NOT NULL DEFAULT 14,
    position       BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);

-- The statuses an idea moves through; admins rename, recolour, reorder and extend them.
CREATE TABLE idea_statuses (
    key        TEXT    PRIMARY KEY,
    name_nl    TEXT    NOT NULL,
    name_en    TEXT    NOT NULL,
    color      TEXT    NOT NULL,
    position   BIGINT NOT NULL,
    on_roadmap BOOLEAN NOT NULL DEFAULT FALSE,
    closed     BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO idea_statuses (key, name_nl, name_en, color, position, on_roadmap, closed) VALUES
    ('new', 'Nieuw', 'New', '#5b6474', 0, FALSE, FALSE),
    ('under_review', 'In behandeling', 'Under review', '#8a6d00', 1, FALSE, FALSE),
    ('planned', 'Gepland', 'Planned', '#1f5fbf', 2, TRUE, FALSE),
    ('in_progress', 'Mee bezig', 'In progress', '#7a3fbf', 3, TRUE, FALSE),
    ('done', 'Gedaan', 'Done', '#1e7b34', 4, TRUE, TRUE),
    ('declined', 'Afgewezen', 'Declined', '#a61b1b', 5, FALSE, TRUE);

CREATE TABLE ideas (
    id             BIGSERIAL PRIMARY KEY,
    board_id       BIGINT NOT NULL REFERENCES boards (id),
    author_id      BIGINT NOT NULL REFERENCES users (id),
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    -- The texts with personal data masked: what staff read.
    title_masked   TEXT    NOT NULL,
    body_masked    TEXT    NOT NULL,
    language       TEXT,
    sentiment      TEXT,
    status         TEXT    NOT NULL DEFAULT 'new' REFERENCES idea_statuses (key),
    status_message TEXT,
    status_at      BIGINT,
    -- The first official answer (a status change with a message, or a staff comment).
    answered_at    BIGINT,
    vote_count     BIGINT NOT NULL DEFAULT 0,
    comment_count  BIGINT NOT NULL DEFAULT 0,
    merged_into    BIGINT REFERENCES ideas (id),
    -- 'visible', 'pending' (awaits moderation) or 'hidden' (with a reason).
    visibility     TEXT    NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'pending', 'hidden')),
    hidden_reason  TEXT,
    created_at     BIGINT NOT NULL,
    edited_at      BIGINT
);
CREATE INDEX ideas_board_new ON ideas (board_id, created_at);
CREATE INDEX ideas_board_top ON ideas (board_id, vote_count);
CREATE INDEX ideas_author ON ideas (author_id);
CREATE INDEX ideas_status ON ideas (status, status_at);

CREATE TABLE idea_themes (
    idea_id   BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    theme_key TEXT    NOT NULL,
    PRIMARY KEY (idea_id, theme_key)
);
CREATE INDEX idea_themes_theme ON idea_themes (theme_key, idea_id);

-- The words of an idea's title and text (stems, and concepts shared across languages), for
-- similar-idea suggestions.
CREATE TABLE idea_terms (
    term    TEXT    NOT NULL,
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    PRIMARY KEY (term, idea_id)
);

CREATE TABLE idea_votes (
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);
CREATE INDEX idea_votes_user ON idea_votes (user_id);

CREATE TABLE idea_follows (
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);
CREATE INDEX idea_follows_user ON idea_follows (user_id);

-- Per-idea mail opt-outs (the overall one is users.mail_notifications).
CREATE TABLE idea_mutes (
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (idea_id, user_id)
);

CREATE TABLE idea_comments (
    id          BIGSERIAL PRIMARY KEY,
    idea_id     BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    author_id   BIGINT NOT NULL REFERENCES users (id),
    body        TEXT    NOT NULL,
    body_masked TEXT    NOT NULL,
    language    TEXT,
    sentiment   TEXT,
    -- Written by staff: an official answer.
    official    BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX idea_comments_idea ON idea_comments (idea_id, id);

-- In-app notifications: a status change, an official answer, a new comment, a stage change.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idea_id    BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    board_id   BIGINT REFERENCES boards (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Who did what to an idea: status changes, moderation, merges.
CREATE TABLE idea_events (
    id         BIGSERIAL PRIMARY KEY,
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    actor_id   BIGINT REFERENCES users (id),
    action     TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX idea_events_idea ON idea_events (idea_id, id);
