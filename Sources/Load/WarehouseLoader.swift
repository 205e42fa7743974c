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
    public var quarantinedNew = 0
    public var quarantinedAgain = 0

    public init() {}

    /// Whether the load added anything at all.
    public var addedNothing: Bool {
        documentsNew == 0 && documentsReplaced == 0 && sentences == 0 && themeHits == 0 && linesRemoved == 0 && quarantinedNew == 0
    }
}

/// Why the load failed.
public enum LoadError: Error, CustomStringConvertible {
    case locked
    case missingInput(path: String)
    case copyFailed(file: String, error: PostgresError)
    case idCollision(documentIDs: [Int64])

    public var description: String {
        switch self {
        case .locked:
            return "another Bayan load is running against this database (advisory lock 'bayan.load' is held); try again when it has finished"
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

/// Streams a run directory's files into PostgreSQL with COPY and merges them into the warehouse in one
/// transaction: a reader sees all of a run's documents with their sentences and themes, or none.
///
/// Documents already in the warehouse (same content, same id) are left as they are, so loading the same run
/// twice, or a second run over the same files, adds nothing.
public struct WarehouseLoader {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    static let lockKey = PostgresConnection.advisoryLockKey("bayan.load")

    /// Staging tables: one per run file, columns in the file's order.
    static let staging: [(file: RunFile, table: String, columns: String)] = [
        (.themes, "stage_themes", "theme_code text, name_ar text, name_en text, description text, threshold float8, sort_order int, lexicon_version text"),
        (.boilerplateLines, "stage_boilerplate_lines", "line_hash text, normalized_text text, sample_text text, origin text"),
        (.documents, "stage_documents", "document_id bigint, content_sha256 text, source_path text, source_name text, encoding text, byte_size int, file_modified_at timestamptz, published_on date, published_on_origin text, title text, paragraph_count int, sentence_count int, lines_removed int, duplicate_of bigint, raw_text text, normalization_profile text, body_hash text, minhash bigint[]"),
        (.documentBands, "stage_document_bands", "document_id bigint, band_key bigint"),
        (.sentences, "stage_sentences", "document_id bigint, ordinal int, paragraph int, text text, normalized_text text, normalized_hash bigint, start_offset int, end_offset int, is_overlong bool"),
        (.edgeLines, "stage_edge_lines", "document_id bigint, line_hash text, source_name text, normalized_text text, sample_text text"),
        (.sentenceThemes, "stage_sentence_themes", "document_id bigint, ordinal int, theme_code text, score float8, matched_terms text[], lexicon_version text, matched_tokens int4range[]"),
        (.removedLines, "stage_removed_lines", "document_id bigint, line_number int, line_hash text, text text, rule text"),
        (.seenFiles, "stage_seen_files", "source_path text, source_name text, content_sha256 text, byte_size bigint, status text"),
        (.extractQuarantine, "stage_quarantine", "source_path text, content_sha256 text, byte_size bigint, stage text, reason text"),
        (.transformQuarantine, "stage_quarantine", ""),
    ]

    /// Loads the run. Records it in `runs` (running, then succeeded or failed with the error).
    /// - Parameter dryRun: do everything in a transaction that is then rolled back, and return what the load
    ///   would have inserted, replaced and linked; the warehouse (the ledger included) is left unchanged.
    public func load(_ request: LoadRequest, into connection: PostgresConnection, dryRun: Bool = false) throws -> LoadSummary {
        for entry in Self.staging {
            let url = request.runDirectory.appendingPathComponent(entry.file.relativePath)
            guard FileManager.default.fileExists(atPath: url.path) else { throw LoadError.missingInput(path: url.path) }
        }
        guard try connection.tryAdvisoryLock(Self.lockKey) else { throw LoadError.locked }
        defer { _ = try? connection.advisoryUnlock(Self.lockKey) }

        let recordRun = { (connection: PostgresConnection) throws in
            _ = try connection.query("""
                INSERT INTO runs (run_id, started_at, status, stages, arguments, config_hash, files_seen, files_duplicate, files_known)
                VALUES ($1, $2, 'running', $3::text[], $4::text[], $5, $6, $7, $8)
                ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL, error = NULL,
                    stages = EXCLUDED.stages, arguments = EXCLUDED.arguments
                """, [request.runID, request.startedAt, PostgresArrayLiteral.encode(request.stages),
                      PostgresArrayLiteral.encode(request.arguments), request.configHash, request.filesSeen, request.filesDuplicate,
                      request.filesKnown])
        }
        if dryRun {
            // Everything happens, then the transaction is rolled back: the summary says what a load would do.
            struct DryRunRollback: Error { var summary: LoadSummary }
            do {
                _ = try connection.transaction { connection -> Void in
                    try recordRun(connection)
                    throw DryRunRollback(summary: try merge(request, connection))
                }
            } catch let rollback as DryRunRollback {
                logger.info("dry run: nothing written", metadata: ["run.id": "\(request.runID)"])
                return rollback.summary
            }
            preconditionFailure("a dry run always rolls back")
        }
        try recordRun(connection)
        do {
            let summary = try connection.transaction { connection in
                try merge(request, connection)
            }
            logger.info("load committed", metadata: [
                "run.id": "\(request.runID)", "load.documents_new": "\(summary.documentsNew)",
                "load.sentences": "\(summary.sentences)", "load.theme_hits": "\(summary.themeHits)",
            ])
            return summary
        } catch {
            _ = try? connection.query(
                "UPDATE runs SET status = 'failed', finished_at = greatest(clock_timestamp(), started_at), error = $2 WHERE run_id = $1",
                [request.runID, "\(error)"])
            throw error
        }
    }

    private func merge(_ request: LoadRequest, _ connection: PostgresConnection) throws -> LoadSummary {
        var summary = LoadSummary()
        for entry in Self.staging where !entry.columns.isEmpty {
            try connection.execute("CREATE TEMP TABLE \(entry.table) (\(entry.columns)) ON COMMIT DROP")
        }
        for entry in Self.staging {
            let url = request.runDirectory.appendingPathComponent(entry.file.relativePath)
            let rows: Int
            do {
                rows = try connection.copyIn("COPY \(entry.table) FROM STDIN") { writer in
                    try RunFileReader(url: url).forEachChunk { chunk in try writer.writeEncoded(chunk) }
                }
            } catch let error as PostgresError {
                throw LoadError.copyFailed(file: url.path, error: error)
            }
            logger.debug("staged", metadata: ["copy.file": "\(entry.file.relativePath)", "copy.rows": "\(rows)"])
            if entry.file == .documents { summary.documentsStaged = rows }
        }

        let collisions = try connection.query("""
            SELECT s.document_id FROM stage_documents s JOIN documents d USING (document_id)
            WHERE d.content_sha256 <> decode(s.content_sha256, 'hex') ORDER BY 1
            """)
        if !collisions.isEmpty {
            throw LoadError.idCollision(documentIDs: try collisions.map { try $0.decode(0, as: Int64.self) })
        }

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

        try connection.execute("CREATE TEMP TABLE new_documents (document_id bigint PRIMARY KEY) ON COMMIT DROP")
        summary.documentsNew = try connection.query("""
            WITH inserted AS (
                INSERT INTO documents (document_id, content_sha256, source_path, source_name, encoding, byte_size,
                    file_modified_at, published_on, published_on_origin, title, paragraph_count, sentence_count,
                    lines_removed, duplicate_of, raw_text, normalization_profile, body_hash, minhash, transform_config_hash, first_run_id)
                SELECT document_id, decode(content_sha256, 'hex'), source_path, source_name, encoding, byte_size,
                    file_modified_at, published_on, published_on_origin, title, paragraph_count, sentence_count,
                    lines_removed, duplicate_of, raw_text, normalization_profile, decode(body_hash, 'hex'), minhash, $2, $1
                FROM stage_documents ORDER BY document_id
                ON CONFLICT (document_id) DO NOTHING
                RETURNING document_id)
            INSERT INTO new_documents SELECT document_id FROM inserted
            """, [request.runID, request.configHash]).affectedRows
        summary.documentsExisting = summary.documentsStaged - summary.documentsNew

        // A new document with the same sentences as an earlier one is a copy: link it to the earliest copy
        // (loaded first; within a run, first by path) and do not load its sentences again.
        summary.duplicates = try connection.query("""
            WITH pairs AS (
                SELECT d.document_id, (
                    SELECT e.document_id FROM documents e
                    WHERE e.body_hash = d.body_hash AND e.document_id <> d.document_id AND e.duplicate_of IS NULL
                      AND (e.loaded_at, e.source_path, e.document_id) < (d.loaded_at, d.source_path, d.document_id)
                    ORDER BY e.loaded_at, e.source_path, e.document_id LIMIT 1) AS original
                FROM new_documents n JOIN documents d USING (document_id)
                WHERE d.body_hash IS NOT NULL AND d.sentence_count > 0)
            UPDATE documents d SET duplicate_of = p.original, duplicate_similarity = 1
            FROM pairs p WHERE d.document_id = p.document_id AND p.original IS NOT NULL
            """).affectedRows
        // Near-duplicates: new documents sharing a MinHash band with an earlier one, similar enough.
        try connection.query("""
            INSERT INTO document_bands (band_key, document_id)
            SELECT DISTINCT b.band_key, b.document_id FROM stage_document_bands b JOIN new_documents USING (document_id)
            ON CONFLICT DO NOTHING
            """)
        summary.nearDuplicates = try connection.query("""
            WITH candidates AS (
                SELECT DISTINCT d.document_id, o.document_id AS other
                FROM new_documents n
                JOIN documents d USING (document_id)
                JOIN document_bands b ON b.document_id = d.document_id
                JOIN document_bands ob ON ob.band_key = b.band_key AND ob.document_id <> d.document_id
                JOIN documents o ON o.document_id = ob.document_id
                WHERE d.duplicate_of IS NULL AND o.duplicate_of IS NULL AND d.minhash IS NOT NULL AND o.minhash IS NOT NULL
                  AND (o.loaded_at, o.source_path, o.document_id) < (d.loaded_at, d.source_path, d.document_id)),
            scored AS (
                SELECT c.document_id, c.other, o.loaded_at, o.source_path,
                       (SELECT count(*) FROM unnest(d.minhash, o.minhash) AS u(x, y) WHERE x = y)::float8 / cardinality(d.minhash) AS similarity
                FROM candidates c JOIN documents d ON d.document_id = c.document_id JOIN documents o ON o.document_id = c.other),
            best AS (
                SELECT DISTINCT ON (document_id) document_id, other, similarity FROM scored
                WHERE similarity >= $1
                ORDER BY document_id, loaded_at, source_path, other)
            UPDATE documents d SET duplicate_of = best.other, duplicate_similarity = best.similarity
            FROM best WHERE d.document_id = best.document_id
            """, [request.nearDuplicateThreshold]).affectedRows
        summary.duplicates += summary.nearDuplicates

        // Documents already here but transformed again under another configuration (a lexicon edit, say):
        // their sentences, themes and removed lines are replaced in this transaction, so a reader sees the old
        // labels or the new ones, never a mix. Under the same configuration a reload changes nothing.
        try connection.query("""
            CREATE TEMP TABLE replaced_documents ON COMMIT DROP AS
            SELECT s.document_id FROM stage_documents s JOIN documents d USING (document_id)
            WHERE d.document_id NOT IN (SELECT document_id FROM new_documents)
              AND d.duplicate_of IS NULL AND d.transform_config_hash IS DISTINCT FROM $1::text
            """, [request.configHash])
        summary.documentsReplaced = try connection.query("""
            UPDATE documents d SET title = s.title, paragraph_count = s.paragraph_count, sentence_count = s.sentence_count,
                lines_removed = s.lines_removed, normalization_profile = s.normalization_profile,
                body_hash = decode(s.body_hash, 'hex'), minhash = s.minhash, transform_config_hash = $1
            FROM stage_documents s JOIN replaced_documents USING (document_id)
            WHERE d.document_id = s.document_id
            """, [request.configHash]).affectedRows
        try connection.execute("""
            DELETE FROM sentences WHERE document_id IN (SELECT document_id FROM replaced_documents);
            DELETE FROM removed_lines WHERE document_id IN (SELECT document_id FROM replaced_documents);
            """)
        try connection.execute("""
            CREATE TEMP TABLE load_documents ON COMMIT DROP AS
            SELECT n.document_id FROM new_documents n JOIN documents d USING (document_id) WHERE d.duplicate_of IS NULL
            UNION SELECT document_id FROM replaced_documents
            """)

        summary.sentences = try connection.query("""
            INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash, start_offset, end_offset, is_overlong)
            SELECT s.document_id, s.ordinal, s.paragraph, s.text, s.normalized_text, s.normalized_hash, s.start_offset, s.end_offset, s.is_overlong
            FROM stage_sentences s JOIN load_documents USING (document_id)
            ORDER BY s.document_id, s.ordinal
            """).affectedRows
        summary.themeHits = try connection.query("""
            INSERT INTO sentence_themes (document_id, ordinal, theme_code, score, matched_terms, lexicon_version, matched_tokens)
            SELECT t.document_id, t.ordinal, t.theme_code, t.score, t.matched_terms, t.lexicon_version, t.matched_tokens
            FROM stage_sentence_themes t JOIN load_documents USING (document_id)
            """).affectedRows
        summary.linesRemoved = try connection.query("""
            INSERT INTO removed_lines (document_id, line_number, line_hash, text, rule)
            SELECT r.document_id, r.line_number, decode(r.line_hash, 'hex'), r.text, r.rule
            FROM stage_removed_lines r
            WHERE r.document_id IN (SELECT document_id FROM new_documents UNION SELECT document_id FROM replaced_documents)
            """).affectedRows
        try connection.query("""
            UPDATE boilerplate_lines b SET
                documents_seen = counts.documents, sources_seen = counts.sources,
                first_run_id = coalesce(b.first_run_id, $1), last_run_id = $1
            FROM (
                SELECT r.line_hash, count(DISTINCT r.document_id)::int AS documents, count(DISTINCT d.source_name)::int AS sources
                FROM removed_lines r JOIN documents d USING (document_id)
                WHERE r.line_hash IN (SELECT decode(line_hash, 'hex') FROM stage_removed_lines s JOIN new_documents USING (document_id))
                GROUP BY r.line_hash
            ) counts
            WHERE b.line_hash = counts.line_hash
            """, [request.runID])

        // Head and tail lines of the new documents add to the counts later runs learn chrome from.
        try connection.query("""
            INSERT INTO line_counts AS c (line_hash, source_name, documents, normalized_text, sample_text, first_run_id, last_run_id)
            SELECT decode(e.line_hash, 'hex'), e.source_name, count(DISTINCT e.document_id), min(e.normalized_text), min(e.sample_text), $1, $1
            FROM stage_edge_lines e JOIN new_documents USING (document_id)
            GROUP BY e.line_hash, e.source_name
            ON CONFLICT (line_hash, source_name) DO UPDATE SET documents = c.documents + EXCLUDED.documents, last_run_id = EXCLUDED.last_run_id
            """, [request.runID])

        // Which content each path held: every file seen (new, already known, or a copy) that is in the warehouse.
        try connection.query("""
            INSERT INTO document_paths AS p (source_path, document_id, source_name, first_run_id, last_run_id, first_seen_at, last_seen_at)
            SELECT DISTINCT ON (f.source_path, d.document_id) f.source_path, d.document_id, f.source_name, $1, $1,
                clock_timestamp(), clock_timestamp()
            FROM stage_seen_files f JOIN documents d ON d.content_sha256 = decode(f.content_sha256, 'hex')
            ON CONFLICT (source_path, document_id) DO UPDATE SET last_run_id = EXCLUDED.last_run_id, last_seen_at = EXCLUDED.last_seen_at
            """, [request.runID])

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

        try connection.query("""
            UPDATE runs SET status = 'succeeded', finished_at = greatest(clock_timestamp(), started_at), error = NULL,
                documents_new = $2, documents_existing = $3, sentences = $4, theme_hits = $5, lines_removed = $6,
                quarantined = $7
            WHERE run_id = $1
            """, [request.runID, summary.documentsNew, summary.documentsExisting, summary.sentences, summary.themeHits,
                  summary.linesRemoved, summary.quarantinedNew + summary.quarantinedAgain])
        return summary
    }
}
