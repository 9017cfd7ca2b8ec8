-- What a survey says besides its title (introduction, follow-up question per score group,
-- thank-you text; per language, as JSON), where it may be embedded, and whether it is archived.
ALTER TABLE surveys ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
ALTER TABLE surveys ADD COLUMN embed_origins TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
