-- Per recognised customer: how many responses, the score of the first, and the latest response
-- with what the dashboard filters on, so "how did returning customers move" is one small read.
-- Kept up to date by every write that adds or completes a customer's response.

CREATE TABLE customer_journeys (
    customer_hash      TEXT    PRIMARY KEY,
    responses          INTEGER  NOT NULL,
    first_score        INTEGER NOT NULL,
    latest_response_id INTEGER  NOT NULL,
    latest_at          INTEGER  NOT NULL,
    latest_score       INTEGER NOT NULL,
    latest_survey_id   INTEGER  NOT NULL,
    latest_channel     TEXT    NOT NULL,
    latest_phase       TEXT    NOT NULL,
    -- As in score_rollup: ISO 639-1, 'und', or '' without a text.
    latest_language    TEXT    NOT NULL
);
-- Covers the movement query under every filter it answers by itself.
CREATE INDEX customer_journeys_returning ON customer_journeys (first_score, latest_score, latest_at,
    latest_channel, latest_phase, latest_language, latest_survey_id, latest_response_id) WHERE responses > 1;

INSERT INTO customer_journeys (customer_hash, responses, first_score, latest_response_id, latest_at,
    latest_score, latest_survey_id, latest_channel, latest_phase, latest_language)
SELECT h.customer_hash, h.n,
    (SELECT f.score FROM responses f WHERE f.customer_hash = h.customer_hash ORDER BY f.created_at, f.id LIMIT 1),
    l.id, l.created_at, l.score, l.survey_id, COALESCE(l.channel, ''), COALESCE(l.journey_phase, ''),
    COALESCE(l.language, CASE WHEN l.reason IS NULL THEN '' ELSE 'und' END)
FROM (SELECT customer_hash, COUNT(*) AS n FROM responses WHERE customer_hash IS NOT NULL GROUP BY customer_hash) h
JOIN responses l ON l.id = (SELECT x.id FROM responses x WHERE x.customer_hash = h.customer_hash
    ORDER BY x.created_at DESC, x.id DESC LIMIT 1);
