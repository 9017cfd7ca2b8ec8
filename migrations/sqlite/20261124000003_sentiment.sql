-- Sentiment of each text, and of the sentence each theme was found in.
ALTER TABLE responses ADD COLUMN sentiment TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative'));
ALTER TABLE responses ADD COLUMN sentiment_score REAL;
ALTER TABLE response_themes ADD COLUMN sentiment TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative'));
