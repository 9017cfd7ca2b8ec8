-- Improvement actions, their evidence, and the customers told they were done.
CREATE TABLE actions (
    id             INTEGER PRIMARY KEY,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    department_id  INTEGER REFERENCES departments (id) ON DELETE SET NULL,
    owner_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    due_at         INTEGER,
    status         TEXT    NOT NULL CHECK (status IN ('proposed', 'planned', 'in_progress', 'done', 'dropped')),
    -- What customers read when it is done; empty: nobody is told.
    public_message TEXT    NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    done_at        INTEGER
);
CREATE INDEX actions_status ON actions (status, due_at);
CREATE INDEX actions_done ON actions (done_at);

CREATE TABLE action_themes (
    action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    theme_key TEXT    NOT NULL,
    PRIMARY KEY (action_id, theme_key)
);

CREATE TABLE action_evidence (
    action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    kind      TEXT    NOT NULL CHECK (kind IN ('response', 'item', 'idea')),
    target_id INTEGER NOT NULL,
    PRIMARY KEY (action_id, kind, target_id)
);

-- "You said, we did": who was told, from which of their answers; their next answer is compared.
CREATE TABLE action_told (
    action_id     INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    response_id   INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    customer_hash TEXT,
    told_at       INTEGER NOT NULL,
    PRIMARY KEY (action_id, response_id)
);
