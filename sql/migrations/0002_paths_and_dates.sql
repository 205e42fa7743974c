-- Version 2: where each publication date came from, and which content each file path held over time.

ALTER TABLE documents
    ADD COLUMN published_on_origin text CHECK (published_on_origin IN ('text', 'path')),
    ADD CONSTRAINT documents_published_on_has_origin CHECK ((published_on IS NULL) = (published_on_origin IS NULL));
COMMENT ON COLUMN documents.published_on_origin IS 'Where published_on was found: text (the first lines of the article) or path (the file name or folders).';

ALTER TABLE runs ADD COLUMN files_known integer NOT NULL DEFAULT 0 CHECK (files_known >= 0);
COMMENT ON COLUMN runs.files_known IS 'Input files whose content was already in the warehouse, skipped by extract (not counted when --full-refresh re-reads them).';

CREATE TABLE document_paths (
    source_path    text NOT NULL,
    document_id    bigint NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    source_name    text NOT NULL,
    first_run_id   text NOT NULL REFERENCES runs (run_id),
    last_run_id    text NOT NULL REFERENCES runs (run_id),
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_path, document_id)
);
COMMENT ON TABLE document_paths IS 'Which content (document) each input path held, run after run: a path whose bytes changed has one row per version.';
COMMENT ON COLUMN document_paths.source_path IS 'Path of the file, relative to its input folder.';
COMMENT ON COLUMN document_paths.document_id IS 'The document (content) the path held.';
COMMENT ON COLUMN document_paths.source_name IS 'Source name derived from the path.';
COMMENT ON COLUMN document_paths.first_run_id IS 'First run that saw this content at this path.';
COMMENT ON COLUMN document_paths.last_run_id IS 'Latest run that saw this content at this path.';
COMMENT ON COLUMN document_paths.first_seen_at IS 'When this content was first seen at this path.';
COMMENT ON COLUMN document_paths.last_seen_at IS 'When this content was last seen at this path.';
CREATE INDEX document_paths_document_id_idx ON document_paths (document_id);

-- Every loaded document was seen at its first path.
INSERT INTO document_paths (source_path, document_id, source_name, first_run_id, last_run_id, first_seen_at, last_seen_at)
SELECT source_path, document_id, source_name, first_run_id, first_run_id, loaded_at, loaded_at FROM documents;

CREATE VIEW current_document_paths AS
SELECT DISTINCT ON (p.source_path)
    p.source_path, p.document_id, p.source_name, p.last_run_id, p.last_seen_at,
    (SELECT count(*) FROM document_paths v WHERE v.source_path = p.source_path) AS versions
FROM document_paths p
ORDER BY p.source_path, p.last_seen_at DESC, p.first_seen_at DESC;
COMMENT ON VIEW current_document_paths IS 'The current version of every input path: the content most recently seen there.';
COMMENT ON COLUMN current_document_paths.source_path IS 'Path of the file, relative to its input folder.';
COMMENT ON COLUMN current_document_paths.document_id IS 'The document the path holds now (its most recently seen content).';
COMMENT ON COLUMN current_document_paths.source_name IS 'Source name derived from the path.';
COMMENT ON COLUMN current_document_paths.last_run_id IS 'Latest run that saw it.';
COMMENT ON COLUMN current_document_paths.last_seen_at IS 'When it was last seen.';
COMMENT ON COLUMN current_document_paths.versions IS 'How many different contents the path has held.';
