-- Version 8: the warehouse as a function of its current input. Night after night it must hold what one run
-- over the same files would: learned chrome applies to every document of a source once it is learned (so each
-- document's head and tail lines are kept, to find the documents a newly learned line touches), which copy of
-- a story is the original does not depend on the order files arrived in, and under --mirror the documents
-- whose files were deleted or replaced leave the analytic tables for an archive that keeps their bytes.

CREATE TABLE document_edge_lines (
    document_id  bigint NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    line_hash    bytea NOT NULL CHECK (octet_length(line_hash) = 32),
    PRIMARY KEY (document_id, line_hash)
);
COMMENT ON TABLE document_edge_lines IS 'The short head and tail lines of each document (what line_counts counts), so that when a line becomes learned chrome, or stops being chrome, the documents holding it are transformed again.';
COMMENT ON COLUMN document_edge_lines.document_id IS 'The document.';
COMMENT ON COLUMN document_edge_lines.line_hash IS 'SHA-256 of the normalized line (line_counts.line_hash).';
CREATE INDEX document_edge_lines_line_hash_idx ON document_edge_lines (line_hash);

ALTER TABLE document_paths ADD COLUMN gone_run_id text REFERENCES runs (run_id);
COMMENT ON COLUMN document_paths.gone_run_id IS 'The --mirror run that found the path deleted or holding other content; NULL while the path holds this document.';

CREATE OR REPLACE VIEW current_document_paths AS
SELECT DISTINCT ON (p.source_path)
    p.source_path, p.document_id, p.source_name, p.last_run_id, p.last_seen_at,
    (SELECT count(*) FROM document_paths v WHERE v.source_path = p.source_path) AS versions
FROM document_paths p
WHERE p.gone_run_id IS NULL
ORDER BY p.source_path, p.last_seen_at DESC, p.first_seen_at DESC;
COMMENT ON VIEW current_document_paths IS 'The current version of every input path: the content most recently seen there (paths a --mirror run found deleted are left out).';

CREATE TABLE retired_documents (
    document_id       bigint PRIMARY KEY,
    content_sha256    bytea NOT NULL CHECK (octet_length(content_sha256) = 32),
    source_path       text NOT NULL,
    source_name       text NOT NULL,
    encoding          text NOT NULL,
    byte_size         integer NOT NULL,
    file_modified_at  timestamptz,
    published_on      date,
    title             text,
    raw_text          text NOT NULL,
    paths             jsonb NOT NULL,
    first_run_id      text NOT NULL,
    loaded_at         timestamptz NOT NULL,
    retired_run_id    text NOT NULL REFERENCES runs (run_id),
    retired_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE retired_documents IS 'Documents a --mirror run removed from the warehouse because no input file holds them any more (deleted, or replaced by new content): their text and path history, so nothing is lost. Their sentences and themes can be derived again from raw_text.';
COMMENT ON COLUMN retired_documents.document_id IS 'The document''s id (documents.document_id while it was there).';
COMMENT ON COLUMN retired_documents.content_sha256 IS 'SHA-256 of the file''s bytes.';
COMMENT ON COLUMN retired_documents.source_path IS 'The path it was loaded from, relative to its input folder.';
COMMENT ON COLUMN retired_documents.source_name IS 'Source name derived from the path.';
COMMENT ON COLUMN retired_documents.encoding IS 'Encoding the file was decoded from.';
COMMENT ON COLUMN retired_documents.byte_size IS 'Size of the file in bytes.';
COMMENT ON COLUMN retired_documents.file_modified_at IS 'Modification time of the file when it was read.';
COMMENT ON COLUMN retired_documents.published_on IS 'Publication date, as it was in documents.';
COMMENT ON COLUMN retired_documents.title IS 'Title, as it was in documents.';
COMMENT ON COLUMN retired_documents.raw_text IS 'The decoded text of the file, exactly as loaded.';
COMMENT ON COLUMN retired_documents.paths IS 'Its rows of document_paths as a JSON array (path, first and last run, first and last seen), oldest first.';
COMMENT ON COLUMN retired_documents.first_run_id IS 'The run that first loaded it.';
COMMENT ON COLUMN retired_documents.loaded_at IS 'When it was first loaded.';
COMMENT ON COLUMN retired_documents.retired_run_id IS 'The --mirror run that retired it.';
COMMENT ON COLUMN retired_documents.retired_at IS 'When it was retired.';

ALTER TABLE runs ADD COLUMN documents_retired integer NOT NULL DEFAULT 0 CHECK (documents_retired >= 0);
COMMENT ON COLUMN runs.documents_retired IS 'Documents this --mirror run moved to retired_documents because no input file holds them any more.';

COMMENT ON COLUMN documents.duplicate_of IS 'The document this one copies (same body, or near-duplicate by MinHash): of the similar documents, the first by publication date, then by document id, whatever order the files arrived in. Sentences of copies are not loaded.';
