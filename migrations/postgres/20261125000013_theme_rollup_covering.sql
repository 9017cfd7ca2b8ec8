-- A theme's dashboard reads its rows through this index: with every column in it PostgreSQL can
-- answer from the index alone.
DROP INDEX theme_rollup_theme;
CREATE INDEX theme_rollup_theme ON theme_rollup (theme_key, dim, grain, period, dim_key, score)
    INCLUDE (n, negative, csat_sum, csat_n, ces_sum, ces_n);
