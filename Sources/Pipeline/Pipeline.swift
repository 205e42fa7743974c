public import Extract
public import Foundation
public import Load
public import Logging
import Postgres
import RunArtifacts
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

    public var seconds: Double { (finishedAt ?? Date()).timeIntervalSince(startedAt) }
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

    /// Runs every stage. The report is written to `run.json` in the run directory whatever happens.
    ///
    /// - Throws: the first stage error; the report on disk then says which stage failed and why.
    public func run(_ request: RunRequest) throws -> RunReport {
        let stages = Set(request.stages)
        var report: RunReport
        let runDirectory: URL
        if stages.contains(.extract) {
            guard request.continueRunDirectory == nil else { throw StageError.extractNeedsNewRun }
            let startedAt = Date()
            let runID = Self.newRunID(at: startedAt)
            runDirectory = request.runsDirectory.appendingPathComponent(runID)
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
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
            report.status = "running"
            report.error = nil
        }
        var logger = logger
        logger[metadataKey: "run.id"] = "\(report.runID)"
        let runID = report.runID
        do {
            // Configuration and database first: a bad config or an unreachable warehouse fails before any work.
            let configuration = try TransformConfiguration.load(from: request.configDirectory)
            report.configHash = configuration.hash
            let connection = try request.database.connect(home: request.home, migrate: request.migrate, logger: logger)
            defer { connection.close() }
            var done = report.stagesDone ?? []

            if stages.contains(.extract) {
                let options = request.extractOptions
                var known = Set<ContentHash>()
                if !options.fullRefresh {
                    try connection.copyOutRows("COPY (SELECT encode(content_sha256, 'hex') FROM documents) TO STDOUT") { fields in
                        if let hash = fields.first ?? nil { known.insert(ContentHash(hex: hash)) }
                    }
                }
                logger.info("extract started", metadata: ["extract.inputs": "\(request.inputs.map(\.path))", "extract.known": "\(known.count)"])
                report.extract = try Extractor(logger: logger).run(ExtractRequest(
                    inputs: request.inputs, listedFiles: options.listedFiles, listRoot: options.listRoot, runDirectory: runDirectory,
                    maxFileSize: options.maxFileSize, forcedEncoding: options.forcedEncoding, sourceRule: options.sourceRule,
                    knownHashes: known))
                done = [.extract]
                report.stagesDone = done
                try write(report, to: runDirectory)
            }

            if stages.contains(.transform) {
                report.transform = try Transformer(configuration: configuration, logger: logger,
                                                   priorLines: try Self.lineStatistics(connection)).run(runDirectory: runDirectory)
                report.load = nil  // a new transform output has not been loaded yet
                done = done.filter { $0 < .transform } + [.transform]
                report.stagesDone = done
                try write(report, to: runDirectory)
            }

            if stages.contains(.load) {
                let extract = report.extract ?? ExtractSummary()
                report.load = try WarehouseLoader(logger: logger).load(LoadRequest(
                    runID: runID, runDirectory: runDirectory, startedAt: report.startedAt, stages: request.stages.sorted().map(\.rawValue),
                    arguments: request.arguments, configHash: configuration.hash, filesSeen: extract.filesSeen,
                    filesDuplicate: extract.duplicateFiles, filesKnown: extract.alreadyLoaded,
                    nearDuplicateThreshold: configuration.nearDuplicateThreshold), into: connection, dryRun: request.dryRun)
                if !request.dryRun {
                    done = done.filter { $0 < .load } + [.load]
                    report.stagesDone = done
                }
            }
            report.status = request.dryRun ? "dry run" : "succeeded"
            report.finishedAt = Date()
            try write(report, to: runDirectory)
            return report
        } catch {
            report.status = "failed"
            report.error = "\(error)"
            report.finishedAt = Date()
            try? write(report, to: runDirectory)
            throw error
        }
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
        try connection.copyOutRows("COPY (SELECT encode(line_hash, 'hex'), source_name, documents FROM line_counts WHERE documents >= 2) TO STDOUT") { fields in
            guard fields.count == 3, let hash = fields[0], let source = fields[1], let count = fields[2].flatMap({ Int($0) }) else { return }
            statistics.add(lineHash: hash, source: source, count: count)
        }
        try connection.copyOutRows("COPY (SELECT source_name, count(*) FROM documents GROUP BY source_name) TO STDOUT") { fields in
            guard fields.count == 2, let source = fields[0], let count = fields[1].flatMap({ Int($0) }) else { return }
            statistics.addDocuments(source: source, count: count)
        }
        return statistics
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
