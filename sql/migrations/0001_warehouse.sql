-- Bayan warehouse, version 1: the run ledger, documents, sentences, themes, boilerplate and quarantine.
--
-- Every table and column carries a COMMENT: analysts read them (\d+ in psql) and `bayan schema docs` will
-- turn them into the data dictionary. Document ids are derived from content (the first 8 bytes of the
-- SHA-256 of the file's raw bytes), so reloading the same file lands on the same row, and the big tables
-- can later be distributed by document_id (sentences and sentence_themes are keyed by it first).

CREATE TABLE runs (
    run_id              text PRIMARY KEY,
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz,
    status              text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    stages              text[] NOT NULL,
    arguments           text[] NOT NULL DEFAULT '{}',
    config_hash         text,
    files_seen          integer NOT NULL DEFAULT 0 CHECK (files_seen >= 0),
    documents_new       integer NOT NULL DEFAULT 0 CHECK (documents_new >= 0),
    documents_existing  integer NOT NULL DEFAULT 0 CHECK (documents_existing >= 0),
    files_duplicate     integer NOT NULL DEFAULT 0 CHECK (files_duplicate >= 0),
    sentences           integer NOT NULL DEFAULT 0 CHECK (sentences >= 0),
    theme_hits          integer NOT NULL DEFAULT 0 CHECK (theme_hits >= 0),
    lines_removed       integer NOT NULL DEFAULT 0 CHECK (lines_removed >= 0),
    quarantined         integer NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
    error               text,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
COMMENT ON TABLE runs IS 'The run ledger: one row per pipeline run that reached the load stage, with what it did.';
COMMENT ON COLUMN runs.run_id IS 'Run identifier, also the name of the run directory (UTC start time plus a random suffix).';
COMMENT ON COLUMN runs.started_at IS 'When the run started (extract began).';
COMMENT ON COLUMN runs.finished_at IS 'When the load finished or failed; NULL while running or after a crash.';
COMMENT ON COLUMN runs.status IS 'running, succeeded or failed.';
COMMENT ON COLUMN runs.stages IS 'The stages this run executed, in order (extract, transform, load).';
COMMENT ON COLUMN runs.arguments IS 'The command-line arguments of the run, passwords redacted.';
COMMENT ON COLUMN runs.config_hash IS 'SHA-256 of the configuration files (boilerplate list, theme lexicon) the run used.';
COMMENT ON COLUMN runs.files_seen IS 'Input files the extract stage looked at.';
COMMENT ON COLUMN runs.documents_new IS 'Documents this run added to the warehouse.';
COMMENT ON COLUMN runs.documents_existing IS 'Documents of this run already in the warehouse (same content), left unchanged.';
COMMENT ON COLUMN runs.files_duplicate IS 'Input files whose bytes were identical to another file of the same run (loaded once).';
COMMENT ON COLUMN runs.sentences IS 'Sentences this run added.';
COMMENT ON COLUMN runs.theme_hits IS 'Sentence-theme assignments this run added.';
COMMENT ON COLUMN runs.lines_removed IS 'Boilerplate lines removed from the documents this run added.';
COMMENT ON COLUMN runs.quarantined IS 'Files this run could not take (see quarantine).';
COMMENT ON COLUMN runs.error IS 'Why the run failed; NULL when it did not.';

CREATE TABLE documents (
    document_id            bigint PRIMARY KEY,
    content_sha256         bytea NOT NULL UNIQUE CHECK (octet_length(content_sha256) = 32),
    source_path            text NOT NULL,
    source_name            text NOT NULL,
    encoding               text NOT NULL,
    byte_size              integer NOT NULL CHECK (byte_size >= 0),
    file_modified_at       timestamptz,
    published_on           date,
    title                  text,
    paragraph_count        integer NOT NULL CHECK (paragraph_count >= 0),
    sentence_count         integer NOT NULL CHECK (sentence_count >= 0),
    lines_removed          integer NOT NULL CHECK (lines_removed >= 0),
    duplicate_of           bigint REFERENCES documents (document_id),
    raw_text               text NOT NULL,
    normalization_profile  text NOT NULL,
    first_run_id           text NOT NULL REFERENCES runs (run_id),
    loaded_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (duplicate_of IS DISTINCT FROM document_id)
);
COMMENT ON TABLE documents IS 'One row per distinct input file content: an article, with where it came from and its decoded text.';
COMMENT ON COLUMN documents.document_id IS 'Stable id derived from content: the first 8 bytes of content_sha256 as a signed bigint. The same bytes always give the same id.';
COMMENT ON COLUMN documents.content_sha256 IS 'SHA-256 of the raw bytes of the file as read from disk.';
COMMENT ON COLUMN documents.source_path IS 'Path of the file, relative to the input folder it was found under, when first loaded.';
COMMENT ON COLUMN documents.source_name IS 'The source (outlet) of the document: by default the first folder below the input folder.';
COMMENT ON COLUMN documents.encoding IS 'Character encoding the file was decoded from (e.g. UTF-8, UTF-8 with BOM).';
COMMENT ON COLUMN documents.byte_size IS 'Size of the file in bytes.';
COMMENT ON COLUMN documents.file_modified_at IS 'Modification time of the file on disk; not a publication date.';
COMMENT ON COLUMN documents.published_on IS 'Publication date found in the text or path; NULL when none was found.';
COMMENT ON COLUMN documents.title IS 'Headline: the first non-empty line of the file.';
COMMENT ON COLUMN documents.paragraph_count IS 'Body paragraphs kept after boilerplate removal (the headline not counted).';
COMMENT ON COLUMN documents.sentence_count IS 'Sentences of the document (rows in sentences).';
COMMENT ON COLUMN documents.lines_removed IS 'Lines removed as page boilerplate (rows in removed_lines).';
COMMENT ON COLUMN documents.duplicate_of IS 'The original this document duplicates, when it is a near or exact copy; NULL otherwise.';
COMMENT ON COLUMN documents.raw_text IS 'The decoded text of the file, before any cleanup: lineage, everything else can be re-derived from it.';
COMMENT ON COLUMN documents.normalization_profile IS 'Version of the Arabic normalization profile that produced the normalized text of the sentences.';
COMMENT ON COLUMN documents.first_run_id IS 'The run that first loaded the document.';
COMMENT ON COLUMN documents.loaded_at IS 'When the document was first loaded.';
CREATE INDEX documents_source_name_idx ON documents (source_name);
CREATE INDEX documents_published_on_idx ON documents (published_on);
CREATE INDEX documents_duplicate_of_idx ON documents (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX documents_first_run_id_idx ON documents (first_run_id);

CREATE TABLE sentences (
    document_id      bigint NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    ordinal          integer NOT NULL CHECK (ordinal >= 1),
    paragraph        integer NOT NULL CHECK (paragraph >= 0),
    text             text NOT NULL CHECK (text <> ''),
    normalized_text  text NOT NULL,
    PRIMARY KEY (document_id, ordinal)
);
COMMENT ON TABLE sentences IS 'The sentences of each document, in reading order, with boilerplate lines removed.';
COMMENT ON COLUMN sentences.document_id IS 'The document the sentence belongs to.';
COMMENT ON COLUMN sentences.ordinal IS 'Position of the sentence in its document, from 1.';
COMMENT ON COLUMN sentences.paragraph IS 'Paragraph number in the document: 0 is the headline, body paragraphs count from 1.';
COMMENT ON COLUMN sentences.text IS 'The sentence as written (after extract cleanup).';
COMMENT ON COLUMN sentences.normalized_text IS 'The sentence normalized for matching (diacritics and tatweel removed, alef, yaa, taa marbuta and digits folded).';

CREATE TABLE themes (
    theme_code       text PRIMARY KEY CHECK (theme_code ~ '^[a-z][a-z0-9_]*$'),
    name_ar          text NOT NULL,
    name_en          text NOT NULL,
    description      text NOT NULL,
    threshold        double precision NOT NULL CHECK (threshold > 0),
    sort_order       integer NOT NULL,
    lexicon_version  text NOT NULL
);
COMMENT ON TABLE themes IS 'The theme codebook, synced from config/themes.yaml on every load.';
COMMENT ON COLUMN themes.theme_code IS 'Short code of the theme, e.g. security.';
COMMENT ON COLUMN themes.name_ar IS 'Arabic name of the theme.';
COMMENT ON COLUMN themes.name_en IS 'English name of the theme.';
COMMENT ON COLUMN themes.description IS 'What belongs to the theme.';
COMMENT ON COLUMN themes.threshold IS 'Minimum score a sentence needs to take the theme.';
COMMENT ON COLUMN themes.sort_order IS 'Position of the theme in the codebook.';
COMMENT ON COLUMN themes.lexicon_version IS 'Hash of the theme configuration last synced.';

CREATE TABLE sentence_themes (
    document_id      bigint NOT NULL,
    ordinal          integer NOT NULL,
    theme_code       text NOT NULL REFERENCES themes (theme_code),
    score            double precision NOT NULL CHECK (score > 0),
    matched_terms    text[] NOT NULL,
    lexicon_version  text NOT NULL,
    PRIMARY KEY (document_id, ordinal, theme_code),
    FOREIGN KEY (document_id, ordinal) REFERENCES sentences (document_id, ordinal) ON DELETE CASCADE
);
COMMENT ON TABLE sentence_themes IS 'Themes assigned to sentences: zero, one or several per sentence, each with its evidence.';
COMMENT ON COLUMN sentence_themes.document_id IS 'Document of the sentence.';
COMMENT ON COLUMN sentence_themes.ordinal IS 'Ordinal of the sentence in its document.';
COMMENT ON COLUMN sentence_themes.theme_code IS 'The theme assigned.';
COMMENT ON COLUMN sentence_themes.score IS 'Sum of the weights of the lexicon entries matched in the sentence.';
COMMENT ON COLUMN sentence_themes.matched_terms IS 'The lexicon entries that matched, as written in the configuration.';
COMMENT ON COLUMN sentence_themes.lexicon_version IS 'Hash of the theme configuration that produced the assignment.';
CREATE INDEX sentence_themes_theme_code_idx ON sentence_themes (theme_code);

CREATE TABLE boilerplate_lines (
    line_hash        bytea PRIMARY KEY CHECK (octet_length(line_hash) = 32),
    normalized_text  text NOT NULL,
    sample_text      text NOT NULL,
    origin           text NOT NULL CHECK (origin IN ('configured', 'learned')),
    documents_seen   integer NOT NULL DEFAULT 0 CHECK (documents_seen >= 0),
    sources_seen     integer NOT NULL DEFAULT 0 CHECK (sources_seen >= 0),
    first_run_id     text REFERENCES runs (run_id),
    last_run_id      text REFERENCES runs (run_id)
);
COMMENT ON TABLE boilerplate_lines IS 'Page chrome: lines removed before sentence splitting, and how often they were seen.';
COMMENT ON COLUMN boilerplate_lines.line_hash IS 'SHA-256 of the normalized line (or of the configured prefix, for prefix rules).';
COMMENT ON COLUMN boilerplate_lines.normalized_text IS 'The line (or prefix) normalized for matching.';
COMMENT ON COLUMN boilerplate_lines.sample_text IS 'The line as written in the configuration or first seen.';
COMMENT ON COLUMN boilerplate_lines.origin IS 'configured (from config/boilerplate.yaml) or learned (from repetition across documents).';
COMMENT ON COLUMN boilerplate_lines.documents_seen IS 'Documents in the warehouse from which this line was removed.';
COMMENT ON COLUMN boilerplate_lines.sources_seen IS 'Distinct sources of those documents.';
COMMENT ON COLUMN boilerplate_lines.first_run_id IS 'First run that removed the line.';
COMMENT ON COLUMN boilerplate_lines.last_run_id IS 'Latest run that removed the line.';

CREATE TABLE removed_lines (
    document_id   bigint NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    line_number   integer NOT NULL CHECK (line_number >= 1),
    line_hash     bytea NOT NULL REFERENCES boilerplate_lines (line_hash),
    text          text NOT NULL,
    rule          text NOT NULL CHECK (rule IN ('line', 'prefix', 'learned')),
    PRIMARY KEY (document_id, line_number)
);
COMMENT ON TABLE removed_lines IS 'Every boilerplate line removed from a document, where it was and which rule removed it.';
COMMENT ON COLUMN removed_lines.document_id IS 'The document the line was removed from.';
COMMENT ON COLUMN removed_lines.line_number IS 'Line number in the decoded file, from 1.';
COMMENT ON COLUMN removed_lines.line_hash IS 'The boilerplate entry that matched.';
COMMENT ON COLUMN removed_lines.text IS 'The line as it was in the document.';
COMMENT ON COLUMN removed_lines.rule IS 'line (whole configured line), prefix (configured prefix) or learned.';
CREATE INDEX removed_lines_line_hash_idx ON removed_lines (line_hash);

CREATE TABLE quarantine (
    quarantine_id   bigserial PRIMARY KEY,
    source_path     text NOT NULL,
    content_sha256  bytea CHECK (content_sha256 IS NULL OR octet_length(content_sha256) = 32),
    byte_size       bigint CHECK (byte_size >= 0),
    stage           text NOT NULL CHECK (stage IN ('extract', 'transform', 'load')),
    reason          text NOT NULL,
    first_run_id    text NOT NULL REFERENCES runs (run_id),
    last_run_id     text NOT NULL REFERENCES runs (run_id),
    times_seen      integer NOT NULL DEFAULT 1 CHECK (times_seen >= 1),
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (source_path, content_sha256, stage, reason)
);
COMMENT ON TABLE quarantine IS 'Inputs Bayan could not take, with the reason: nothing is dropped silently.';
COMMENT ON COLUMN quarantine.quarantine_id IS 'Row id.';
COMMENT ON COLUMN quarantine.source_path IS 'Path of the file, relative to its input folder.';
COMMENT ON COLUMN quarantine.content_sha256 IS 'SHA-256 of the raw bytes; NULL when the file could not be read at all.';
COMMENT ON COLUMN quarantine.byte_size IS 'Size of the file in bytes, when known.';
COMMENT ON COLUMN quarantine.stage IS 'The stage that refused the input.';
COMMENT ON COLUMN quarantine.reason IS 'What is wrong with it, in words (with byte offsets or line numbers where known).';
COMMENT ON COLUMN quarantine.first_run_id IS 'First run that quarantined it.';
COMMENT ON COLUMN quarantine.last_run_id IS 'Latest run that met it again.';
COMMENT ON COLUMN quarantine.times_seen IS 'How many runs met it.';
COMMENT ON COLUMN quarantine.first_seen_at IS 'When it was first quarantined.';
COMMENT ON COLUMN quarantine.last_seen_at IS 'When it was last met.';
CREATE INDEX quarantine_last_run_id_idx ON quarantine (last_run_id);
