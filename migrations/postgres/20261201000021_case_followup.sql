-- The short question after a case closed ("Is het nu opgelost?", 0–10) and its answer.
ALTER TABLE cases ADD COLUMN followup_sent_at BIGINT;
ALTER TABLE cases ADD COLUMN followup_score BIGINT;
ALTER TABLE cases ADD COLUMN followup_answered_at BIGINT;
