-- Departments, their members, routing rules, the department inboxes and follow-up cases.
CREATE TABLE departments (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE,
    -- Escalated cases go to the lead.
    lead_user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE department_members (
    department_id BIGINT NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, user_id)
);
CREATE INDEX department_members_user ON department_members (user_id);

-- Conditions and targets as JSON (domain::routing::Rule).
CREATE TABLE routing_rules (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT    NOT NULL,
    position       BIGINT NOT NULL DEFAULT 100,
    enabled        BOOLEAN NOT NULL DEFAULT TRUE,
    all_conditions TEXT    NOT NULL DEFAULT '[]',
    any_conditions TEXT    NOT NULL DEFAULT '[]',
    targets        TEXT    NOT NULL DEFAULT '[]',
    updated_at     BIGINT NOT NULL
);

-- One row: the default department and the case policy (domain::inbox::CasePolicy as JSON).
CREATE TABLE routing_settings (
    id                    BIGINT PRIMARY KEY CHECK (id = 1),
    default_department_id BIGINT REFERENCES departments (id) ON DELETE SET NULL,
    case_policy           TEXT    NOT NULL
);

CREATE TABLE inbox_items (
    id            BIGSERIAL PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    response_id   BIGINT REFERENCES responses (id) ON DELETE CASCADE,
    idea_id       BIGINT REFERENCES ideas (id) ON DELETE CASCADE,
    -- The rule's name when it routed the item (rules change; the inbox keeps why).
    rule_name     TEXT,
    status        TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'seen', 'in_progress', 'handled')),
    assignee_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    root_cause    TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    CHECK ((response_id IS NULL) <> (idea_id IS NULL)),
    UNIQUE (department_id, response_id),
    UNIQUE (department_id, idea_id)
);
CREATE INDEX inbox_items_department ON inbox_items (department_id, created_at);
CREATE INDEX inbox_items_response ON inbox_items (response_id);

CREATE TABLE inbox_notes (
    id         BIGSERIAL PRIMARY KEY,
    item_id    BIGINT NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    author_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body       TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX inbox_notes_item ON inbox_notes (item_id);

-- A follow-up case for a detractor: one per inbox item at most.
CREATE TABLE cases (
    id               BIGSERIAL PRIMARY KEY,
    item_id          BIGINT NOT NULL UNIQUE REFERENCES inbox_items (id) ON DELETE CASCADE,
    opened_at        BIGINT NOT NULL,
    deadline_at      BIGINT NOT NULL,
    escalated_at     BIGINT,
    first_contact_at BIGINT,
    closed_at        BIGINT,
    outcome          TEXT CHECK (outcome IN ('resolved', 'not_resolved', 'not_reached', 'declined'))
);
CREATE INDEX cases_open ON cases (closed_at, deadline_at);

CREATE TABLE case_contacts (
    id         BIGSERIAL PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    channel    TEXT    NOT NULL CHECK (channel IN ('phone', 'email')),
    reached    BOOLEAN NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    user_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_contacts_case ON case_contacts (case_id);
