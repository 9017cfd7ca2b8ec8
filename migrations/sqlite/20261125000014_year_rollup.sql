-- Year rows in the score rollup ('y', period = the day number of 1 January), so figures without
-- a time axis (the total and the breakdowns) read a few rows per year instead of twelve months.
-- SQLite cannot change a CHECK constraint: the table is rebuilt with the new grain allowed.
CREATE TABLE score_rollup_new (
    grain         TEXT    NOT NULL CHECK (grain IN ('d', 'w', 'm', 'y')),
    period        INTEGER NOT NULL,
    survey_id     INTEGER NOT NULL,
    channel       TEXT    NOT NULL,
    journey_phase TEXT    NOT NULL,
    language      TEXT    NOT NULL,
    score         INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    csat_sum      INTEGER NOT NULL DEFAULT 0,
    csat_n        INTEGER NOT NULL DEFAULT 0,
    ces_sum       INTEGER NOT NULL DEFAULT 0,
    ces_n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, period, survey_id, channel, journey_phase, language, score)
) WITHOUT ROWID;
INSERT INTO score_rollup_new SELECT grain, period, survey_id, channel, journey_phase, language,
    score, n, csat_sum, csat_n, ces_sum, ces_n FROM score_rollup;
INSERT INTO score_rollup_new (grain, period, survey_id, channel, journey_phase, language, score,
    n, csat_sum, csat_n, ces_sum, ces_n)
SELECT 'y', CAST(strftime('%s', period * 86400, 'unixepoch', 'start of year') AS INTEGER) / 86400,
    survey_id, channel, journey_phase, language, score,
    SUM(n), SUM(csat_sum), SUM(csat_n), SUM(ces_sum), SUM(ces_n)
FROM score_rollup WHERE grain = 'm' GROUP BY 2, 3, 4, 5, 6, 7;
DROP TABLE score_rollup;
ALTER TABLE score_rollup_new RENAME TO score_rollup;
