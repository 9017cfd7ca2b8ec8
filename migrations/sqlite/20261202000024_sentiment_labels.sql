-- A person's sentiment label of a text: given on the response page or in the review queue, or
-- sent with the feedback (the API's and the import's `sentiment`). It wins over the lexicon on
-- every retagging, and it is what the installation's own model learns from and is measured on.
CREATE TABLE sentiment_labels (
    response_id INTEGER PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
    sentiment   TEXT    NOT NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    -- What the lexicon said of the text when it was labelled.
    automatic   TEXT CHECK (automatic IN ('positive', 'neutral', 'negative')),
    source      TEXT    NOT NULL CHECK (source IN ('staff', 'api', 'import')),
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX sentiment_labels_created ON sentiment_labels (created_at);
