-- Year rows in the score rollup ('y', period = the day number of 1 January), so figures without
-- a time axis (the total and the breakdowns) read a few rows per year instead of twelve months.
ALTER TABLE score_rollup DROP CONSTRAINT score_rollup_grain_check;
ALTER TABLE score_rollup ADD CONSTRAINT score_rollup_grain_check
    CHECK (grain IN ('d', 'w', 'm', 'y'));
INSERT INTO score_rollup (grain, period, survey_id, channel, journey_phase, language, score,
    n, csat_sum, csat_n, ces_sum, ces_n)
SELECT 'y', CAST(EXTRACT(EPOCH FROM date_trunc('year', to_timestamp(period * 86400) AT TIME ZONE 'UTC')) AS BIGINT) / 86400,
    survey_id, channel, journey_phase, language, score,
    SUM(n), SUM(csat_sum), SUM(csat_n), SUM(ces_sum), SUM(ces_n)
FROM score_rollup WHERE grain = 'm' GROUP BY 2, 3, 4, 5, 6, 7;
