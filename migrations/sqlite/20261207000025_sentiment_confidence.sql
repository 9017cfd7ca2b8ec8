-- Confidence on every sentiment tag: how likely it is right (0–1; a person's label is 1). The
-- dashboard's sentiment figures count only confident tags (`domain::labels::CONFIDENT`) and say
-- how many they rest on: `theme_rollup.sentiment_n`. A person may also label the sentiment of
-- one theme's sentence; like a text's label it wins over every retagging.
ALTER TABLE responses ADD COLUMN sentiment_confidence REAL;
ALTER TABLE response_themes ADD COLUMN sentiment_confidence REAL;
ALTER TABLE theme_rollup ADD COLUMN sentiment_n INTEGER NOT NULL DEFAULT 0;

CREATE TABLE theme_sentiment_labels (
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    theme_key   TEXT    NOT NULL,
    sentiment   TEXT    NOT NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    -- What the analysis said of the sentence when it was labelled.
    automatic   TEXT CHECK (automatic IN ('positive', 'neutral', 'negative')),
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (response_id, theme_key)
);

DROP INDEX theme_rollup_theme;
CREATE INDEX theme_rollup_theme ON theme_rollup
    (theme_key, dim, grain, period, dim_key, score, n, negative, sentiment_n, csat_sum, csat_n,
     ces_sum, ces_n);

UPDATE responses SET sentiment_confidence = 1.0
    WHERE id IN (SELECT response_id FROM sentiment_labels);
-- Every text is tagged again in the background (its tags get their confidence), and the rollups
-- are built again from the stored responses at start.
UPDATE responses SET tagged_version = 0 WHERE reason IS NOT NULL;
DELETE FROM theme_rollup;
DELETE FROM score_rollup;
