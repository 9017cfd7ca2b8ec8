-- Similar-idea suggestions count each candidate's terms: by idea, not only by term.
CREATE INDEX idea_terms_idea ON idea_terms (idea_id);
