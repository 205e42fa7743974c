-- Version 5: what an operator needs from the ledger. A row per stage of a run, the load's committed batches
-- (so a run killed mid-load resumes where it stopped), and the rows the database rejected (isolated from their
-- batch so the rest of the night's data still loads).

ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted'));
COMMENT ON COLUMN runs.status IS 'running, succeeded, failed, or interrupted (stopped by SIGINT or SIGTERM; the batch in flight was rolled back).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished, failed or was interrupted; NULL while running or after a crash (kill -9), which --resume continues.';

ALTER TABLE runs ADD COLUMN documents_replaced integer NOT NULL DEFAULT 0 CHECK (documents_replaced >= 0);
COMMENT ON COLUMN runs.documents_replaced IS 'Documents already in the warehouse whose sentences and themes this run replaced (transformed again under another configuration).';
ALTER TABLE runs ADD COLUMN documents_duplicate integer NOT NULL DEFAULT 0 CHECK (documents_duplicate >= 0);
COMMENT ON COLUMN runs.documents_duplicate IS 'New documents this run linked as exact or near copies of an earlier document (duplicate_of set, sentences not loaded).';
ALTER TABLE runs ADD COLUMN rejected integer NOT NULL DEFAULT 0 CHECK (rejected >= 0);
COMMENT ON COLUMN runs.rejected IS 'Documents the database rejected during this run''s load (see rejects); the rest of their batch was loaded.';
ALTER TABLE runs ADD COLUMN lines_removed_by_rule jsonb NOT NULL DEFAULT '{}';
COMMENT ON COLUMN runs.lines_removed_by_rule IS 'Boilerplate lines removed from this run''s new documents, by rule (configured line, prefix, learned chrome, duplicate line), as a JSON object rule -> count.';
ALTER TABLE runs ADD COLUMN batch_size integer CHECK (batch_size > 0);
COMMENT ON COLUMN runs.batch_size IS 'Documents per load batch (each batch commits on its own); a resumed load keeps the size its run started with.';

CREATE TABLE run_stages (
    run_id       text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    stage        text NOT NULL CHECK (stage IN ('extract', 'transform', 'load')),
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    counts       jsonb NOT NULL DEFAULT '{}',
    error        text,
    PRIMARY KEY (run_id, stage),
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
COMMENT ON TABLE run_stages IS 'The run ledger by stage: one row per stage a run executed, with its times, status and counts. A stage run again for the same run (by flag) updates its row.';
COMMENT ON COLUMN run_stages.run_id IS 'The run (runs.run_id).';
COMMENT ON COLUMN run_stages.stage IS 'extract, transform or load.';
COMMENT ON COLUMN run_stages.started_at IS 'When the stage started.';
COMMENT ON COLUMN run_stages.finished_at IS 'When the stage ended; NULL while it runs or after a crash.';
COMMENT ON COLUMN run_stages.status IS 'running, succeeded, failed or interrupted.';
COMMENT ON COLUMN run_stages.counts IS 'What the stage counted, as a JSON object (extract: files_seen, documents, quarantined, ...; transform: documents, sentences, theme_hits, lines_removed, ...; load: documents_new, documents_replaced, duplicates, sentences, theme_hits, rejected, batches, ...).';
COMMENT ON COLUMN run_stages.error IS 'Why the stage failed or stopped; NULL when it succeeded.';

CREATE TABLE load_batches (
    run_id             text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    batch_number       integer NOT NULL CHECK (batch_number >= 0),
    first_document_id  bigint,
    last_document_id   bigint,
    documents          integer NOT NULL CHECK (documents >= 0),
    documents_new      integer NOT NULL DEFAULT 0,
    sentences          integer NOT NULL DEFAULT 0,
    theme_hits         integer NOT NULL DEFAULT 0,
    rejected           integer NOT NULL DEFAULT 0,
    counts             jsonb NOT NULL DEFAULT '{}',
    committed_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (run_id, batch_number)
);
COMMENT ON TABLE load_batches IS 'The load''s committed batches: a row is written in the same transaction as its batch''s data, so after a crash --resume loads exactly the batches that have no row here.';
COMMENT ON COLUMN load_batches.run_id IS 'The run (runs.run_id).';
COMMENT ON COLUMN load_batches.batch_number IS 'Position of the batch in the run''s documents, ordered by document id, from 0.';
COMMENT ON COLUMN load_batches.first_document_id IS 'Smallest document id of the batch.';
COMMENT ON COLUMN load_batches.last_document_id IS 'Largest document id of the batch.';
COMMENT ON COLUMN load_batches.documents IS 'Documents of the run file in this batch (new, already present or duplicate).';
COMMENT ON COLUMN load_batches.documents_new IS 'Documents the batch added.';
COMMENT ON COLUMN load_batches.sentences IS 'Sentences the batch added.';
COMMENT ON COLUMN load_batches.theme_hits IS 'Sentence-theme assignments the batch added.';
COMMENT ON COLUMN load_batches.rejected IS 'Documents of the batch the database rejected (see rejects).';
COMMENT ON COLUMN load_batches.counts IS 'Everything the batch counted (documents new, existing, replaced, duplicate, sentences, theme hits, lines removed, rejected), as a JSON object; a run''s load totals are the sums over its batches.';
COMMENT ON COLUMN load_batches.committed_at IS 'When the batch committed.';

CREATE TABLE rejects (
    run_id        text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    document_id   bigint NOT NULL,
    stage         text NOT NULL DEFAULT 'load',
    source_path   text,
    record        text NOT NULL,
    sqlstate      text,
    error         text NOT NULL,
    detail        text,
    rejected_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (run_id, document_id)
);
COMMENT ON TABLE rejects IS 'Documents the database refused to load (a constraint, a bad value): isolated by splitting their batch, kept here with the original record and the server''s error, so the rest of the run loads.';
COMMENT ON COLUMN rejects.run_id IS 'The run whose load rejected the document.';
COMMENT ON COLUMN rejects.document_id IS 'Id of the rejected document (not in documents).';
COMMENT ON COLUMN rejects.stage IS 'The stage that rejected it (load).';
COMMENT ON COLUMN rejects.source_path IS 'Input file of the document, as the run file recorded it.';
COMMENT ON COLUMN rejects.record IS 'The document''s original record: its line of transform/documents.tsv, in COPY text format.';
COMMENT ON COLUMN rejects.sqlstate IS 'SQLSTATE of the server''s error (23503 foreign key, 23514 check, 22P02 bad value, ...).';
COMMENT ON COLUMN rejects.error IS 'The server''s error message.';
COMMENT ON COLUMN rejects.detail IS 'The server''s DETAIL line, when it sent one.';
COMMENT ON COLUMN rejects.rejected_at IS 'When the load rejected it.';
