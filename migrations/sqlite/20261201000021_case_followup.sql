-- The short question after a case closed ("Is het nu opgelost?", 0–10) and its answer.
ALTER TABLE cases ADD COLUMN followup_sent_at INTEGER;
ALTER TABLE cases ADD COLUMN followup_score INTEGER;
ALTER TABLE cases ADD COLUMN followup_answered_at INTEGER;
