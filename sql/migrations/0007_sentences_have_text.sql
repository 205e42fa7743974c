-- Version 7: every sentence has text to match.
--
-- A piece of text that normalizes to nothing (only diacritics, tatweel or format controls: a decorative rule
-- of tatweel between paragraphs, stray harakat after the last full stop) is not a sentence, and transform
-- writes none; a document without a single word (no letter and no digit anywhere, only marks, punctuation or
-- symbols) is quarantined instead of loaded. The warehouse holds the rule too, so a row that arrives another
-- way is refused (SQLSTATE 23514) and its document goes to `rejects` with the reason.
--
-- Sentences loaded by an earlier version are checked only when none breaks the rule; otherwise the constraint
-- stays NOT VALID (new rows are checked, old ones not) until `bayan run --from transform --full-refresh` has
-- re-transformed them and `ALTER TABLE sentences VALIDATE CONSTRAINT sentences_normalized_text_not_empty`
-- has run.

ALTER TABLE sentences ADD CONSTRAINT sentences_normalized_text_not_empty CHECK (normalized_text <> '') NOT VALID;
COMMENT ON CONSTRAINT sentences_normalized_text_not_empty ON sentences IS
    'A sentence has text to match: what normalizes to nothing (diacritics, tatweel, format controls only) is not a sentence.';
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sentences WHERE normalized_text = '') THEN
        ALTER TABLE sentences VALIDATE CONSTRAINT sentences_normalized_text_not_empty;
    END IF;
END
$$;

COMMENT ON COLUMN sentences.normalized_text IS 'The sentence normalized for matching (diacritics and tatweel removed, alef, yaa, taa marbuta and digits folded); never empty: what normalizes to nothing is not a sentence.';
