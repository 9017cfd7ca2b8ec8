-- Full-text search over responses' texts (words and word prefixes, accents folded the way the
-- server folds the search words), and an index for the rare "language undetermined" filter.
-- The expression must stay identical to the one in server/src/storage/mod.rs.
CREATE INDEX responses_reason_search ON responses
    USING GIN (to_tsvector('simple', translate(lower(coalesce(reason, '')), 'áàâäãåéèêëíìîïóòôöõúùûüýÿñç', 'aaaaaaeeeeiiiiooooouuuuyync')));

CREATE INDEX responses_undetermined ON responses (created_at, id)
    WHERE reason IS NOT NULL AND language IS NULL;
