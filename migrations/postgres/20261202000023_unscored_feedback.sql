-- Feedback without a score: a complaint mail, a chat, a review come in as what they are. The score
-- becomes optional and a response may carry a star rating (CSAT, 1-5) instead; NPS figures leave
-- scoreless responses out (the rollups keep them under score -1), theme, sentiment and routing
-- figures include them.
ALTER TABLE responses ALTER COLUMN score DROP NOT NULL;
ALTER TABLE responses ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE responses ADD CONSTRAINT responses_has_feedback
    CHECK (score IS NOT NULL OR rating IS NOT NULL OR reason IS NOT NULL);
