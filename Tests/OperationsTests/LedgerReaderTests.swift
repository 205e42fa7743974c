import Foundation
import Operations
import Postgres
import Testing
import TestSupport

/// The ledger views read rows we insert ourselves into a real warehouse.
@Suite struct RunLedgerTests {
    func insertRuns(_ connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO runs (run_id, started_at, finished_at, status, stages, arguments, config_hash, files_seen, documents_new,
                              documents_existing, documents_replaced, documents_duplicate, sentences, theme_hits, lines_removed,
                              rejected, quarantined, batch_size, error)
            VALUES ('20261121T023000Z-aaaa', '2026-11-21 02:30:00Z', '2026-11-21 02:31:05Z', 'succeeded', '{extract,transform,load}',
                    '{run,--input,/data}', 'abc', 10, 8, 0, 0, 2, 80, 40, 12, 0, 0, 1000, NULL),
                   ('20261122T023000Z-bbbb', '2026-11-22 02:30:00Z', '2026-11-22 02:30:03.5Z', 'failed', '{extract,transform,load}',
                    '{run,--database,postgresql://etl:ledger-secret@db/w}', 'abc', 5, 3, 1, 1, 0, 30, 9, 4, 2, 1, 2, 'load: 23514 check violation'),
                   ('20261123T023000Z-cccc', '2026-11-23 02:30:00Z', NULL, 'running', '{extract}', '{}', NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL);
            INSERT INTO run_stages (run_id, stage, started_at, finished_at, status, counts, error) VALUES
                ('20261122T023000Z-bbbb', 'load', '2026-11-22 02:30:02Z', '2026-11-22 02:30:03.5Z', 'failed', '{"documents_new": 3, "rejected": 2}', 'too many rejects'),
                ('20261122T023000Z-bbbb', 'extract', '2026-11-22 02:30:00Z', '2026-11-22 02:30:01Z', 'succeeded', '{"files_seen": 5}', NULL),
                ('20261122T023000Z-bbbb', 'transform', '2026-11-22 02:30:01Z', '2026-11-22 02:30:02Z', 'succeeded', '{"sentences": 30}', NULL);
            INSERT INTO load_batches (run_id, batch_number, first_document_id, last_document_id, documents, documents_new, sentences, theme_hits, rejected, committed_at) VALUES
                ('20261122T023000Z-bbbb', 0, 1, 2, 2, 2, 20, 6, 0, '2026-11-22 02:30:02.5Z'),
                ('20261122T023000Z-bbbb', 1, 3, 5, 3, 1, 10, 3, 2, '2026-11-22 02:30:03Z');
            INSERT INTO rejects (run_id, document_id, source_path, record, sqlstate, error, detail) VALUES
                ('20261122T023000Z-bbbb', 4, 'wire/مقتل.txt', 'record', '23514', 'new row violates check constraint', 'Failing row contains (…)'),
                ('20261122T023000Z-bbbb', 5, 'wire/b.txt', 'record', '22P02', 'invalid input syntax', NULL);
            """)
    }

    @Test func latestRunsNewestFirst() throws {
        try TestPostgres.withDatabase { connection in
            try insertRuns(connection)
            let ledger = LedgerReader(connection: connection)
            let runs = try ledger.latest(limit: 10)
            #expect(runs.map(\.runID) == ["20261123T023000Z-cccc", "20261122T023000Z-bbbb", "20261121T023000Z-aaaa"])
            #expect(try ledger.latest(limit: 2).count == 2)
            let failed = runs[1]
            #expect(failed.status == "failed" && failed.filesSeen == 5 && failed.documentsNew == 3 && failed.documentsReplaced == 1)
            #expect(failed.rejected == 2 && failed.quarantined == 1 && failed.sentences == 30)
            #expect(failed.seconds.map { abs($0 - 3.5) < 0.001 } == true)
            #expect(runs[0].seconds == nil, "still running")

            let text = LedgerText.status(runs)
            let lines = text.split(separator: "\n")
            #expect(lines.count == 4 && lines[0].hasPrefix("run id"), "\(text)")
            #expect(lines[2].contains("20261122T023000Z-bbbb") && lines[2].contains("2026-11-22 02:30:00") && lines[2].contains("3.50 s")
                    && lines[2].contains("failed"), "\(lines[2])")
            #expect(lines[1].contains("running") && lines[1].contains(" - "), "no duration yet: \(lines[1])")
            #expect(LedgerText.status([]) == "No runs in the ledger yet.")
        }
    }

    @Test func oneRunInFull() throws {
        try TestPostgres.withDatabase { connection in
            try insertRuns(connection)
            let ledger = LedgerReader(connection: connection)
            let detail = try ledger.detail(runID: "20261122T023000Z-bbbb")
            #expect(detail.stages.map(\.stage) == ["extract", "transform", "load"], "in pipeline order")
            #expect(detail.stages.last?.error == "too many rejects")
            #expect(detail.batches.batches == 2 && detail.batches.documents == 5 && detail.batches.documentsNew == 3
                    && detail.batches.sentences == 30 && detail.batches.rejected == 2)
            #expect(detail.rejects.map(\.documentID) == [4, 5])
            #expect(detail.rejects.first?.sourcePath == "wire/مقتل.txt" && detail.rejects.first?.sqlstate == "23514")
            #expect(try ledger.rejectCount(runID: "20261122T023000Z-bbbb") == 2)

            let text = LedgerText.detail(detail, totalRejects: 2, runFile: "/srv/runs/20261122T023000Z-bbbb/run.json")
            for part in ["Run 20261122T023000Z-bbbb: failed", "3 new, 1 replaced, 0 duplicate", "error          load: 23514 check violation",
                         "run.json       /srv/runs/20261122T023000Z-bbbb/run.json", "Load batches: 2 committed, 5 documents (3 new)",
                         "Rejects: 2", "4  wire/مقتل.txt  23514  new row violates check constraint (Failing row contains (…))",
                         "load error: too many rejects", "{\"rejected\": 2, \"documents_new\": 3}"] {
                #expect(text.contains(part), "\(part) in:\n\(text)")
            }
            #expect(!text.contains("ledger-secret"), "arguments scrubbed")
        }
    }

    @Test func aRunWithoutStagesOrBatches() throws {
        try TestPostgres.withDatabase { connection in
            try insertRuns(connection)
            let detail = try LedgerReader(connection: connection).detail(runID: "20261121T023000Z-aaaa")
            #expect(detail.stages.isEmpty && detail.batches.batches == 0 && detail.rejects.isEmpty)
            let text = LedgerText.detail(detail, totalRejects: 0, runFile: nil)
            #expect(text.contains("Stages: none recorded") && text.contains("Load batches: none committed") && text.contains("Rejects: none"))
            #expect(text.contains("(no run directory here)"))
        }
    }

    @Test func anUnknownRunIsAClearError() throws {
        _ = try TestPostgres.withDatabase { connection in
            #expect {
                _ = try LedgerReader(connection: connection).detail(runID: "no-such-run")
            } throws: { error in
                "\(error)".contains("no run 'no-such-run' in the ledger")
            }
        }
    }
}
