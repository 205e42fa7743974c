public import Foundation
public import Postgres

/// A run as the ledger (`runs`) records it.
public struct LedgerRun: Sendable, Equatable {
    public var runID: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var stages: String
    public var filesSeen: Int
    public var documentsNew: Int
    public var documentsExisting: Int
    public var documentsReplaced: Int
    public var documentsDuplicate: Int
    /// Documents a `--mirror` run moved to `retired_documents`.
    public var documentsRetired: Int
    public var sentences: Int
    public var themeHits: Int
    public var linesRemoved: Int
    public var rejected: Int
    public var quarantined: Int
    public var batchSize: Int?
    public var configHash: String?
    public var arguments: String
    public var error: String?

    /// Seconds from start to finish; nil while running (or after a crash).
    public var seconds: Double? { finishedAt.map { $0.timeIntervalSince(startedAt) } }
}

/// A stage of a run (`run_stages`).
public struct LedgerStage: Sendable, Equatable {
    public var stage: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    /// The stage's counts, as the JSON object the pipeline stored.
    public var counts: String
    public var error: String?
}

/// The committed load batches of a run, summed (`load_batches`).
public struct LedgerBatches: Sendable, Equatable {
    public var batches = 0
    public var documents = 0
    public var documentsNew = 0
    public var sentences = 0
    public var themeHits = 0
    public var rejected = 0
    public var firstCommit: Date?
    public var lastCommit: Date?
}

/// A document the database refused (`rejects`).
public struct LedgerReject: Sendable, Equatable {
    public var documentID: Int64
    public var sourcePath: String?
    public var sqlstate: String?
    public var error: String
    public var detail: String?
}

/// One run in full: its ledger row, stages, batches and rejects.
public struct LedgerRunDetail: Sendable, Equatable {
    public var run: LedgerRun
    public var stages: [LedgerStage]
    public var batches: LedgerBatches
    public var rejects: [LedgerReject]
}

/// No run with that id in the ledger.
public struct UnknownRunError: Error, CustomStringConvertible {
    public var runID: String
    public var description: String { "no run '\(runID)' in the ledger (bayan status lists the latest runs)" }
}

/// Reads the run ledger: the tables `runs`, `run_stages`, `load_batches` and `rejects`.
public struct LedgerReader {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) { self.connection = connection }

    static let runColumns = """
        run_id, started_at, finished_at, status, array_to_string(stages, ',') AS stages, files_seen, documents_new,
        documents_existing, documents_replaced, documents_duplicate, documents_retired, sentences, theme_hits, lines_removed, rejected,
        quarantined, batch_size, config_hash, array_to_string(arguments, ' ') AS arguments, error
        """

    /// The `limit` most recent runs, newest first.
    public func latest(limit: Int = 10) throws -> [LedgerRun] {
        try connection.query("SELECT \(Self.runColumns) FROM runs ORDER BY started_at DESC, run_id DESC LIMIT $1", [limit])
            .map(Self.run)
    }

    /// One run with its stages, batches and rejects.
    ///
    /// - Throws: ``UnknownRunError`` when the ledger has no such run; `PostgresError` when a query fails.
    public func detail(runID: String, maxRejects: Int = 50) throws -> LedgerRunDetail {
        guard let row = try connection.query("SELECT \(Self.runColumns) FROM runs WHERE run_id = $1", [runID]).first else {
            throw UnknownRunError(runID: runID)
        }
        let stages = try connection.query("""
            SELECT stage, started_at, finished_at, status, counts::text AS counts, error FROM run_stages WHERE run_id = $1
            ORDER BY array_position(ARRAY['extract', 'transform', 'load'], stage), started_at
            """, [runID]).map { row in
            LedgerStage(stage: try row.decode("stage"), startedAt: try row.decode("started_at"), finishedAt: try row.decode("finished_at"),
                        status: try row.decode("status"), counts: try row.decode("counts"), error: try row.decode("error"))
        }
        let batchRow = try connection.query("""
            SELECT count(*) AS batches, coalesce(sum(documents), 0) AS documents, coalesce(sum(documents_new), 0) AS documents_new,
                   coalesce(sum(sentences), 0) AS sentences, coalesce(sum(theme_hits), 0) AS theme_hits,
                   coalesce(sum(rejected), 0) AS rejected, min(committed_at) AS first_commit, max(committed_at) AS last_commit
            FROM load_batches WHERE run_id = $1
            """, [runID])[0]
        let batches = LedgerBatches(
            batches: try batchRow.decode("batches"), documents: try batchRow.decode("documents"), documentsNew: try batchRow.decode("documents_new"),
            sentences: try batchRow.decode("sentences"), themeHits: try batchRow.decode("theme_hits"), rejected: try batchRow.decode("rejected"),
            firstCommit: try batchRow.decode("first_commit"), lastCommit: try batchRow.decode("last_commit"))
        let rejects = try connection.query("""
            SELECT document_id, source_path, sqlstate, error, detail FROM rejects WHERE run_id = $1
            ORDER BY rejected_at, document_id LIMIT $2
            """, [runID, maxRejects]).map { row in
            LedgerReject(documentID: try row.decode("document_id"), sourcePath: try row.decode("source_path"),
                         sqlstate: try row.decode("sqlstate"), error: try row.decode("error"), detail: try row.decode("detail"))
        }
        return LedgerRunDetail(run: try Self.run(row), stages: stages, batches: batches, rejects: rejects)
    }

    /// How many rejects the run has in all (``detail(runID:maxRejects:)`` lists the first ones).
    public func rejectCount(runID: String) throws -> Int {
        try connection.query("SELECT count(*) FROM rejects WHERE run_id = $1", [runID])[0].decode(0)
    }

    static func run(_ row: PostgresRow) throws -> LedgerRun {
        LedgerRun(
            runID: try row.decode("run_id"), startedAt: try row.decode("started_at"), finishedAt: try row.decode("finished_at"),
            status: try row.decode("status"), stages: try row.decode("stages"), filesSeen: try row.decode("files_seen"),
            documentsNew: try row.decode("documents_new"), documentsExisting: try row.decode("documents_existing"),
            documentsReplaced: try row.decode("documents_replaced"), documentsDuplicate: try row.decode("documents_duplicate"),
            documentsRetired: try row.decode("documents_retired"), sentences: try row.decode("sentences"), themeHits: try row.decode("theme_hits"), linesRemoved: try row.decode("lines_removed"),
            rejected: try row.decode("rejected"), quarantined: try row.decode("quarantined"), batchSize: try row.decode("batch_size"),
            configHash: try row.decode("config_hash"), arguments: try row.decode("arguments"), error: try row.decode("error"))
    }
}

/// The ledger as text for `bayan status` and `bayan runs show`.
public enum LedgerText {
    /// One line per run under a header, aligned.
    public static func status(_ runs: [LedgerRun]) -> String {
        guard !runs.isEmpty else { return "No runs in the ledger yet." }
        let header = ["run id", "started (UTC)", "duration", "status", "files", "new", "replaced", "duplicate", "sentences", "rejected", "quarantined"]
        let rows = runs.map { run in
            [run.runID, timestamp(run.startedAt), run.seconds.map(duration) ?? "-", run.status, "\(run.filesSeen)", "\(run.documentsNew)",
             "\(run.documentsReplaced)", "\(run.documentsDuplicate)", "\(run.sentences)", "\(run.rejected)", "\(run.quarantined)"]
        }
        return table([header] + rows, rightAligned: Set(4..<header.count))
    }

    /// Everything the ledger knows about one run.
    public static func detail(_ detail: LedgerRunDetail, totalRejects: Int, runFile: String?) -> String {
        let run = detail.run
        var lines = [
            "Run \(run.runID): \(run.status)",
            "  started        \(timestamp(run.startedAt))",
            "  finished       \(run.finishedAt.map(timestamp) ?? "-")" + (run.seconds.map { " (\(duration($0)))" } ?? ""),
            "  stages         \(run.stages.isEmpty ? "-" : run.stages)",
            "  arguments      \(LogRedaction.scrub(run.arguments))",
            "  config hash    \(run.configHash ?? "-")",
            "  files          \(run.filesSeen) seen, \(run.quarantined) quarantined",
            "  documents      \(run.documentsNew) new, \(run.documentsReplaced) replaced, \(run.documentsDuplicate) duplicate, \(run.documentsExisting) already in the warehouse, \(run.rejected) rejected"
                + (run.documentsRetired > 0 ? ", \(run.documentsRetired) retired (their files are gone)" : ""),
            "  sentences      \(run.sentences) (theme hits \(run.themeHits), boilerplate lines removed \(run.linesRemoved))",
            "  batch size     \(run.batchSize.map(String.init) ?? "-")",
        ]
        if let error = run.error { lines.append("  error          \(LogRedaction.scrub(error))") }
        lines.append("  run.json       \(runFile ?? "(no run directory here)")")

        lines.append("")
        if detail.stages.isEmpty {
            lines.append("Stages: none recorded")
        } else {
            lines.append("Stages:")
            let rows = detail.stages.map { stage in
                ["  " + stage.stage, stage.status, timestamp(stage.startedAt),
                 stage.finishedAt.map { duration($0.timeIntervalSince(stage.startedAt)) } ?? "-", stage.counts]
            }
            lines.append(table([["  stage", "status", "started (UTC)", "duration", "counts"]] + rows, rightAligned: [3]))
            for stage in detail.stages where stage.error != nil {
                lines.append("  \(stage.stage) error: \(LogRedaction.scrub(stage.error!))")
            }
        }

        lines.append("")
        let batches = detail.batches
        if batches.batches == 0 {
            lines.append("Load batches: none committed")
        } else {
            var line = "Load batches: \(batches.batches) committed, \(batches.documents) documents (\(batches.documentsNew) new), "
                + "\(batches.sentences) sentences, \(batches.themeHits) theme hits, \(batches.rejected) rejected"
            if let first = batches.firstCommit, let last = batches.lastCommit {
                line += "; first \(timestamp(first)), last \(timestamp(last))"
            }
            lines.append(line)
        }

        lines.append("")
        if detail.rejects.isEmpty {
            lines.append("Rejects: none")
        } else {
            lines.append("Rejects: \(totalRejects)" + (totalRejects > detail.rejects.count ? " (the first \(detail.rejects.count) below)" : ""))
            for reject in detail.rejects {
                var line = "  \(reject.documentID)  \(reject.sourcePath ?? "-")  \(reject.sqlstate ?? "-")  \(LogRedaction.scrub(reject.error))"
                if let detail = reject.detail { line += " (\(LogRedaction.scrub(detail)))" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `2026-11-23 02:30:01`, in UTC.
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// `0.42 s`, `12.3 s`, `4m05s`, `2h03m`.
    public static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<10: String(format: "%.2f s", seconds)
        case ..<60: String(format: "%.1f s", seconds)
        case ..<3600: String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
        default: String(format: "%dh%02dm", Int(seconds) / 3600, Int(seconds) / 60 % 60)
        }
    }

    /// Rows padded into columns (by characters; Arabic text in a column may not line up in every terminal).
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == row.count - 1 && !rightAligned.contains(column) ? cell : (rightAligned.contains(column) ? pad + cell : cell + pad)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
