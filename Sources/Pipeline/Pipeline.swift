public import Extract
public import Foundation
public import Load
public import Logging
public import Operations
public import Postgres
public import RunArtifacts
public import Transform

/// How extract reads its input (the `bayan run` flags about files).
public struct ExtractOptions: Sendable {
    /// Paths listed with `--files-from`, and the root they are taken relative to.
    public var listedFiles: [String] = []
    public var listRoot: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    public var maxFileSize: Int = ExtractRequest.defaultMaxFileSize
    public var forcedEncoding: TextEncoding?
    public var sourceRule: SourceRule = .firstFolder
    /// Read files whose content is already in the warehouse again instead of skipping them.
    public var fullRefresh = false
    /// The input folders are the whole input: documents no file holds any more leave the warehouse (`--mirror`).
    public var mirror = false

    public init() {}
}

/// A stage of the pipeline, in order.
public enum Stage: String, CaseIterable, Sendable, Comparable, Codable {
    case extract, transform, load

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Why stages cannot run as asked.
public enum StageError: Error, CustomStringConvertible {
    case extractNeedsNewRun
    case noRunToContinue(runsDirectory: String, needs: Stage)
    case missingStage(runDirectory: String, needs: Stage, forStage: Stage)
    case unreadableReport(path: String, reason: String)

    public var description: String {
        switch self {
        case .extractNeedsNewRun:
            "extract starts a new run; --run-id and --run-dir pick an earlier run for transform or load"
        case .noRunToContinue(let runs, let needs):
            "no run in \(runs) has a complete \(needs.rawValue) stage: run 'bayan \(needs.rawValue)' first"
        case .missingStage(let directory, let needs, let stage):
            "\(stage.rawValue) needs the \(needs.rawValue) output of \(directory), which is missing or incomplete: run 'bayan \(needs.rawValue)' first"
        case .unreadableReport(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}

/// What `bayan run` is asked to do.
public struct RunRequest: Sendable {
    public var inputs: [URL]
    /// The stages to run (in pipeline order, whatever the order given).
    public var stages: [Stage] = Stage.allCases
    /// An earlier run's directory to continue (transform or load only); nil picks the most recent run whose
    /// earlier stages are complete.
    public var continueRunDirectory: URL?
    /// Go through every stage but roll the load back: report what it would change, write nothing to the warehouse.
    public var dryRun = false
    public var extractOptions = ExtractOptions()
    public var runsDirectory: URL
    public var configDirectory: URL
    public var database: WarehouseDatabase
    public var home: BayanHome
    /// Apply pending migrations to a configured database (the embedded one is always migrated).
    public var migrate: Bool
    /// The command line, recorded in the ledger (passwords redacted by the caller).
    public var arguments: [String]
    /// Continue the most recent run that did not finish (or the one `continueRunDirectory` names): its stages
    /// not done yet, and of the load only the batches not committed yet. Without an unfinished run, a new run.
    public var resume = false
    /// Documents per load batch (each commits on its own).
    public var batchSize = WarehouseLoader.defaultBatchSize
    /// How often and how patiently to reconnect when the database is unreachable or the connection drops.
    public var retry = RetryPolicy()
    /// Threads for extract and transform (default: one per core); the output does not depend on it.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Told how far extract and transform have got, a few times a second (a progress line at a terminal).
    public var progress: ProgressHandler?

    public init(inputs: [URL], runsDirectory: URL, configDirectory: URL, database: WarehouseDatabase, home: BayanHome,
                migrate: Bool, arguments: [String]) {
        self.inputs = inputs
        self.runsDirectory = runsDirectory
        self.configDirectory = configDirectory
        self.database = database
        self.home = home
        self.migrate = migrate
        self.arguments = arguments
    }
}

/// What a run did, stage by stage.
public struct RunReport: Sendable, Codable {
    public var runID: String
    public var runDirectory: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var configHash: String?
    public var extract: ExtractSummary?
    public var transform: TransformSummary?
    public var load: LoadSummary?
    public var error: String?
    /// Stages completed in this run directory so far, in order.
    public var stagesDone: [Stage]? = nil
    /// Each stage's times, status and error, as in the ledger's `run_stages`.
    public var stages: [StageRecord]? = nil
    /// The command line of the latest invocation on this run (passwords redacted).
    public var arguments: [String]? = nil
    /// Whether the run's extract read the whole input (`--mirror`), so the load retires what it did not see.
    public var mirror: Bool? = nil

    public var seconds: Double { (finishedAt ?? Date()).timeIntervalSince(startedAt) }
}

/// One stage's entry in `run.json`.
public struct StageRecord: Sendable, Codable, Equatable {
    public var stage: Stage
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var error: String?

    public var seconds: Double? { finishedAt.map { $0.timeIntervalSince(startedAt) } }
}

/// A stage failed: the error, with the stage it happened in.
public struct StageFailure: Error, CustomStringConvertible {
    public var stage: Stage
    public var error: any Error

    public var description: String { "\(stage.rawValue) stage failed: \(error)" }
}

/// The database stayed unreachable through every retry.
public struct DatabaseUnavailableError: Error, CustomStringConvertible {
    public var stage: String
    public var attempts: Int
    public var cause: PostgresError

    public var description: String {
        let reason = cause.message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return "\(stage): the database is unreachable after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
    }
}

/// Runs extract, transform and load over a new run directory and records the run.
public struct Pipeline {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// A new run id: UTC start time plus a random suffix, sortable and unique.
    public static func newRunID(at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date) + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }

    /// Runs the stages asked for. The report is written to `run.json` in the run directory whatever happens,
    /// and the ledger (`runs`, `run_stages`) in the warehouse follows each stage (not in a dry run).
    ///
    /// - Throws: the first stage error; the report on disk then says which stage failed and why.
    ///   ``InterruptedError`` when SIGINT or SIGTERM stopped it (the batch in flight rolled back);
    ///   ``DatabaseUnavailableError`` when the database stayed unreachable through the retries.
    public func run(_ request: RunRequest) throws -> RunReport {
        var stages = Set(request.stages)
        var report: RunReport
        let runDirectory: URL
        var resuming = false
        // --full-refresh without extract: the whole warehouse is transformed again from its documents' text.
        let relabelWarehouse = request.extractOptions.fullRefresh && !stages.contains(.extract) && stages.contains(.transform)
            && request.continueRunDirectory == nil && !request.resume
        if relabelWarehouse {
            let startedAt = Date()
            let runID = Self.newRunID(at: startedAt)
            runDirectory = request.runsDirectory.appendingPathComponent(runID)
            try Self.createPrivateDirectory(runDirectory)
            report = RunReport(runID: runID, runDirectory: runDirectory.path, startedAt: startedAt, status: "running")
            stages.insert(.extract)
        } else if request.resume, let unfinished = try Self.unfinishedRun(request) {
            // Continue where the unfinished run stopped: its stages not done yet (extract again from the start,
            // its files are written whole or not at all), and of the load the batches not committed yet.
            runDirectory = unfinished
            report = try Self.readReport(runDirectory)
            let done = Set(report.stagesDone ?? [])
            stages = stages.filter { !done.contains($0) || $0 == .load && report.status != "succeeded" }
            if stages.isEmpty { stages = [.load] }
            if stages.contains(.extract) { report.stagesDone = []; stages.formUnion([.transform, .load]) }
            resuming = true
            logger.notice("resuming run", metadata: ["run.id": "\(report.runID)", "run.stages": "\(stages.sorted().map(\.rawValue))"])
        } else if stages.contains(.extract) {
            guard request.continueRunDirectory == nil else { throw StageError.extractNeedsNewRun }
            if request.resume { logger.info("no unfinished run to resume: starting a new run") }
            let startedAt = Date()
            let runID = Self.newRunID(at: startedAt)
            runDirectory = request.runsDirectory.appendingPathComponent(runID)
            try Self.createPrivateDirectory(runDirectory)
            report = RunReport(runID: runID, runDirectory: runDirectory.path, startedAt: startedAt, status: "running")
        } else {
            let first = stages.min()!
            let needs = Stage.allCases[Stage.allCases.firstIndex(of: first)! - 1]
            runDirectory = try request.continueRunDirectory ?? Self.latestRun(in: request.runsDirectory, completing: needs)
            report = try Self.readReport(runDirectory)
            guard report.stagesDone?.contains(needs) == true else {
                throw StageError.missingStage(runDirectory: runDirectory.path, needs: needs, forStage: first)
            }
            if stages.contains(.load) && !stages.contains(.transform) && report.stagesDone?.contains(.transform) != true {
                throw StageError.missingStage(runDirectory: runDirectory.path, needs: .transform, forStage: .load)
            }
        }
        report.status = "running"
        report.error = nil
        report.finishedAt = nil
        report.arguments = request.arguments
        var logger = logger
        logger[metadataKey: "run.id"] = "\(report.runID)"
        let runID = report.runID
        let ledger = RunLedger(runID: runID)
        let recordLedger = !request.dryRun
        var connection: PostgresConnection?
        var currentStage: Stage?
        defer { Interruption.onRequest(nil); connection?.close() }

        /// Connects (retrying while the database is unreachable), takes the run lock, and lets a stop request
        /// cancel the statement in flight.
        func connect(for stage: String) throws -> PostgresConnection {
            let opened = try withRetries(request.retry, stage: stage, logger: logger) {
                try request.database.connect(home: request.home, migrate: request.migrate, logger: logger)
            }
            do {
                try WarehouseLock.acquire(on: opened, runID: runID)
            } catch {
                opened.close()
                throw error
            }
            let canceller = opened.makeCanceller()
            Interruption.onRequest { canceller?.cancel() }
            return opened
        }

        func writeStage(_ stage: Stage, status: String, error: String?) {
            var records = report.stages ?? []
            if let index = records.lastIndex(where: { $0.stage == stage }) {
                records[index].status = status
                records[index].error = error
                records[index].finishedAt = status == "running" ? nil : Date()
                if status == "running" { records[index].startedAt = Date() }
            } else {
                records.append(StageRecord(stage: stage, startedAt: Date(), status: status, error: error))
            }
            report.stages = records.sorted { $0.stage < $1.stage }
        }

        func begin(_ stage: Stage) throws {
            try Interruption.check()
            currentStage = stage
            writeStage(stage, status: "running", error: nil)
            try write(report, to: runDirectory)
            if recordLedger, let connection { try ledger.stageStarted(stage.rawValue, on: connection) }
            logger.info("\(stage.rawValue) started")
        }

        func end(_ stage: Stage, counts: any Encodable) throws {
            writeStage(stage, status: "succeeded", error: nil)
            currentStage = nil
            try write(report, to: runDirectory)
            if recordLedger, let connection { try ledger.stageFinished(stage.rawValue, status: "succeeded", counts: counts, on: connection) }
        }

        do {
            // Configuration and database first: a bad config or an unreachable warehouse fails before any work.
            currentStage = stages.min()  // a failure before the first stage begins is that stage's
            let configuration = try TransformConfiguration.load(from: request.configDirectory)
            report.configHash = configuration.hash
            connection = try connect(for: (stages.min() ?? .extract).rawValue)
            if recordLedger {
                try ledger.begin(on: connection!, startedAt: report.startedAt, stages: stages.sorted().map(\.rawValue),
                                 arguments: request.arguments, configHash: configuration.hash)
            }
            var done = report.stagesDone ?? []

            if stages.contains(.extract) {
                try begin(.extract)
                let options = request.extractOptions
                var known = Set<ContentHash>()
                if !options.fullRefresh && !relabelWarehouse {
                    try connection!.copyOutRows("COPY (SELECT encode(content_sha256, 'hex') FROM documents) TO STDOUT") { fields in
                        if let hash = fields.first ?? nil { known.insert(ContentHash(hex: hash)) }
                    }
                }
                if relabelWarehouse {
                    logger.info("extract from the warehouse: every document's text, to transform again")
                    report.extract = try WarehouseDocuments.extract(from: connection!, into: runDirectory)
                } else {
                    logger.info("extract started", metadata: ["extract.inputs": "\(request.inputs.map(\.path))", "extract.known": "\(known.count)"])
                    var extractRequest = ExtractRequest(
                        inputs: request.inputs, listedFiles: options.listedFiles, listRoot: options.listRoot, runDirectory: runDirectory,
                        maxFileSize: options.maxFileSize, forcedEncoding: options.forcedEncoding, sourceRule: options.sourceRule,
                        knownHashes: known, progress: request.progress)
                    extractRequest.jobs = request.jobs
                    report.extract = try Extractor(logger: logger).run(extractRequest)
                }
                report.mirror = options.mirror && !relabelWarehouse ? true : nil
                done = [.extract]
                report.stagesDone = done
                try end(.extract, counts: report.extract!)
            }

            if stages.contains(.transform) {
                try begin(.transform)
                let warehouse = connection!
                let mirror = report.mirror == true
                defer { if mirror { _ = try? warehouse.execute("DROP TABLE IF EXISTS mirror_retiring") } }
                // Earlier runs' line counts matter only for documents to transform, or for the lines the documents
                // leaving under --mirror take with them; a re-run over unchanged input has neither.
                let extracted = runDirectory.appendingPathComponent(RunFile.extractedDocuments.relativePath)
                let nothingToTransform = !mirror && (try? FileManager.default.attributesOfItem(atPath: extracted.path)[.size] as? Int) == 0
                report.transform = try Transformer(configuration: configuration, logger: logger,
                                                   priorLines: nothingToTransform ? LineStatistics() : try Self.lineStatistics(warehouse),
                                                   departedLines: mirror ? try Self.retiringStatistics(warehouse, runDirectory: runDirectory) : LineStatistics())
                    .run(runDirectory: runDirectory, inputCounted: relabelWarehouse, progress: request.progress, jobs: request.jobs) { flips, documents in
                        try Self.relearnDocuments(flips: flips, excluding: documents, connection: warehouse, runDirectory: runDirectory, logger: logger)
                    }
                report.load = nil  // a new transform output has not been loaded yet
                done = done.filter { $0 < .transform } + [.transform]
                report.stagesDone = done
                try end(.transform, counts: report.transform!)
            }

            if stages.contains(.load) {
                try begin(.load)
                let extract = report.extract ?? ExtractSummary()
                var load = LoadRequest(
                    runID: runID, runDirectory: runDirectory, startedAt: report.startedAt, stages: stages.sorted().map(\.rawValue),
                    arguments: request.arguments, configHash: configuration.hash, filesSeen: extract.filesSeen,
                    filesDuplicate: extract.duplicateFiles, filesKnown: extract.alreadyLoaded,
                    nearDuplicateThreshold: configuration.nearDuplicateThreshold)
                load.batchSize = request.batchSize
                load.resume = resuming || request.resume
                load.mirror = report.mirror == true
                // A dropped connection mid-load: reconnect and resume with the first batch not committed.
                var attempt = 1
                while true {
                    do {
                        report.load = try WarehouseLoader(logger: logger).load(load, into: connection!, dryRun: request.dryRun)
                        break
                    } catch let caught where Self.connectionLoss(in: caught) != nil && attempt < request.retry.attempts && !request.dryRun {
                        let error = Self.connectionLoss(in: caught)!
                        let delay = request.retry.delay(afterAttempt: attempt) ?? 0
                        logger.warning("connection lost during load; reconnecting", metadata: [
                            "db.error": "\(error.message)", "retry.attempt": "\(attempt)", "retry.delay_s": "\(delay)"])
                        connection?.close()
                        connection = nil
                        try Self.sleep(seconds: delay)
                        connection = try connect(for: "load")
                        load.resume = true
                        attempt += 1
                    } catch let caught where Self.connectionLoss(in: caught) != nil {
                        throw DatabaseUnavailableError(stage: "load", attempts: attempt, cause: Self.connectionLoss(in: caught)!)
                    }
                }
                if !request.dryRun {
                    done = done.filter { $0 < .load } + [.load]
                    report.stagesDone = done
                }
                try end(.load, counts: report.load!)
            }
            report.status = request.dryRun ? "dry run" : "succeeded"
            report.finishedAt = Date()
            try write(report, to: runDirectory)
            if recordLedger, let connection {
                try ledger.finish(status: "succeeded", error: nil, filesSeen: report.extract?.filesSeen, filesDuplicate: report.extract?.duplicateFiles,
                                  filesKnown: report.extract?.alreadyLoaded,
                                  quarantined: (report.extract?.quarantined ?? 0) + (report.transform?.quarantined ?? 0), on: connection)
            }
            return report
        } catch {
            var failure: any Error = error
            if let interrupted = Interruption.signal.map(InterruptedError.init(signal:)),
               error is InterruptedError || (error as? PostgresError)?.sqlState == .queryCanceled
                || ((error as? LoadError).map { if case .copyFailed(_, let cause) = $0 { cause.sqlState == .queryCanceled } else { false } } ?? false) {
                failure = interrupted
            } else if let lost = Self.connectionLoss(in: error) {
                failure = DatabaseUnavailableError(stage: (currentStage ?? .extract).rawValue, attempts: 1, cause: lost)
            }
            let status = failure is InterruptedError ? "interrupted" : "failed"
            let stageName = currentStage?.rawValue
            let message = stageName.map { "\($0): \(failure)" } ?? "\(failure)"
            // The message an operator reads names the stage; a lock held or an outage keep their own types,
            // which decide the exit status.
            let keepsType: Bool = switch failure {
            case is InterruptedError, is DatabaseUnavailableError, LoadError.locked: true
            default: false
            }
            report.status = status
            report.error = message
            report.finishedAt = Date()
            if let stage = currentStage { writeStage(stage, status: status, error: "\(failure)") }
            try? write(report, to: runDirectory)
            if recordLedger, let connection, connection.isOpen {
                // A cancelled statement left no transaction open; the ledger can still be written.
                if let stageName { try? ledger.stageFinished(stageName, status: status, counts: nil, error: "\(failure)", on: connection) }
                try? ledger.finish(status: status, error: message, filesSeen: nil, filesDuplicate: nil, filesKnown: nil, quarantined: nil, on: connection)
            }
            if !keepsType, let stage = currentStage { throw StageFailure(stage: stage, error: failure) }
            throw failure
        }
    }

    /// Runs `body`, retrying on connection failures with the policy's backoff.
    func withRetries<T>(_ policy: RetryPolicy, stage: String, logger: Logger, _ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as PostgresError where error.isConnectionLoss {
                guard attempt < policy.attempts else { throw DatabaseUnavailableError(stage: stage, attempts: attempt, cause: error) }
                let delay = policy.delay(afterAttempt: attempt) ?? 0
                logger.warning("database unreachable; retrying", metadata: [
                    "db.error": "\(error.message)", "retry.attempt": "\(attempt)", "retry.delay_s": "\(delay)"])
                try Self.sleep(seconds: delay)
                attempt += 1
            }
        }
    }

    /// The lost connection behind `error`, if that is what it is (also when a rollback failed after it, or a
    /// COPY broke off because of it).
    static func connectionLoss(in error: any Error) -> PostgresError? {
        switch error {
        case let error as PostgresError: return error.isConnectionLoss ? error : nil
        case let error as PostgresTransactionError: return connectionLoss(in: error.bodyError)
        case LoadError.copyFailed(_, let cause): return cause.isConnectionLoss ? cause : nil
        default: return nil
        }
    }

    /// Sleeps, waking early to throw when a stop is requested.
    static func sleep(seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            try Interruption.check()
            Thread.sleep(forTimeInterval: min(0.1, max(0, deadline.timeIntervalSinceNow)))
        }
        try Interruption.check()
    }

    /// The run directory `--resume` continues: the one named, else the most recent whose run did not succeed.
    static func unfinishedRun(_ request: RunRequest) throws -> URL? {
        if let named = request.continueRunDirectory { return named }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: request.runsDirectory.path)) ?? []
        for name in names.sorted(by: >) {
            let directory = request.runsDirectory.appendingPathComponent(name)
            guard let report = try? readReport(directory) else { continue }
            // Only the latest run counts: an older unfinished one was superseded by a later run.
            return report.status == "succeeded" || report.status == "dry run" ? nil : directory
        }
        return nil
    }

    /// Creates a run directory readable by its owner only (it holds the articles' text).
    static func createPrivateDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The most recent run directory (run ids sort by time) whose `stage` is complete.
    static func latestRun(in runsDirectory: URL, completing stage: Stage) throws -> URL {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        for name in names.sorted(by: >) {
            let directory = runsDirectory.appendingPathComponent(name)
            if let report = try? readReport(directory), report.stagesDone?.contains(stage) == true { return directory }
        }
        throw StageError.noRunToContinue(runsDirectory: runsDirectory.path, needs: stage)
    }

    static func readReport(_ runDirectory: URL) throws -> RunReport {
        let url = runDirectory.appendingPathComponent("run.json")
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(RunReport.self, from: Data(contentsOf: url))
        } catch {
            throw StageError.unreadableReport(path: url.path, reason: error.localizedDescription)
        }
    }

    /// What earlier runs counted of head and tail lines: lines seen in at least two documents (a line seen once
    /// cannot be chrome yet), and documents per source.
    static func lineStatistics(_ connection: PostgresConnection) throws -> LineStatistics {
        var statistics = LineStatistics()
        try connection.copyOutRows("COPY (SELECT encode(line_hash, 'hex'), source_name, documents FROM line_counts WHERE documents > 0) TO STDOUT") { fields in
            guard fields.count == 3, let hash = fields[0], let source = fields[1], let count = fields[2].flatMap({ Int($0) }) else { return }
            statistics.add(lineHash: hash, source: source, count: count)
        }
        try connection.copyOutRows("COPY (SELECT source_name, count(*) FROM documents GROUP BY source_name) TO STDOUT") { fields in
            guard fields.count == 2, let source = fields[0], let count = fields[1].flatMap({ Int($0) }) else { return }
            statistics.addDocuments(source: source, count: count)
        }
        return statistics
    }

    /// Under `--mirror`: the documents no file of the run holds (they leave the warehouse at load) into the
    /// temporary table `mirror_retiring`, and the head and tail line counts they take with them.
    static func retiringStatistics(_ connection: PostgresConnection, runDirectory: URL) throws -> LineStatistics {
        try connection.execute("""
            DROP TABLE IF EXISTS mirror_seen, mirror_retiring;
            CREATE TEMP TABLE mirror_seen (source_path text, source_name text, content_sha256 text, byte_size bigint, status text);
            """)
        try connection.copyIn("COPY mirror_seen FROM STDIN") { writer in
            try RunFileReader(url: runDirectory.appendingPathComponent(RunFile.seenFiles.relativePath)).forEachChunk { try writer.writeEncoded($0) }
        }
        try connection.execute("""
            CREATE TEMP TABLE mirror_retiring AS
            SELECT d.document_id, d.source_name FROM documents d
            WHERE d.content_sha256 NOT IN (SELECT decode(content_sha256, 'hex') FROM mirror_seen);
            DROP TABLE mirror_seen;
            """)
        var statistics = LineStatistics()
        try connection.copyOutRows("""
            COPY (SELECT encode(e.line_hash, 'hex'), r.source_name, count(*) FROM document_edge_lines e JOIN mirror_retiring r USING (document_id)
                  GROUP BY 1, 2) TO STDOUT
            """) { fields in
            guard fields.count == 3, let hash = fields[0], let source = fields[1], let count = fields[2].flatMap({ Int($0) }) else { return }
            statistics.add(lineHash: hash, source: source, count: count)
        }
        try connection.copyOutRows("COPY (SELECT source_name, count(*) FROM mirror_retiring GROUP BY 1) TO STDOUT") { fields in
            guard fields.count == 2, let source = fields[0], let count = fields[1].flatMap({ Int($0) }) else { return }
            statistics.addDocuments(source: source, count: count)
        }
        return statistics
    }

    /// Writes `transform/relearned_documents.tsv`: the warehouse's documents (not in this run) holding a head
    /// or tail line whose learned-chrome decision changed for their source, and the copies linked to them (which
    /// may stop being copies). Returns nil when there are none.
    static func relearnDocuments(flips: [LineFlip], excluding runDocuments: Set<Int64>, connection: PostgresConnection,
                                 runDirectory: URL, logger: Logger) throws -> URL? {
        let url = runDirectory.appendingPathComponent(RunFile.relearnedDocuments.relativePath)
        try? FileManager.default.removeItem(at: url)
        // Under --mirror, the documents about to leave (their copies may stop being copies).
        let mirror = try connection.query("SELECT to_regclass('pg_temp.mirror_retiring') IS NOT NULL")[0].decode(0, as: Bool.self)
        let retiring = mirror ? "mirror_retiring" : "(SELECT NULL::bigint AS document_id WHERE false) AS none"
        guard !flips.isEmpty || mirror else { return nil }
        defer { _ = try? connection.execute("DROP TABLE IF EXISTS relearn_flips, relearn_run_documents, relearn_documents") }
        try connection.execute("""
            DROP TABLE IF EXISTS relearn_flips, relearn_run_documents, relearn_documents;
            CREATE TEMP TABLE relearn_flips (line_hash text, source_name text);
            CREATE TEMP TABLE relearn_run_documents (document_id bigint PRIMARY KEY);
            """)
        try connection.copyIn("COPY relearn_flips FROM STDIN") { writer in
            for flip in flips { try writer.writeRow([flip.lineHash, flip.source]) }
        }
        try connection.copyIn("COPY relearn_run_documents FROM STDIN") { writer in
            for id in runDocuments.sorted() { try writer.writeRow([String(id)]) }
        }
        let count = try connection.query("""
            CREATE TEMP TABLE relearn_documents AS
            WITH touched AS (
                SELECT DISTINCT d.document_id
                FROM relearn_flips f
                JOIN document_edge_lines e ON e.line_hash = decode(f.line_hash, 'hex')
                JOIN documents d ON d.document_id = e.document_id AND d.source_name = f.source_name
                UNION SELECT document_id FROM \(retiring))
            SELECT document_id FROM touched
            UNION SELECT d.document_id FROM documents d WHERE d.duplicate_of IN (SELECT document_id FROM touched)
            EXCEPT SELECT document_id FROM relearn_run_documents
            EXCEPT SELECT document_id FROM \(retiring)
            """).affectedRows
        logger.info("learned chrome changed", metadata: ["transform.line_flips": "\(flips.count)", "transform.relearned": "\(count)"])
        guard count > 0 else { return nil }
        _ = try WarehouseDocuments.write(from: connection, where: "d.document_id IN (SELECT document_id FROM relearn_documents)", to: url)
        return url
    }

    func write(_ report: RunReport, to runDirectory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let url = runDirectory.appendingPathComponent("run.json")
        let partial = url.appendingPathExtension("partial")
        try encoder.encode(report).write(to: partial)
        // rename(2) replaces the old summary atomically: a reader sees the old one or the new one.
        guard rename(partial.path, url.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
