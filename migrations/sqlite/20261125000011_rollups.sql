-- Rollups for the dashboard: score counts per day and per month, maintained in the same
-- transaction as every write (see server/src/storage/rollup.rs). The server fills them from the
-- stored responses on its first start after this migration.

CREATE TABLE score_rollup (
    grain         TEXT    NOT NULL CHECK (grain IN ('d', 'w', 'm')),
    -- Day number (days since 1970-01-01, UTC); for grain 'm' the month's first day; for grain
    -- 'w' the first day of the part of an ISO week that lies in one month.
    period        INTEGER  NOT NULL,
    survey_id     INTEGER  NOT NULL,
    channel       TEXT    NOT NULL,
    journey_phase TEXT    NOT NULL,
    -- ISO 639-1, 'und' for a text of undetermined language, '' without a text.
    language      TEXT    NOT NULL,
    score         INTEGER NOT NULL,
    n             INTEGER  NOT NULL,
    csat_sum      INTEGER  NOT NULL DEFAULT 0,
    csat_n        INTEGER  NOT NULL DEFAULT 0,
    ces_sum       INTEGER  NOT NULL DEFAULT 0,
    ces_n         INTEGER  NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, period, survey_id, channel, journey_phase, language, score)
) WITHOUT ROWID;

CREATE TABLE theme_rollup (
    -- '' (all responses), 'survey' (dim_key: the survey id), 'channel', 'phase' or 'language'.
    dim       TEXT    NOT NULL,
    dim_key   TEXT    NOT NULL,
    grain     TEXT    NOT NULL CHECK (grain IN ('d', 'w', 'm')),
    period    INTEGER  NOT NULL,
    theme_key TEXT    NOT NULL,
    score     INTEGER NOT NULL,
    n         INTEGER  NOT NULL,
    -- How many of them mention the theme negatively.
    negative  INTEGER  NOT NULL,
    csat_sum  INTEGER  NOT NULL DEFAULT 0,
    csat_n    INTEGER  NOT NULL DEFAULT 0,
    ces_sum   INTEGER  NOT NULL DEFAULT 0,
    ces_n     INTEGER  NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, dim_key, grain, period, theme_key, score)
) WITHOUT ROWID;
CREATE INDEX theme_rollup_theme ON theme_rollup (theme_key, dim, grain, period);
