-- Version 3: counts of short head and tail lines, from which page chrome is learned across nightly runs,
-- and a content hash on every sentence so that text repeated across documents can be counted once.

CREATE TABLE line_counts (
    line_hash        bytea NOT NULL CHECK (octet_length(line_hash) = 32),
    source_name      text NOT NULL,
    documents        integer NOT NULL CHECK (documents >= 0),
    normalized_text  text NOT NULL,
    sample_text      text NOT NULL,
    first_run_id     text NOT NULL REFERENCES runs (run_id),
    last_run_id      text NOT NULL REFERENCES runs (run_id),
    PRIMARY KEY (line_hash, source_name)
);
COMMENT ON TABLE line_counts IS 'How many documents of each source have a given short line among their first or last lines; a line frequent enough is learned as page chrome.';
COMMENT ON COLUMN line_counts.line_hash IS 'SHA-256 of the normalized line (the same hash as boilerplate_lines.line_hash).';
COMMENT ON COLUMN line_counts.source_name IS 'The source whose documents were counted.';
COMMENT ON COLUMN line_counts.documents IS 'Documents of the source in the warehouse with this line in their head or tail region.';
COMMENT ON COLUMN line_counts.normalized_text IS 'The line normalized for matching.';
COMMENT ON COLUMN line_counts.sample_text IS 'The line as first seen.';
COMMENT ON COLUMN line_counts.first_run_id IS 'First run that counted the line for the source.';
COMMENT ON COLUMN line_counts.last_run_id IS 'Latest run that counted it.';
CREATE INDEX line_counts_documents_idx ON line_counts (documents DESC);

ALTER TABLE sentences ADD COLUMN normalized_hash bigint;
UPDATE sentences SET normalized_hash =
    ('x' || encode(substring(sha256(convert_to(normalized_text, 'UTF8')) FROM 1 FOR 8), 'hex'))::bit(64)::bigint;
ALTER TABLE sentences ALTER COLUMN normalized_hash SET NOT NULL;
COMMENT ON COLUMN sentences.normalized_hash IS 'First 8 bytes of the SHA-256 of normalized_text as a bigint: sentences repeated across documents (a statement quoted by several articles) share it, so reports can count them once.';
CREATE INDEX sentences_normalized_hash_idx ON sentences (normalized_hash);

CREATE VIEW repeated_sentences AS
SELECT normalized_hash, min(normalized_text) AS normalized_text, count(*) AS occurrences,
       count(DISTINCT document_id) AS documents
FROM sentences
GROUP BY normalized_hash
HAVING count(DISTINCT document_id) > 1;
COMMENT ON VIEW repeated_sentences IS 'Sentences that occur in more than one document (same normalized text): kept in each document, counted once here.';
COMMENT ON COLUMN repeated_sentences.normalized_hash IS 'The shared content hash (sentences.normalized_hash).';
COMMENT ON COLUMN repeated_sentences.normalized_text IS 'The sentence normalized for matching.';
COMMENT ON COLUMN repeated_sentences.occurrences IS 'How many sentence rows have it.';
COMMENT ON COLUMN repeated_sentences.documents IS 'In how many documents it occurs.';

-- Normalization profiles are named now; version "1" was the default profile, whose output is unchanged.
UPDATE documents SET normalization_profile = 'default-1' WHERE normalization_profile = '1';
COMMENT ON COLUMN documents.normalization_profile IS 'Name and revision of the Arabic normalization profile (e.g. default-1) that produced the normalized text of the sentences.';

-- Copies of an article (other chrome, other bytes, same sentences) are linked to the earliest copy.
ALTER TABLE documents
    ADD COLUMN body_hash bytea CHECK (body_hash IS NULL OR octet_length(body_hash) = 32),
    ADD COLUMN duplicate_similarity real CHECK (duplicate_similarity IS NULL OR duplicate_similarity BETWEEN 0 AND 1),
    ADD CONSTRAINT documents_duplicate_has_similarity CHECK ((duplicate_of IS NULL) = (duplicate_similarity IS NULL));
COMMENT ON COLUMN documents.body_hash IS 'SHA-256 of the normalized sentences of the document: copies of one article scraped with other chrome or other bytes share it.';
COMMENT ON COLUMN documents.duplicate_similarity IS 'How similar the document is to duplicate_of (1 for the same normalized sentences); NULL when it is no duplicate.';
COMMENT ON COLUMN documents.duplicate_of IS 'The earliest copy of this document (loaded first; within a run, first by path) when it is a copy; its sentences are not loaded again. NULL otherwise.';
CREATE INDEX documents_body_hash_idx ON documents (body_hash);

-- Near-duplicates: a MinHash signature per document and its band keys, indexed to find candidates.
ALTER TABLE documents ADD COLUMN minhash bigint[];
COMMENT ON COLUMN documents.minhash IS 'MinHash signature (64 values) over word 3-shingles of the normalized sentences; the share of equal positions estimates the similarity of two documents. NULL for documents under three words.';
CREATE TABLE document_bands (
    band_key     bigint NOT NULL,
    document_id  bigint NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, document_id)
);
COMMENT ON TABLE document_bands IS 'Band keys of each document''s MinHash signature (16 bands of 4 values): documents sharing a key are compared as near-duplicate candidates.';
COMMENT ON COLUMN document_bands.band_key IS 'Hash of one band of the signature, with the band number.';
COMMENT ON COLUMN document_bands.document_id IS 'The document.';
CREATE INDEX document_bands_document_id_idx ON document_bands (document_id);

-- Where each sentence is in the cleaned text of its document, and whether it is too long to trust as one sentence.
ALTER TABLE sentences
    ADD COLUMN start_offset integer CHECK (start_offset >= 0),
    ADD COLUMN end_offset integer,
    ADD COLUMN is_overlong boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT sentences_offsets_ordered CHECK (end_offset IS NULL OR end_offset > start_offset);
COMMENT ON COLUMN sentences.start_offset IS 'Offset of the sentence''s first character in the cleaned text of the document (extract''s cleanup of raw_text: NFKC, controls removed, line ends unified), in Unicode code points from 0. NULL for sentences loaded before offsets were kept.';
COMMENT ON COLUMN sentences.end_offset IS 'Offset just past the sentence''s last character in the cleaned text, in Unicode code points.';
COMMENT ON COLUMN sentences.is_overlong IS 'True when the sentence has more words than the segmenter''s limit (120): kept whole, worth a look.';

-- Where in the sentence each matched lexicon entry was found.
ALTER TABLE sentence_themes ADD COLUMN matched_tokens int4range[];
COMMENT ON COLUMN sentence_themes.matched_tokens IS 'Token positions [start, end) of each matched entry in the sentence (tokens of normalized_text, from 0), parallel to matched_terms; NULL for rows loaded before positions were kept.';
