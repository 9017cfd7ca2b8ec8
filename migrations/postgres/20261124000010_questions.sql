-- Questions a survey asks after the NPS question: CSAT (1-5), CES (1-7), single or multiple
-- choice, open text. A question that has answers is never changed in meaning: its kind and
-- options are frozen, and it is retired (hidden from the form, answers kept) instead of deleted.
CREATE TABLE questions (
    id         BIGSERIAL PRIMARY KEY,
    survey_id  BIGINT NOT NULL REFERENCES surveys (id),
    position   INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('csat', 'ces', 'single', 'multiple', 'text')),
    required   BOOLEAN NOT NULL DEFAULT FALSE,
    -- JSON: labels and options per language.
    texts      TEXT    NOT NULL,
    retired    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX questions_survey ON questions (survey_id, position);

-- One row per answered question: a number (scale, single choice) or text (open text; for
-- multiple choice the chosen option numbers, comma-separated).
CREATE TABLE answers (
    response_id BIGINT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id),
    value       BIGINT,
    text        TEXT,
    PRIMARY KEY (response_id, question_id)
);
CREATE INDEX answers_question ON answers (question_id, value);
