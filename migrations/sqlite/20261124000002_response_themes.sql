-- Themes found in a response's text. `source` tells automatic tags from a manager's correction.
CREATE TABLE response_themes (
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    theme_key   TEXT    NOT NULL,
    source      TEXT    NOT NULL DEFAULT 'auto' CHECK (source IN ('auto', 'manual')),
    PRIMARY KEY (response_id, theme_key)
);
CREATE INDEX response_themes_theme ON response_themes (theme_key, response_id);
