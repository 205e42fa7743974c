-- Version 9: the search vector of each sentence is stored, and Bayan's transform computes it. Until now the
-- full-text index was an expression index over bayan_search_vector(normalized_text), whose PL/pgSQL stemming
-- ran once for every sentence loaded: 8.7 s per 50,000 sentences, most of the load's server time (on the
-- corpus the sentences took 77 of 136 s of the load). The transform already has every stem; it writes the
-- vector with the sentence, and the server only reads it. The heap grows (the reason the expression index was
-- chosen when the server computed the vector either way): the trade is disk for the nightly load's time.
--
-- Other writers need not know: a sentence inserted without a vector, or whose normalized text changes without
-- one, gets bayan_search_vector(normalized_text) from a trigger, so every sentence is searchable whoever wrote it.

ALTER TABLE sentences ADD COLUMN search_vector tsvector;
COMMENT ON COLUMN sentences.search_vector IS 'The light stems of the sentence''s tokens as lexemes (no positions): bayan_search_vector(normalized_text), written by the transform; used by search_sentences. A stem PostgreSQL cannot store (over 2,046 bytes, or past 1 MiB of distinct stems in one sentence) is left out.';

-- The sentences loaded before this version.
UPDATE sentences SET search_vector = bayan_search_vector(normalized_text);
ALTER TABLE sentences ALTER COLUMN search_vector SET NOT NULL;

CREATE FUNCTION bayan_fill_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.search_vector IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.normalized_text IS DISTINCT FROM OLD.normalized_text
           AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector) THEN
        NEW.search_vector := bayan_search_vector(NEW.normalized_text);
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION bayan_fill_search_vector() IS 'Trigger function: gives a sentence written without a search vector (or whose normalized text changed without a new one) bayan_search_vector(normalized_text).';
CREATE TRIGGER sentences_search_vector BEFORE INSERT OR UPDATE OF normalized_text, search_vector ON sentences
    FOR EACH ROW EXECUTE FUNCTION bayan_fill_search_vector();

DROP INDEX sentences_search_idx;
CREATE INDEX sentences_search_idx ON sentences USING gin (search_vector);
COMMENT ON INDEX sentences_search_idx IS 'Full-text index over sentences.search_vector, used by search_sentences.';

CREATE OR REPLACE FUNCTION search_sentences(query text, max_rows integer DEFAULT 50)
RETURNS TABLE (document_id bigint, ordinal integer, source_name text, published_on date, title text, text text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    SELECT s.document_id, s.ordinal, d.source_name, d.published_on, d.title, s.text
    FROM sentences s
    JOIN documents d ON d.document_id = s.document_id
    WHERE s.search_vector @@ bayan_search_query(query)
    ORDER BY d.published_on DESC NULLS LAST, s.document_id, s.ordinal
    LIMIT max_rows
$fn$;
