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

/// What `bayan run` is asked to do.
public struct RunRequest: Sendable {
    public var inputs: [URL]
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
        let startedAt = Date()
        let runID = Self.newRunID(at: startedAt)
        let runDirectory = request.runsDirectory.appendingPathComponent(runID)
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        var logger = logger
        logger[metadataKey: "run.id"] = "\(runID)"
        var report = RunReport(runID: runID, runDirectory: runDirectory.path, startedAt: startedAt, status: "running")
        do {
            // Configuration and database first: a bad config or an unreachable warehouse fails before any work.
            let configuration = try TransformConfiguration.load(from: request.configDirectory)
            report.configHash = configuration.hash
            let connection = try request.database.connect(home: request.home, migrate: request.migrate, logger: logger)
            defer { connection.close() }

            let options = request.extractOptions
            var known = Set<ContentHash>()
            if !options.fullRefresh {
                try connection.copyOutRows("COPY (SELECT encode(content_sha256, 'hex') FROM documents) TO STDOUT") { fields in
                    if let hash = fields.first ?? nil { known.insert(ContentHash(hex: hash)) }
                }
            }
            logger.info("extract started", metadata: ["extract.inputs": "\(request.inputs.map(\.path))", "extract.known": "\(known.count)"])
            let extract = try Extractor(logger: logger).run(ExtractRequest(
                inputs: request.inputs, listedFiles: options.listedFiles, listRoot: options.listRoot, runDirectory: runDirectory,
                maxFileSize: options.maxFileSize, forcedEncoding: options.forcedEncoding, sourceRule: options.sourceRule,
                knownHashes: known))
            report.extract = extract
            try write(report, to: runDirectory)

            let transform = try Transformer(configuration: configuration, logger: logger,
                                            priorLines: try Self.lineStatistics(connection)).run(runDirectory: runDirectory)
            report.transform = transform
            try write(report, to: runDirectory)

            let load = try WarehouseLoader(logger: logger).load(LoadRequest(
                runID: runID, runDirectory: runDirectory, startedAt: startedAt, stages: ["extract", "transform", "load"],
                arguments: request.arguments, configHash: configuration.hash, filesSeen: extract.filesSeen,
                filesDuplicate: extract.duplicateFiles, filesKnown: extract.alreadyLoaded,
                nearDuplicateThreshold: configuration.nearDuplicateThreshold), into: connection)
            report.load = load
            report.status = "succeeded"
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
