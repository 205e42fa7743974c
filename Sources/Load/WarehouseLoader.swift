public import Foundation
public import Logging
public import Postgres
import RunArtifacts

/// What the load stage is asked to load, and the run's facts for the ledger.
public struct LoadRequest: Sendable {
    public var runID: String
    public var runDirectory: URL
    public var startedAt: Date
    public var stages: [String]
    public var arguments: [String]
    public var configHash: String?
    /// Files extract looked at, and files identical to another file of the run.
    public var filesSeen: Int
    public var filesDuplicate: Int
    /// Files whose content was already in the warehouse (skipped by extract).
    public var filesKnown: Int
    /// MinHash similarity from which a new document is linked as a near-duplicate of an earlier one.
    public var nearDuplicateThreshold: Double = 0.8
    /// Documents per batch; each batch commits on its own with its row in `load_batches`.
    public var batchSize: Int = WarehouseLoader.defaultBatchSize
    /// Keep the batches an earlier, interrupted load of this run committed and load only the others (with the
    /// batch size that load used). Without it, every batch is loaded again (which adds nothing already there).
    public var resume = false
    /// The run read whole input folders that stand for the complete input (`--mirror`): documents no file of the
    /// run holds leave the warehouse for `retired_documents` before the batches.
    public var mirror = false

    public init(runID: String, runDirectory: URL, startedAt: Date, stages: [String], arguments: [String],
                configHash: String?, filesSeen: Int, filesDuplicate: Int, filesKnown: Int = 0, nearDuplicateThreshold: Double = 0.8) {
        self.runID = runID
        self.runDirectory = runDirectory
        self.startedAt = startedAt
        self.stages = stages
        self.arguments = arguments
        self.configHash = configHash
        self.filesSeen = filesSeen
        self.filesDuplicate = filesDuplicate
        self.filesKnown = filesKnown
        self.nearDuplicateThreshold = nearDuplicateThreshold
    }
}

/// What a load changed in the warehouse.
public struct LoadSummary: Sendable, Equatable, Codable {
    public var documentsStaged = 0
    public var documentsNew = 0
    public var documentsExisting = 0
    /// Documents already in the warehouse whose sentences and themes were replaced (transformed again under
    /// another configuration).
    public var documentsReplaced = 0
    /// New documents that are copies of an earlier one (linked by duplicate_of; sentences not loaded).
    public var duplicates = 0
    /// Of those, near-duplicates (similar, not identical, sentences).
    public var nearDuplicates = 0
    public var sentences = 0
    public var themeHits = 0
    public var linesRemoved = 0
    /// Lines removed, by rule (configured line or prefix, learned chrome, ...).
    public var linesRemovedByRule: [String: Int] = [:]
    public var quarantinedNew = 0
    public var quarantinedAgain = 0
    /// Documents the database refused (isolated from their batch, written to `rejects`).
    public var rejected = 0
    /// Documents a `--mirror` run retired (no input file holds them any more).
    public var documentsRetired = 0
    /// Batches of the run, and how many of them an earlier, interrupted load had already committed.
    public var batches = 0
    public var batchesResumed = 0

    public init() {}

    /// Whether the load added anything at all.
    public var addedNothing: Bool {
        documentsNew == 0 && documentsReplaced == 0 && sentences == 0 && themeHits == 0 && linesRemoved == 0 && quarantinedNew == 0
    }

    /// Adds the counts of a batch (not the quarantine or batch counts, which belong to the whole run).
    mutating func add(_ other: LoadSummary) {
        documentsStaged += other.documentsStaged
        documentsNew += other.documentsNew
        documentsExisting += other.documentsExisting
        documentsReplaced += other.documentsReplaced
        duplicates += other.duplicates
        nearDuplicates += other.nearDuplicates
        sentences += other.sentences
        themeHits += other.themeHits
        linesRemoved += other.linesRemoved
        linesRemovedByRule.merge(other.linesRemovedByRule, uniquingKeysWith: +)
        rejected += other.rejected
    }

    private enum CodingKeys: String, CodingKey {
        case documentsStaged, documentsNew, documentsExisting, documentsReplaced, duplicates, nearDuplicates, sentences, themeHits,
             linesRemoved, linesRemovedByRule, quarantinedNew, quarantinedAgain, rejected, documentsRetired, batches, batchesResumed
    }

    /// Reads summaries written by any version (a count missing from an older `run.json` is zero).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        documentsStaged = try count(.documentsStaged)
        documentsNew = try count(.documentsNew)
        documentsExisting = try count(.documentsExisting)
        documentsReplaced = try count(.documentsReplaced)
        duplicates = try count(.duplicates)
        nearDuplicates = try count(.nearDuplicates)
        sentences = try count(.sentences)
        themeHits = try count(.themeHits)
        linesRemoved = try count(.linesRemoved)
        linesRemovedByRule = try container.decodeIfPresent([String: Int].self, forKey: .linesRemovedByRule) ?? [:]
        quarantinedNew = try count(.quarantinedNew)
        quarantinedAgain = try count(.quarantinedAgain)
        rejected = try count(.rejected)
        documentsRetired = try count(.documentsRetired)
        batches = try count(.batches)
        batchesResumed = try count(.batchesResumed)
    }
}

/// Why the load failed.
public enum LoadError: Error, CustomStringConvertible {
    /// Another run holds the warehouse; `holder` names it when the server can tell.
    case locked(holder: String?)
    case missingInput(path: String)
    case copyFailed(file: String, error: PostgresError)
    case idCollision(documentIDs: [Int64])

    public var description: String {
        switch self {
        case .locked(let holder):
            return "another Bayan run (\(holder ?? "unknown")) holds this warehouse (advisory lock 'bayan.load'); try again when it has finished"
        case .missingInput(let path):
            return "load needs \(path), which is missing: run the transform stage first"
        case .copyFailed(let file, let error):
            return "loading \(file) failed: \(error)"
        case .idCollision(let ids):
            return "document ids \(ids.map(String.init).joined(separator: ", ")) already belong to documents with different content "
                + "(a 64-bit id collision); nothing was loaded"
        }
    }
}


/// Streams a run directory's files into PostgreSQL with COPY and merges them into the warehouse batch by batch.
///
/// The run files are staged once per session into temporary tables. Documents are then merged in batches of
/// `batchSize`, in the order of `transform/documents.tsv`; each batch commits on its own together with its
/// row in `load_batches`, so a reader sees each document whole (its sentences, themes and removed lines
/// with it, old or new, never a mix), and a load killed at any point resumes with the first batch that has
/// no row. A document the database refuses (a constraint, a bad value) is isolated by splitting its batch
/// and is written to `rejects` with its record and the server's error; the rest of the batch loads.
///
/// Documents already in the warehouse (same content, same id) are left as they are, so loading the same run
/// twice, or a second run over the same files, adds nothing.
public struct WarehouseLoader {
    public static let defaultBatchSize = 5000

    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Staging tables: one per run file, columns in the file's order.
    static let staging: [(file: RunFile, table: String, columns: String)] = [
        (.themes, "stage_themes", "theme_code text, name_ar text, name_en text, description text, threshold float8, sort_order int, lexicon_version text"),
        (.boilerplateLines, "stage_boilerplate_lines", "line_hash text, normalized_text text, sample_text text, origin text"),
        (.documents, "stage_documents", "document_id bigint, content_sha256 text, source_path text, source_name text, encoding text, byte_size int, file_modified_at timestamptz, published_on date, published_on_origin text, title text, paragraph_count int, sentence_count int, lines_removed int, duplicate_of bigint, raw_text text, normalization_profile text, body_hash text, minhash bigint[]"),
        (.documentBands, "stage_document_bands", "document_id bigint, band_key bigint"),
        (.sentences, "stage_sentences", "document_id bigint, ordinal int, paragraph int, text text, normalized_text text, normalized_hash bigint, start_offset int, end_offset int, is_overlong bool, search_vector tsvector"),
        (.edgeLines, "stage_edge_lines", "document_id bigint, line_hash text, source_name text, normalized_text text, sample_text text"),
        (.sentenceThemes, "stage_sentence_themes", "document_id bigint, ordinal int, theme_code text, score float8, matched_terms text[], lexicon_version text, matched_tokens int4range[]"),
        (.removedLines, "stage_removed_lines", "document_id bigint, line_number int, line_hash text, text text, rule text"),
        (.seenFiles, "stage_seen_files", "source_path text, source_name text, content_sha256 text, byte_size bigint, status text"),
        (.extractQuarantine, "stage_quarantine", "source_path text, content_sha256 text, byte_size bigint, stage text, reason text"),
        (.transformQuarantine, "stage_quarantine", ""),
    ]

    /// Staged tables looked up by document id batch by batch.
    static let indexedByDocument = ["stage_document_bands", "stage_sentences", "stage_edge_lines", "stage_sentence_themes", "stage_removed_lines"]

    /// Loads the run. Records it in `runs` (running, then succeeded or failed with the error) and each
    /// committed batch in `load_batches`.
    /// - Parameter dryRun: do everything in one transaction that is then rolled back, and return what the load
    ///   would have inserted, replaced and linked; the warehouse (the ledger included) is left unchanged.
    public func load(_ request: LoadRequest, into connection: PostgresConnection, dryRun: Bool = false) throws -> LoadSummary {
        precondition(request.batchSize > 0, "a batch holds at least one document")
        for entry in Self.staging {
            let url = request.runDirectory.appendingPathComponent(entry.file.relativePath)
            guard FileManager.default.fileExists(atPath: url.path) else { throw LoadError.missingInput(path: url.path) }
        }
        try WarehouseLock.acquire(on: connection, runID: request.runID)
        defer { WarehouseLock.release(on: connection) }
        // No JIT compilation: a batch's statements run in milliseconds, but the planner cannot tell how few of the
        // warehouse's documents a batch touches and may estimate millions of rows, past the JIT threshold, and
        // then compiles for 2–2.5 s per statement (measured on the corpus: 26 s in the first 11 batches).
        try connection.query("SELECT set_config('jit', 'off', false)")
        // Index lookups priced as what they are here: the staged run files and the warehouse's indexes a batch
        // reads are cached. With the default cost of a random page (4, for spinning disks) the planner scans every
        // staging table whole for each batch (corpus load: 54 s, 48 s at 1.1). A lower setting is kept.
        try connection.query("SELECT set_config('random_page_cost', least(current_setting('random_page_cost')::float8, 1.1)::text, false)")

        if dryRun {
            // Everything happens, then the transaction is rolled back: the summary says what a load would do.
            struct DryRunRollback: Error { var summary: LoadSummary }
            do {
                _ = try connection.transaction { connection -> Void in
                    throw DryRunRollback(summary: try loadStaged(request, connection, nested: true))
                }
            } catch let rollback as DryRunRollback {
                dropStaging(connection)
                logger.info("dry run: nothing written", metadata: ["run.id": "\(request.runID)"])
                return rollback.summary
            }
            preconditionFailure("a dry run always rolls back")
        }
        do {
            let summary = try loadStaged(request, connection, nested: false)
            dropStaging(connection)
            logger.info("load committed", metadata: [
                "run.id": "\(request.runID)", "load.documents_new": "\(summary.documentsNew)",
                "load.sentences": "\(summary.sentences)", "load.theme_hits": "\(summary.themeHits)",
                "load.batches": "\(summary.batches)", "load.rejected": "\(summary.rejected)",
            ])
            return summary
        } catch {
            dropStaging(connection)
            if !((error as? PostgresError)?.isConnectionLoss ?? false) && !(error is InterruptedError) {
                _ = try? connection.query(
                    "UPDATE runs SET status = 'failed', finished_at = greatest(clock_timestamp(), started_at), error = $2 WHERE run_id = $1",
                    [request.runID, "\(error)"])
            }
            throw error
        }
    }

    /// Runs `body` atomically: in its own transaction, or, inside a dry run's transaction, in a savepoint.
    private func atomically<T>(_ connection: PostgresConnection, nested: Bool, _ body: () throws -> T) throws -> T {
        if !nested { return try connection.transaction { _ in try body() } }
        try connection.execute("SAVEPOINT bayan_unit")
        do {
            let value = try body()
            try connection.execute("RELEASE SAVEPOINT bayan_unit")
            return value
        } catch {
            try? connection.execute("ROLLBACK TO SAVEPOINT bayan_unit; RELEASE SAVEPOINT bayan_unit")
            throw error
        }
    }

    private func loadStaged(_ request: LoadRequest, _ connection: PostgresConnection, nested: Bool) throws -> LoadSummary {
        // The run first, so that a failure from here on is recorded against it.
        _ = try connection.query("""
            INSERT INTO runs (run_id, started_at, status, stages, arguments, config_hash, files_seen, files_duplicate, files_known, batch_size)
            VALUES ($1, $2, 'running', $3::text[], $4::text[], $5, $6, $7, $8, $9)
            ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL,
                stages = EXCLUDED.stages, arguments = EXCLUDED.arguments, config_hash = EXCLUDED.config_hash,
                batch_size = coalesce(runs.batch_size, EXCLUDED.batch_size)
            """, [request.runID, request.startedAt, PostgresArrayLiteral.encode(request.stages),
                  PostgresArrayLiteral.encode(request.arguments), request.configHash, request.filesSeen, request.filesDuplicate,
                  request.filesKnown, request.batchSize])
        try stage(request, connection)
        if !nested { try deferSearchIndex(request, connection) }

        // The themes and the configured boilerplate lines first; then the batches.
        let batchSize = try atomically(connection, nested: nested) { () throws -> Int in
            var batchSize = request.batchSize
            if request.resume {
                // Batches are numbered by position: a resumed load must cut them where the first attempt did.
                let recorded = try connection.query("""
                    SELECT r.batch_size FROM runs r WHERE r.run_id = $1 AND EXISTS (SELECT 1 FROM load_batches b WHERE b.run_id = r.run_id)
                    """, [request.runID])
                if let first = recorded.first, let size = try first.decode(0, as: Int?.self), size != batchSize {
                    logger.notice("resuming with the batch size the run started with", metadata: ["load.batch_size": "\(size)"])
                    batchSize = size
                }
            } else {
                try connection.query("DELETE FROM load_batches WHERE run_id = $1", [request.runID])
                try connection.query("DELETE FROM rejects WHERE run_id = $1", [request.runID])
            }
            try connection.query("UPDATE runs SET batch_size = $2 WHERE run_id = $1", [request.runID, batchSize])
            try connection.query("""
                INSERT INTO themes (theme_code, name_ar, name_en, description, threshold, sort_order, lexicon_version)
                SELECT theme_code, name_ar, name_en, description, threshold, sort_order, lexicon_version FROM stage_themes
                ON CONFLICT (theme_code) DO UPDATE SET name_ar = EXCLUDED.name_ar, name_en = EXCLUDED.name_en,
                    description = EXCLUDED.description, threshold = EXCLUDED.threshold, sort_order = EXCLUDED.sort_order,
                    lexicon_version = EXCLUDED.lexicon_version
                """)
            try connection.query("""
                INSERT INTO boilerplate_lines (line_hash, normalized_text, sample_text, origin)
                SELECT decode(line_hash, 'hex'), normalized_text, sample_text, origin FROM stage_boilerplate_lines
                ON CONFLICT (line_hash) DO UPDATE SET origin = EXCLUDED.origin
                    WHERE boilerplate_lines.origin <> EXCLUDED.origin AND EXCLUDED.origin = 'configured'
                """)
            return batchSize
        }

        if request.mirror {
            _ = try atomically(connection, nested: nested) { try retireMissing(request, connection) }
        }

        let staged = try connection.query("SELECT count(*) FROM stage_documents")[0].decode(0, as: Int.self)
        let batchCount = (staged + batchSize - 1) / batchSize
        let committed = Set(try connection.query("SELECT batch_number FROM load_batches WHERE run_id = $1", [request.runID])
            .map { try $0.decode(0, as: Int.self) })
        if !committed.isEmpty {
            logger.notice("resuming the load", metadata: ["load.batches_committed": "\(committed.count)", "load.batches": "\(batchCount)"])
        }
        for batch in 0..<batchCount where !committed.contains(batch) {
            try Interruption.check()
            let lower = batch * batchSize + 1
            let upper = min(lower + batchSize, staged + 1)
            let counts = try atomically(connection, nested: nested) { () throws -> LoadSummary in
                let counts = try mergeIsolatingRejects(request, connection, ordinals: lower..<upper)
                let bounds = try connection.query(
                    "SELECT min(document_id), max(document_id) FROM stage_documents WHERE ordinal >= $1 AND ordinal < $2", [lower, upper])[0]
                try connection.query("""
                    INSERT INTO load_batches (run_id, batch_number, first_document_id, last_document_id, documents, documents_new,
                        sentences, theme_hits, rejected, counts)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
                    """, [request.runID, batch, try bounds.decode(0, as: Int64?.self), try bounds.decode(1, as: Int64?.self),
                          upper - lower, counts.documentsNew, counts.sentences, counts.themeHits, counts.rejected, try RunLedger.json(counts)])
                return counts
            }
            logger.debug("batch committed", metadata: [
                "load.batch": "\(batch)", "load.documents_new": "\(counts.documentsNew)", "load.rejected": "\(counts.rejected)",
            ])
        }

        return try atomically(connection, nested: nested) { () throws -> LoadSummary in
            // The run's totals are the sums over its batches, those of an earlier attempt included.
            var summary = LoadSummary()
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            for row in try connection.query("SELECT counts::text FROM load_batches WHERE run_id = $1 ORDER BY batch_number", [request.runID]) {
                summary.add(try decoder.decode(LoadSummary.self, from: Data(try row.decode(0, as: String.self).utf8)))
            }
            summary.batches = batchCount
            summary.batchesResumed = committed.count
            summary.documentsRetired = try connection.query("SELECT documents_retired FROM runs WHERE run_id = $1", [request.runID])[0]
                .decode(0, as: Int.self)
            if !nested { try buildDeferredIndexes(connection) }
            try finish(request, connection, &summary)
            return summary
        }
    }

    /// The full-text index of the sentences, when this load brings more sentences than the warehouse holds: it is
    /// dropped now and built once at the end of the load (``buildDeferredIndexes(_:)``), which is cheaper than
    /// updating it sentence by sentence (corpus, 344,144 sentences into an empty table: 7.5 s of updates against a
    /// 4.1 s build). Its definition goes to `deferred_indexes` in the transaction that drops it, so a load that
    /// stops before the end leaves it for the next load to build. An index another session is reading is kept
    /// rather than waited for.
    private func deferSearchIndex(_ request: LoadRequest, _ connection: PostgresConnection) throws {
        let index = "sentences_search_idx"
        for row in try connection.query("SELECT index_name, run_id FROM deferred_indexes ORDER BY index_name") {
            let name = try row.decode(0, as: String.self), droppedBy = try row.decode(1, as: String.self)
            logger.notice("an index an earlier load dropped is built at the end of this load", metadata: [
                "db.index": "\(name)", "db.index_dropped_by": "\(droppedBy)"])
        }
        guard try connection.query("SELECT to_regclass($1) IS NOT NULL", [index])[0].decode(0, as: Bool.self) else { return }
        let staged = try connection.query("SELECT count(*) FROM stage_sentences")[0].decode(0, as: Int.self)
        // Counted no further than the staged sentences: the answer costs no more than the load's own work.
        let existing = try connection.query("SELECT count(*) FROM (SELECT FROM sentences LIMIT $1) s", [staged])[0].decode(0, as: Int.self)
        guard staged > existing else { return }
        do {
            try connection.transaction { connection in
                try connection.execute("SET LOCAL lock_timeout = '1s'")
                try connection.query("""
                    INSERT INTO deferred_indexes (index_name, table_name, definition, comment, run_id)
                    SELECT $1, 'sentences', pg_get_indexdef(i), obj_description(i, 'pg_class'), $2 FROM to_regclass($1) i
                    """, [index, request.runID])
                try connection.execute("DROP INDEX \(index)")
            }
            logger.info("full-text index dropped for the load, built at its end", metadata: [
                "db.index": "\(index)", "load.sentences_staged": "\(staged)", "load.sentences_in_warehouse": "\(existing)"])
        } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
            logger.info("full-text index kept: another session is using the sentences table", metadata: ["db.index": "\(index)"])
        }
    }

    /// Builds the indexes a load dropped (this one, or an earlier one that stopped before its end), with their
    /// comments, and forgets them: part of the load's last transaction, so the run succeeds with its indexes.
    private func buildDeferredIndexes(_ connection: PostgresConnection) throws {
        let deferred = try connection.query("""
            SELECT index_name, definition, format('COMMENT ON INDEX %I IS %s', index_name, quote_nullable(comment)),
                to_regclass(index_name) IS NULL
            FROM deferred_indexes ORDER BY index_name
            """)
        for row in deferred {
            let name = try row.decode(0, as: String.self)
            let started = Date()
            if try row.decode(3, as: Bool.self) {
                try connection.execute(try row.decode(1, as: String.self))
            }
            try connection.execute(try row.decode(2, as: String.self))
            try connection.query("DELETE FROM deferred_indexes WHERE index_name = $1", [name])
            logger.info("index built", metadata: ["db.index": "\(name)", "db.seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))"])
        }
    }

    /// Streams every run file into its temporary staging table (session-long, so batches can commit between).
    private func stage(_ request: LoadRequest, _ connection: PostgresConnection) throws {
        dropStaging(connection)
        for entry in Self.staging where !entry.columns.isEmpty {
            // Documents get their position in the run file: batches are cut by it.
            let ordinal = entry.file == .documents ? ", ordinal bigint GENERATED ALWAYS AS IDENTITY" : ""
            try connection.execute("CREATE TEMP TABLE \(entry.table) (\(entry.columns)\(ordinal))")
        }
        for entry in Self.staging {
            let url = request.runDirectory.appendingPathComponent(entry.file.relativePath)
            let columns = entry.file == .documents ? " (" + Self.columnNames(entry.columns).joined(separator: ", ") + ")" : ""
            let rows: Int
            do {
                rows = try connection.copyIn("COPY \(entry.table)\(columns) FROM STDIN") { writer in
                    try RunFileReader(url: url).forEachChunk { chunk in try writer.writeEncoded(chunk) }
                }
            } catch let error as PostgresError where !error.isConnectionLoss {
                throw LoadError.copyFailed(file: url.path, error: error)
            }
            logger.debug("staged", metadata: ["copy.file": "\(entry.file.relativePath)", "copy.rows": "\(rows)"])
        }
        try connection.execute("CREATE UNIQUE INDEX ON stage_documents (ordinal)")
        try connection.execute("CREATE INDEX ON stage_documents (document_id)")
        for table in Self.indexedByDocument {
            try connection.execute("CREATE INDEX ON \(table) (document_id)")
        }
        // Autovacuum never analyzes temporary tables: without statistics the batch joins would be planned blind.
        // The wide tables get statistics on the columns batches are cut and joined by only: the documents' raw text
        // and the sentences' vectors are costly to sample and never filtered on (corpus: 1.6 s for every column,
        // 0.4 s this way; each batch's copy of its documents likewise).
        let keyColumns = ["stage_documents": "(document_id, ordinal)", "stage_sentences": "(document_id)", "stage_sentence_themes": "(document_id)"]
        try connection.execute("ANALYZE " + Set(Self.staging.map(\.table)).sorted().map { table in
            keyColumns[table].map { "\(table) \($0)" } ?? table
        }.joined(separator: ", "))
    }

    static func columnNames(_ columns: String) -> [String] {
        columns.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces).prefix { $0 != " " }) }
    }

    private func dropStaging(_ connection: PostgresConnection) {
        guard connection.isOpen else { return }
        let tables = Set(Self.staging.map(\.table)).union(["batch_documents", "new_documents", "replaced_documents", "load_documents", "changed_documents", "touched_lines", "copy_decisions", "affected", "seen_contents", "retiring"])
        _ = try? connection.execute("DROP TABLE IF EXISTS " + tables.sorted().joined(separator: ", "))
    }

    /// Merges the documents at `ordinals`; when the database refuses one, splits the range in halves (each in
    /// a savepoint) until the refused document is alone, and records it in `rejects` instead.
    private func mergeIsolatingRejects(_ request: LoadRequest, _ connection: PostgresConnection, ordinals: Range<Int>) throws -> LoadSummary {
        try connection.execute("SAVEPOINT bayan_piece")
        do {
            let summary = try merge(request, connection, ordinals: ordinals)
            try connection.execute("RELEASE SAVEPOINT bayan_piece")
            return summary
        } catch let error as PostgresError where error.isDataRejection {
            try connection.execute("ROLLBACK TO SAVEPOINT bayan_piece; RELEASE SAVEPOINT bayan_piece")
            if ordinals.count == 1 {
                try reject(request, connection, ordinal: ordinals.lowerBound, error: error)
                var summary = LoadSummary()
                summary.documentsStaged = 1
                summary.rejected = 1
                return summary
            }
            let middle = ordinals.lowerBound + ordinals.count / 2
            var summary = try mergeIsolatingRejects(request, connection, ordinals: ordinals.lowerBound..<middle)
            summary.add(try mergeIsolatingRejects(request, connection, ordinals: middle..<ordinals.upperBound))
            return summary
        }
    }

    /// Writes the document at `ordinal` to `rejects` with its original record and the server's error.
    private func reject(_ request: LoadRequest, _ connection: PostgresConnection, ordinal: Int, error: PostgresError) throws {
        let url = request.runDirectory.appendingPathComponent(RunFile.documents.relativePath)
        var record = ""
        // The staged rows keep the file's order, so the document's ordinal is its line number.
        try RunFileReader(url: url).forEachLine { line, number in
            if number == ordinal { record = String(decoding: line, as: UTF8.self) }
        }
        let row = try connection.query("""
            INSERT INTO rejects (run_id, document_id, source_path, record, sqlstate, error, detail)
            SELECT $1, document_id, source_path, $3, $4, $5, $6 FROM stage_documents WHERE ordinal = $2
            ON CONFLICT (run_id, document_id) DO UPDATE SET record = EXCLUDED.record, sqlstate = EXCLUDED.sqlstate,
                error = EXCLUDED.error, detail = EXCLUDED.detail, rejected_at = EXCLUDED.rejected_at
            RETURNING document_id, source_path
            """, [request.runID, ordinal, record, error.sqlState?.code, error.message, error.detail])
        let documentID = try row.first?.decode(0, as: Int64.self) ?? 0
        let path = try row.first?.decode(1, as: String?.self) ?? "?"
        logger.warning("document rejected by the database", metadata: [
            "document.id": "\(documentID)", "document.path": "\(path)",
            "db.sqlstate": "\(error.sqlState?.code ?? "")", "db.error": "\(error.message)",
        ])
    }

    /// Merges the staged documents at `ordinals` (and their sentences, themes and lines) into the warehouse.
    private func merge(_ request: LoadRequest, _ connection: PostgresConnection, ordinals: Range<Int>) throws -> LoadSummary {
        var summary = LoadSummary()
        try connection.execute("DROP TABLE IF EXISTS batch_documents, new_documents, replaced_documents, load_documents, changed_documents, touched_lines, copy_decisions, affected, seen_contents, retiring")
        summary.documentsStaged = try connection.query("""
            CREATE TEMP TABLE batch_documents AS SELECT * FROM stage_documents WHERE ordinal >= $1 AND ordinal < $2
            """, [ordinals.lowerBound, ordinals.upperBound]).affectedRows

        let collisions = try connection.query("""
            SELECT s.document_id FROM batch_documents s JOIN documents d USING (document_id)
            WHERE d.content_sha256 <> decode(s.content_sha256, 'hex') ORDER BY 1
            """)
        if !collisions.isEmpty {
            throw LoadError.idCollision(documentIDs: try collisions.map { try $0.decode(0, as: Int64.self) })
        }

        try connection.execute("CREATE TEMP TABLE new_documents (document_id bigint PRIMARY KEY)")
        summary.documentsNew = try connection.query("""
            WITH inserted AS (
                INSERT INTO documents (document_id, content_sha256, source_path, source_name, encoding, byte_size,
                    file_modified_at, published_on, published_on_origin, title, paragraph_count, sentence_count,
                    lines_removed, duplicate_of, raw_text, normalization_profile, body_hash, minhash, transform_config_hash, first_run_id)
                SELECT document_id, decode(content_sha256, 'hex'), source_path, source_name, encoding, byte_size,
                    file_modified_at, published_on, published_on_origin, title, paragraph_count, sentence_count,
                    lines_removed, duplicate_of, raw_text, normalization_profile, decode(body_hash, 'hex'), minhash, $2, $1
                FROM batch_documents ORDER BY document_id
                ON CONFLICT (document_id) DO NOTHING
                RETURNING document_id)
            INSERT INTO new_documents SELECT document_id FROM inserted
            """, [request.runID, request.configHash]).affectedRows
        summary.documentsExisting = summary.documentsStaged - summary.documentsNew

        // Existing documents of the batch transformed again (a lexicon edit, a line newly learned as chrome, the
        // copy they were linked to changed or left): their columns take the new values and their sentences,
        // themes, removed lines and MinHash bands are replaced in this transaction, so a reader sees the old
        // rows or the new ones, never a mix. Under the same configuration and chrome a reload changes nothing.
        try connection.query("""
            CREATE TEMP TABLE replaced_documents AS
            SELECT s.document_id FROM batch_documents s JOIN documents d USING (document_id)
            WHERE d.document_id NOT IN (SELECT document_id FROM new_documents)
              AND (d.transform_config_hash IS DISTINCT FROM $1::text OR d.body_hash IS DISTINCT FROM decode(s.body_hash, 'hex')
                   OR d.minhash IS DISTINCT FROM s.minhash OR d.lines_removed <> s.lines_removed OR d.sentence_count <> s.sentence_count
                   OR d.title IS DISTINCT FROM s.title OR d.paragraph_count <> s.paragraph_count
                   OR d.normalization_profile <> s.normalization_profile)
            """, [request.configHash])
        try connection.execute("""
            CREATE TEMP TABLE touched_lines AS
            SELECT DISTINCT line_hash FROM removed_lines WHERE document_id IN (SELECT document_id FROM replaced_documents)
            """)
        summary.documentsReplaced = try connection.query("""
            UPDATE documents d SET title = s.title, paragraph_count = s.paragraph_count, sentence_count = s.sentence_count,
                lines_removed = s.lines_removed, normalization_profile = s.normalization_profile,
                body_hash = decode(s.body_hash, 'hex'), minhash = s.minhash, transform_config_hash = $1
            FROM batch_documents s JOIN replaced_documents USING (document_id)
            WHERE d.document_id = s.document_id
            """, [request.configHash]).affectedRows
        try connection.execute("""
            DELETE FROM removed_lines WHERE document_id IN (SELECT document_id FROM replaced_documents);
            DELETE FROM document_bands WHERE document_id IN (SELECT document_id FROM replaced_documents);
            CREATE TEMP TABLE changed_documents AS
            SELECT document_id FROM new_documents UNION SELECT document_id FROM replaced_documents;
            ANALYZE batch_documents (document_id), new_documents, replaced_documents, changed_documents;
            """)
        try connection.query("""
            INSERT INTO document_bands (band_key, document_id)
            SELECT DISTINCT b.band_key, b.document_id FROM stage_document_bands b JOIN changed_documents USING (document_id)
            ORDER BY b.band_key, b.document_id
            ON CONFLICT DO NOTHING
            """)
        try connection.query("""
            INSERT INTO document_edge_lines (document_id, line_hash)
            SELECT DISTINCT e.document_id, decode(e.line_hash, 'hex') FROM stage_edge_lines e JOIN batch_documents USING (document_id)
            ON CONFLICT DO NOTHING
            """)

        // Copies. A document is a copy when an earlier document (by publication date, then id) has the same
        // body or a similar one (a shared MinHash band, similarity at least the threshold); it is linked to the
        // first such document. That depends on the set of documents only, not on the order files arrived in, so
        // a new or changed document also decides again for the later documents similar to it, and for those
        // linked to a changed one.
        let (duplicates, nearDuplicates) = try linkCopies(request, connection)
        try connection.execute("DELETE FROM retired_documents WHERE document_id IN (SELECT document_id FROM new_documents)")
        summary.duplicates = duplicates
        summary.nearDuplicates = nearDuplicates

        (summary.sentences, summary.themeHits) = try insertSentences(connection)
        for row in try connection.query("""
            WITH inserted AS (
                INSERT INTO removed_lines (document_id, line_number, line_hash, text, rule)
                SELECT r.document_id, r.line_number, decode(r.line_hash, 'hex'), r.text, r.rule
                FROM stage_removed_lines r
                WHERE r.document_id IN (SELECT document_id FROM changed_documents)
                RETURNING rule)
            SELECT rule, count(*) FROM inserted GROUP BY rule ORDER BY rule
            """) {
            let count = try row.decode(1, as: Int.self)
            summary.linesRemovedByRule[try row.decode(0, as: String.self), default: 0] += count
            summary.linesRemoved += count
        }
        // The lines this batch removed, and those the replaced documents no longer lose.
        try recountBoilerplateLines("""
            SELECT line_hash FROM touched_lines
            UNION SELECT decode(s.line_hash, 'hex') FROM stage_removed_lines s JOIN changed_documents USING (document_id)
            """, seenBy: request.runID, connection)

        // Head and tail lines of the new documents add to the counts later runs learn chrome from.
        try connection.query("""
            INSERT INTO line_counts AS c (line_hash, source_name, documents, normalized_text, sample_text, first_run_id, last_run_id)
            SELECT decode(e.line_hash, 'hex'), e.source_name, count(DISTINCT e.document_id), min(e.normalized_text), min(e.sample_text), $1, $1
            FROM stage_edge_lines e JOIN new_documents USING (document_id)
            GROUP BY e.line_hash, e.source_name
            ON CONFLICT (line_hash, source_name) DO UPDATE SET documents = c.documents + EXCLUDED.documents, last_run_id = EXCLUDED.last_run_id
            """, [request.runID])
        return summary
    }

    /// Decides which documents are copies for the batch's documents, the later documents similar to its new or
    /// changed ones, and those linked to a changed one; updates `duplicate_of`, clears the sentences of documents
    /// that became copies, and leaves in `load_documents` the documents whose sentences are to be (re)loaded
    /// from the run. Returns how many of the batch's new documents are copies, and how many of them near ones.
    ///
    /// - Parameters:
    ///   - affected: SQL giving the `document_id`s to decide (by default the batch's and those its changes touch).
    ///   - leaving: a table of documents about to leave the warehouse, never chosen as originals.
    private func linkCopies(_ request: LoadRequest, _ connection: PostgresConnection,
                            affected: String = Self.batchAffected, leaving: String? = nil) throws -> (Int, Int) {
        let earlier = "(coalesce(o.published_on, 'infinity'::date), o.document_id) < (coalesce(d.published_on, 'infinity'::date), d.document_id)"
            + (leaving.map { " AND o.document_id NOT IN (SELECT document_id FROM \($0))" } ?? "")
        // The documents to decide go to a table of their own, with statistics: planned as a subquery, their number
        // is overestimated twentyfold, and the bands are then joined to themselves over the whole warehouse for each
        // batch (690 ms a batch at the end of the corpus, growing with the warehouse) instead of looked up by key.
        try connection.execute("""
            DROP TABLE IF EXISTS copy_decisions, load_documents, affected;
            CREATE TEMP TABLE affected AS \(affected);
            ANALYZE affected;
            """)
        try connection.query("""
            CREATE TEMP TABLE copy_decisions AS
            WITH candidates AS (
                SELECT a.document_id, o.document_id AS other, 1::float8 AS similarity
                FROM affected a JOIN documents d USING (document_id)
                JOIN documents o ON o.body_hash = d.body_hash AND o.document_id <> d.document_id
                WHERE d.sentence_count > 0 AND o.sentence_count > 0 AND \(earlier)
                UNION ALL
                SELECT pairs.document_id, pairs.other,
                       (SELECT count(*) FROM unnest(d.minhash, o.minhash) AS u(x, y) WHERE x = y)::float8 / cardinality(d.minhash)
                FROM (SELECT DISTINCT a.document_id, ob.document_id AS other
                      FROM affected a JOIN document_bands b USING (document_id)
                      JOIN document_bands ob ON ob.band_key = b.band_key AND ob.document_id <> b.document_id) pairs
                JOIN documents d ON d.document_id = pairs.document_id JOIN documents o ON o.document_id = pairs.other
                WHERE d.minhash IS NOT NULL AND o.minhash IS NOT NULL AND cardinality(d.minhash) > 0 AND \(earlier)),
            best AS (
                SELECT DISTINCT ON (c.document_id) c.document_id, c.other, c.similarity
                FROM candidates c JOIN documents o ON o.document_id = c.other
                WHERE c.similarity >= $1
                ORDER BY c.document_id, coalesce(o.published_on, 'infinity'::date), o.document_id, c.similarity DESC)
            SELECT a.document_id, d.duplicate_of AS was, b.other AS now, b.similarity::real AS similarity,
                   EXISTS (SELECT 1 FROM stage_documents s WHERE s.document_id = a.document_id) AS staged
            FROM affected a JOIN documents d USING (document_id) LEFT JOIN best b USING (document_id)
            """, [request.nearDuplicateThreshold])
        // A copy whose sentences this run does not have cannot become an original here: it stays linked (and
        // is decided again when a run transforms it). Transform includes such documents, so this is a safeguard.
        for row in try connection.query("""
            UPDATE copy_decisions SET now = was,
                similarity = (SELECT duplicate_similarity FROM documents d WHERE d.document_id = copy_decisions.document_id)
            WHERE was IS NOT NULL AND now IS NULL AND NOT staged
            RETURNING document_id, was
            """) {
            let id = try row.decode(0, as: Int64.self), original = try row.decode(1, as: Int64.self)
            logger.warning("a copy stays linked: its sentences are not in this run", metadata: [
                "document.id": "\(id)", "document.duplicate_of": "\(original)"])
        }
        try connection.query("""
            UPDATE documents d SET duplicate_of = c.now, duplicate_similarity = c.similarity
            FROM copy_decisions c
            WHERE d.document_id = c.document_id
              AND (d.duplicate_of IS DISTINCT FROM c.now OR d.duplicate_similarity IS DISTINCT FROM c.similarity)
            """)
        try connection.execute("""
            DELETE FROM sentences WHERE document_id IN (
                SELECT document_id FROM replaced_documents
                UNION SELECT document_id FROM copy_decisions WHERE now IS NOT NULL AND was IS NULL);
            CREATE TEMP TABLE load_documents AS
            SELECT document_id FROM copy_decisions
            WHERE now IS NULL AND (was IS NOT NULL OR document_id IN (SELECT document_id FROM changed_documents));
            """)
        let counts = try connection.query("""
            SELECT count(*) FILTER (WHERE c.now IS NOT NULL), count(*) FILTER (WHERE c.now IS NOT NULL AND c.similarity < 1)
            FROM copy_decisions c WHERE c.document_id IN (SELECT document_id FROM new_documents)
            """)[0]
        return (try counts.decode(0, as: Int.self), try counts.decode(1, as: Int.self))
    }

    /// The batch's documents, the later documents similar to its new or changed ones, and those linked to a
    /// changed one.
    static let batchAffected = """
        SELECT document_id FROM batch_documents
        UNION SELECT o.document_id FROM changed_documents JOIN documents d USING (document_id)
              JOIN documents o ON o.body_hash = d.body_hash AND o.document_id <> d.document_id
        UNION SELECT ob.document_id FROM changed_documents JOIN document_bands b USING (document_id)
              JOIN document_bands ob ON ob.band_key = b.band_key AND ob.document_id <> b.document_id
        UNION SELECT document_id FROM documents WHERE duplicate_of IN (SELECT document_id FROM replaced_documents)
        """

    /// Inserts the sentences and themes of the documents in `load_documents` from the run; returns their counts.
    private func insertSentences(_ connection: PostgresConnection) throws -> (sentences: Int, themeHits: Int) {
        // Looked up document by document (OFFSET 0 keeps the subquery from being flattened into a join): planned as
        // a join, a batch's sentences were often found by a merge join that read the whole staged file's index,
        // 0.2 s a batch on the corpus.
        let sentences = try connection.query("""
            INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash, start_offset, end_offset, is_overlong,
                search_vector)
            SELECT s.document_id, s.ordinal, s.paragraph, s.text, s.normalized_text, s.normalized_hash, s.start_offset, s.end_offset, s.is_overlong,
                s.search_vector
            FROM load_documents l CROSS JOIN LATERAL (SELECT * FROM stage_sentences s WHERE s.document_id = l.document_id OFFSET 0) s
            ORDER BY s.document_id, s.ordinal
            """).affectedRows
        let themeHits = try connection.query("""
            INSERT INTO sentence_themes (document_id, ordinal, theme_code, score, matched_terms, lexicon_version, matched_tokens)
            SELECT t.document_id, t.ordinal, t.theme_code, t.score, t.matched_terms, t.lexicon_version, t.matched_tokens
            FROM stage_sentence_themes t JOIN load_documents USING (document_id)
            """).affectedRows
        return (sentences, themeHits)
    }

    /// Under `--mirror`: the documents no file of this run holds (deleted, or replaced by new content) leave
    /// the warehouse for `retired_documents`, with their path history; the paths that no longer hold their
    /// content are marked gone; the line counts forget the documents' lines; copies linked to them are decided
    /// again. Runs before the batches, in its own transaction; running it again retires nothing more.
    private func retireMissing(_ request: LoadRequest, _ connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            DROP TABLE IF EXISTS seen_contents, retiring, new_documents, replaced_documents, changed_documents, touched_lines;
            CREATE TEMP TABLE seen_contents AS SELECT DISTINCT decode(content_sha256, 'hex') AS content_sha256 FROM stage_seen_files;
            CREATE UNIQUE INDEX ON seen_contents (content_sha256);
            ANALYZE seen_contents;
            CREATE TEMP TABLE retiring AS
            SELECT d.document_id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM seen_contents s WHERE s.content_sha256 = d.content_sha256);
            CREATE TEMP TABLE new_documents (document_id bigint PRIMARY KEY);
            CREATE TEMP TABLE replaced_documents (document_id bigint PRIMARY KEY);
            CREATE TEMP TABLE changed_documents (document_id bigint PRIMARY KEY);
            """)
        try connection.query("""
            UPDATE document_paths p SET gone_run_id = $1
            FROM documents d
            WHERE p.document_id = d.document_id AND p.gone_run_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM stage_seen_files f
                              WHERE f.source_path = p.source_path AND decode(f.content_sha256, 'hex') = d.content_sha256)
            """, [request.runID])
        let retiring = try connection.query("SELECT count(*) FROM retiring")[0].decode(0, as: Int.self)
        guard retiring > 0 else {
            try connection.execute("DROP TABLE IF EXISTS seen_contents, retiring")
            return 0
        }
        try connection.execute("""
            CREATE TEMP TABLE touched_lines AS
            SELECT DISTINCT line_hash FROM removed_lines WHERE document_id IN (SELECT document_id FROM retiring);
            UPDATE line_counts c SET documents = c.documents - gone.documents
            FROM (SELECT e.line_hash, d.source_name, count(*)::int AS documents
                  FROM document_edge_lines e JOIN documents d USING (document_id)
                  WHERE d.document_id IN (SELECT document_id FROM retiring)
                  GROUP BY e.line_hash, d.source_name) gone
            WHERE c.line_hash = gone.line_hash AND c.source_name = gone.source_name;
            DELETE FROM line_counts WHERE documents <= 0;
            """)
        _ = try linkCopies(request, connection, affected: """
            SELECT document_id FROM documents
            WHERE duplicate_of IN (SELECT document_id FROM retiring) AND document_id NOT IN (SELECT document_id FROM retiring)
            """, leaving: "retiring")
        _ = try insertSentences(connection)
        try connection.query("""
            INSERT INTO retired_documents AS r (document_id, content_sha256, source_path, source_name, encoding, byte_size, file_modified_at,
                published_on, title, raw_text, paths, first_run_id, loaded_at, retired_run_id)
            SELECT d.document_id, d.content_sha256, d.source_path, d.source_name, d.encoding, d.byte_size, d.file_modified_at,
                d.published_on, d.title, d.raw_text,
                coalesce((SELECT jsonb_agg(jsonb_build_object('source_path', p.source_path, 'first_run_id', p.first_run_id,
                                                              'last_run_id', p.last_run_id, 'first_seen_at', p.first_seen_at,
                                                              'last_seen_at', p.last_seen_at) ORDER BY p.first_seen_at, p.source_path)
                          FROM document_paths p WHERE p.document_id = d.document_id), '[]'::jsonb),
                d.first_run_id, d.loaded_at, $1
            FROM documents d JOIN retiring USING (document_id)
            ON CONFLICT (document_id) DO UPDATE SET source_path = EXCLUDED.source_path, source_name = EXCLUDED.source_name,
                paths = EXCLUDED.paths, title = EXCLUDED.title, published_on = EXCLUDED.published_on,
                retired_run_id = EXCLUDED.retired_run_id, retired_at = now()
            """, [request.runID])
        try connection.execute("DELETE FROM documents WHERE document_id IN (SELECT document_id FROM retiring)")
        try recountBoilerplateLines("SELECT line_hash FROM touched_lines", seenBy: nil, connection)
        try connection.query("UPDATE runs SET documents_retired = documents_retired + $2 WHERE run_id = $1", [request.runID, retiring])
        try connection.execute("""
            DROP TABLE IF EXISTS seen_contents, retiring, new_documents, replaced_documents, changed_documents, touched_lines,
                copy_decisions, affected, load_documents
            """)
        logger.info("documents retired: no input file holds them any more", metadata: ["load.documents_retired": "\(retiring)"])
        return retiring
    }

    /// Sets how many documents and sources each boilerplate line of `lines` (a query giving `line_hash`) was
    /// removed from, down to 0 when no document has it any more; with `runID`, the lines are also marked as seen
    /// by that run.
    private func recountBoilerplateLines(_ lines: String, seenBy runID: String?, _ connection: PostgresConnection) throws {
        try connection.query("""
            WITH lines AS (\(lines)),
            counts AS (
                SELECT l.line_hash, count(DISTINCT r.document_id)::int AS documents, count(DISTINCT d.source_name)::int AS sources
                FROM lines l LEFT JOIN removed_lines r USING (line_hash) LEFT JOIN documents d USING (document_id)
                GROUP BY l.line_hash)
            UPDATE boilerplate_lines b SET
                documents_seen = counts.documents, sources_seen = counts.sources,
                first_run_id = coalesce(b.first_run_id, $1::text), last_run_id = coalesce($1::text, b.last_run_id)
            FROM counts
            WHERE b.line_hash = counts.line_hash
            """, [runID])
    }

    /// What belongs to the run as a whole: the paths seen, the quarantine, the ledger's totals.
    private func finish(_ request: LoadRequest, _ connection: PostgresConnection, _ summary: inout LoadSummary) throws {
        // Which content each path held: every file seen (new, already known, or a copy) that is in the warehouse.
        // The documents whose set of current paths may have changed are kept: those given a new path now, and those
        // with a path marked gone, by this run or before it (the main query sees the table as it was before the
        // upsert, so a gone path seen again counts too). A re-run over unchanged input changes no document's path.
        try connection.execute("DROP TABLE IF EXISTS path_changes; CREATE TEMP TABLE path_changes (document_id bigint)")
        try connection.query("""
            WITH stamped AS (
                INSERT INTO document_paths AS p (source_path, document_id, source_name, first_run_id, last_run_id, first_seen_at, last_seen_at)
                SELECT DISTINCT ON (f.source_path, d.document_id) f.source_path, d.document_id, f.source_name, $1, $1,
                    clock_timestamp(), clock_timestamp()
                FROM stage_seen_files f JOIN documents d ON d.content_sha256 = decode(f.content_sha256, 'hex')
                ON CONFLICT (source_path, document_id) DO UPDATE SET last_run_id = EXCLUDED.last_run_id, last_seen_at = EXCLUDED.last_seen_at,
                    gone_run_id = NULL
                RETURNING p.document_id, (p.xmax = 0) AS inserted)
            INSERT INTO path_changes
            SELECT document_id FROM stamped WHERE inserted
            UNION
            SELECT document_id FROM document_paths WHERE gone_run_id IS NOT NULL
            """, [request.runID])
        // A document's path is the first (in byte order) of the paths holding it now, whichever arrived first.
        try connection.query("""
            UPDATE documents d SET source_path = c.source_path, source_name = c.source_name
            FROM (SELECT DISTINCT ON (p.document_id) p.document_id, p.source_path, p.source_name
                  FROM document_paths p
                  WHERE p.gone_run_id IS NULL AND p.document_id IN (SELECT document_id FROM path_changes)
                  ORDER BY p.document_id, p.source_path COLLATE "C") c
            WHERE d.document_id = c.document_id AND (d.source_path, d.source_name) IS DISTINCT FROM (c.source_path, c.source_name)
            """)
        try connection.execute("DROP TABLE path_changes")

        for row in try connection.query("""
            INSERT INTO quarantine AS q (source_path, content_sha256, byte_size, stage, reason, first_run_id, last_run_id)
            SELECT DISTINCT ON (source_path, content_sha256, stage, reason)
                source_path, decode(content_sha256, 'hex'), byte_size, stage, reason, $1, $1
            FROM stage_quarantine
            ON CONFLICT (source_path, content_sha256, stage, reason) DO UPDATE SET
                last_run_id = EXCLUDED.last_run_id, last_seen_at = now(),
                times_seen = q.times_seen + CASE WHEN q.last_run_id = EXCLUDED.last_run_id THEN 0 ELSE 1 END
            RETURNING (xmax = 0) AS inserted
            """, [request.runID]) {
            if try row.decode("inserted", as: Bool.self) { summary.quarantinedNew += 1 } else { summary.quarantinedAgain += 1 }
        }

        let byRule = try JSONEncoder().encode(summary.linesRemovedByRule)
        try connection.query("""
            UPDATE runs SET status = 'succeeded', finished_at = greatest(clock_timestamp(), started_at), error = NULL,
                documents_new = $2, documents_existing = $3, sentences = $4, theme_hits = $5, lines_removed = $6,
                quarantined = $7, documents_replaced = $8, documents_duplicate = $9, rejected = $10, lines_removed_by_rule = $11::jsonb
            WHERE run_id = $1
            """, [request.runID, summary.documentsNew, summary.documentsExisting, summary.sentences, summary.themeHits,
                  summary.linesRemoved, summary.quarantinedNew + summary.quarantinedAgain, summary.documentsReplaced,
                  summary.duplicates, summary.rejected, String(decoding: byRule, as: UTF8.self)])
    }
}

/// The warehouse's run lock: a session-level advisory lock a run holds for its lifetime, so two runs never
/// overlap. The session's `application_name` names the run, so a second run can say who holds the lock.
public enum WarehouseLock {
    static let key = PostgresConnection.advisoryLockKey("bayan.load")

    /// How long a run resumed after a crash waits for the server to end the session of its dead process.
    static let ownSessionWait = 60.0

    /// Takes the lock (again: it is counted per session) or throws ``LoadError/locked(holder:)``.
    ///
    /// When the holder is this same run, it is the session of a process of the run that died (a kill -9 in
    /// the middle of a statement): the server ends that session once the statement ends, or sooner as it
    /// checks every second whether its client is still there, so the lock is waited for a while.
    public static func acquire(on connection: PostgresConnection, runID: String) throws {
        let name = "bayan run " + runID
        try connection.query("SELECT set_config('application_name', $1, false)", [name])
        // A server session whose client died ends within a second, even in the middle of a long statement.
        _ = try? connection.query("SELECT set_config('client_connection_check_interval', '1000', false)")
        // The run's own housekeeping ("table ... does not exist, skipping" for each batch's temporary tables) is
        // not news for the log; warnings and errors still are.
        try connection.query("SELECT set_config('client_min_messages', 'warning', false)")
        guard try connection.tryAdvisoryLock(key) else {
            let holder = try? connection.query("""
                SELECT a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND a.pid <> pg_backend_pid()
                LIMIT 1
                """, [Int64(UInt32(truncatingIfNeeded: key >> 32)), Int64(UInt32(truncatingIfNeeded: key))])
            let holderName = try? holder?.first?.decode(0, as: String.self)
            if holderName == name, try connection.advisoryLock(key, waitingAtMost: ownSessionWait) { return }
            throw LoadError.locked(holder: holderName.map { $0.isEmpty ? nil : $0 } ?? nil)
        }
    }

    /// Gives one hold of the lock back (the session keeps it while it holds it more than once).
    public static func release(on connection: PostgresConnection) {
        guard connection.isOpen else { return }
        _ = try? connection.advisoryUnlock(key)
    }
}
