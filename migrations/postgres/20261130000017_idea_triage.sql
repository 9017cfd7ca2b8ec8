-- Merging duplicates without loss: a comment keeps the idea it was written under, and each
-- merge records the votes, follows and comments it moved to the original, so un-merging is exact.
ALTER TABLE idea_comments ADD COLUMN merged_from BIGINT REFERENCES ideas (id);
CREATE TABLE idea_merges (
    id           BIGSERIAL PRIMARY KEY,
    duplicate_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    original_id  BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    actor_id     BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    undone_at    BIGINT
);
CREATE INDEX idea_merges_duplicate ON idea_merges (duplicate_id, id);
CREATE TABLE idea_merge_moves (
    merge_id BIGINT NOT NULL REFERENCES idea_merges (id) ON DELETE CASCADE,
    -- 'vote' and 'follow': a user's; 'comment': a comment's id.
    kind     TEXT    NOT NULL CHECK (kind IN ('vote', 'follow', 'comment')),
    ref_id   BIGINT  NOT NULL,
    PRIMARY KEY (merge_id, kind, ref_id)
);

-- The product team's own votes, apart from the customers'.
CREATE TABLE idea_internal_votes (
    idea_id    BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);

-- The prioritisation (RICE): reach (customers; empty = the idea's voters), impact, confidence,
-- effort. Staff only.
CREATE TABLE idea_priorities (
    idea_id    BIGINT PRIMARY KEY REFERENCES ideas (id) ON DELETE CASCADE,
    reach      BIGINT,
    impact     DOUBLE PRECISION    NOT NULL,
    confidence DOUBLE PRECISION    NOT NULL,
    effort     DOUBLE PRECISION    NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
