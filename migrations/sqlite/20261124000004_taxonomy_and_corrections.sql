-- The theme taxonomy, one row per saved version (the newest is in force). Admins edit it in the UI;
-- saving a version makes the server retag every stored text in the background.
CREATE TABLE taxonomy_versions (
    version    INTEGER NOT NULL PRIMARY KEY,
    document   TEXT    NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

-- The taxonomy version a response's text was last tagged with; the retagger works through the
-- texts tagged with an older one.
ALTER TABLE responses ADD COLUMN tagged_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX responses_untagged ON responses (tagged_version, id) WHERE reason IS NOT NULL;

-- A manager's corrections of the automatic tags. They are applied on top of every retagging:
-- an added theme stays, a removed one does not come back.
CREATE TABLE theme_corrections (
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    theme_key   TEXT    NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('add', 'remove')),
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (response_id, theme_key)
);
