-- Departments, their members, routing rules, the department inboxes and follow-up cases.
CREATE TABLE departments (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    -- Escalated cases go to the lead.
    lead_user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE department_members (
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, user_id)
);
CREATE INDEX department_members_user ON department_members (user_id);

-- Conditions and targets as JSON (domain::routing::Rule).
CREATE TABLE routing_rules (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    position       INTEGER NOT NULL DEFAULT 100,
    enabled        INTEGER NOT NULL DEFAULT 1,
    all_conditions TEXT    NOT NULL DEFAULT '[]',
    any_conditions TEXT    NOT NULL DEFAULT '[]',
    targets        TEXT    NOT NULL DEFAULT '[]',
    updated_at     INTEGER NOT NULL
);

-- One row: the default department and the case policy (domain::inbox::CasePolicy as JSON).
CREATE TABLE routing_settings (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    default_department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL,
    case_policy           TEXT    NOT NULL
);

CREATE TABLE inbox_items (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    response_id   INTEGER REFERENCES responses (id) ON DELETE CASCADE,
    idea_id       INTEGER REFERENCES ideas (id) ON DELETE CASCADE,
    -- The rule's name when it routed the item (rules change; the inbox keeps why).
    rule_name     TEXT,
    status        TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'seen', 'in_progress', 'handled')),
    assignee_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    root_cause    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK ((response_id IS NULL) <> (idea_id IS NULL)),
    UNIQUE (department_id, response_id),
    UNIQUE (department_id, idea_id)
);
CREATE INDEX inbox_items_department ON inbox_items (department_id, created_at);
CREATE INDEX inbox_items_response ON inbox_items (response_id);

CREATE TABLE inbox_notes (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX inbox_notes_item ON inbox_notes (item_id);

-- A follow-up case for a detractor: one per inbox item at most.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    item_id          INTEGER NOT NULL UNIQUE REFERENCES inbox_items (id) ON DELETE CASCADE,
    opened_at        INTEGER NOT NULL,
    deadline_at      INTEGER NOT NULL,
    escalated_at     INTEGER,
    first_contact_at INTEGER,
    closed_at        INTEGER,
    outcome          TEXT CHECK (outcome IN ('resolved', 'not_resolved', 'not_reached', 'declined'))
);
CREATE INDEX cases_open ON cases (closed_at, deadline_at);

CREATE TABLE case_contacts (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    channel    TEXT    NOT NULL CHECK (channel IN ('phone', 'email')),
    reached    INTEGER NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX case_contacts_case ON case_contacts (case_id);
