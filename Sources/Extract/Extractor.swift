import Dispatch
public import Foundation
public import Logging
public import RunArtifacts
import Synchronization

/// What extract is asked to read.
public struct ExtractRequest: Sendable {
    /// Folders (read recursively) and single files.
    public var inputs: [URL]
    /// Files listed one per line (`--files-from`), read relative to ``listRoot``.
    public var listedFiles: [String]
    /// The root that listed files' paths (and so their source names) are taken relative to.
    public var listRoot: URL
    /// Where `extract/*.tsv` go.
    public var runDirectory: URL
    /// Files larger than this (or inflating to more) are quarantined.
    public var maxFileSize: Int
    /// Decode every file with this encoding instead of detecting it.
    public var forcedEncoding: TextEncoding?
    public var sourceRule: SourceRule
    /// Content hashes already in the warehouse: such files are counted and skipped.
    public var knownHashes: Set<ContentHash>
    /// Files read and decoded at once; they are written in input order whatever the parallelism.
    public var batchSize: Int
    /// Told how far extract has got, a few times a second (none by default).
    public var progress: ProgressHandler?
    /// Bytes of input read and decoded at once (sizes on disk; a gzip file counts as eight times its size,
    /// at most ``maxFileSize``): a batch is written out when it reaches either limit, so a folder of large
    /// files holds a few of them in memory, not ``batchSize``. A file larger than this is a batch alone.
    public var batchBytes: Int = 128 << 20
    /// Threads reading and decoding files (default: one per core); the output does not depend on it.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    public static let defaultMaxFileSize = 32 << 20

    public init(inputs: [URL], listedFiles: [String] = [], listRoot: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                runDirectory: URL, maxFileSize: Int = defaultMaxFileSize, forcedEncoding: TextEncoding? = nil,
                sourceRule: SourceRule = .firstFolder, knownHashes: Set<ContentHash> = [], batchSize: Int = 256,
                progress: ProgressHandler? = nil) {
        self.inputs = inputs
        self.listedFiles = listedFiles
        self.listRoot = listRoot
        self.runDirectory = runDirectory
        self.maxFileSize = maxFileSize
        self.forcedEncoding = forcedEncoding
        self.sourceRule = sourceRule
        self.knownHashes = knownHashes
        self.batchSize = batchSize
        self.progress = progress
    }
}

/// What extract did.
public struct ExtractSummary: Sendable, Equatable, Codable {
    /// Files looked at (every `.txt` and `.txt.gz` found or listed, including the ones set aside).
    public var filesSeen = 0
    /// Distinct documents written for transform.
    public var documents = 0
    /// Files whose content was identical to an earlier file of the same run (loaded once, under the first path).
    public var duplicateFiles = 0
    /// Files whose content is already in the warehouse (skipped; `--full-refresh` reads them again).
    public var alreadyLoaded = 0
    /// Files and folders that could not be taken (see `extract/quarantine.tsv`).
    public var quarantined = 0
    /// Bytes read from disk.
    public var bytesRead = 0

    public init() {}
}

/// Why extract could not run at all (a bad file is quarantined instead; this is for the run as a whole).
public enum ExtractError: Error, CustomStringConvertible {
    case inputMissing(path: String, reason: String)

    public var description: String {
        switch self {
        case .inputMissing(let path, let reason): "input \(path) cannot be read: \(reason)"
        }
    }
}

/// The extract stage: finds the `.txt` and `.txt.gz` files, reads and hashes their bytes, decodes and cleans
/// them, and writes one row per distinct content for transform. Files it cannot take are quarantined with
/// the reason; none is skipped silently.
///
/// Files are visited in a stable order (inputs as given, folders sorted by name) and read in parallel in
/// batches, whose results are written in that order, so two runs over the same input write the same rows.
/// Memory holds one batch of files at a time, bounded in files (``ExtractRequest/batchSize``) and in bytes
/// (``ExtractRequest/batchBytes``).
public struct Extractor {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func run(_ request: ExtractRequest) throws -> ExtractSummary {
        let documents = try RunFileWriter<ExtractedDocument>(url: request.runDirectory.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        let quarantine = try RunFileWriter<QuarantineRecord>(url: request.runDirectory.appendingPathComponent(RunFile.extractQuarantine.relativePath))
        let seenFiles = try RunFileWriter<SeenFileRecord>(url: request.runDirectory.appendingPathComponent(RunFile.seenFiles.relativePath))
        var settings = ReadSettings(maxFileSize: request.maxFileSize, forcedEncoding: request.forcedEncoding)
        settings.knownHashes = request.knownHashes
        var summary = ExtractSummary()
        // Content seen in this run: 32 bytes a file, so a night of a million files costs 32 MB here.
        var seen = Set<ContentHash>()
        var batch: [InputFile] = []
        var progress = ProgressReporter(handler: request.progress)
        let listedOnly = request.inputs.isEmpty ? request.listedFiles.count : nil
        func event(finished: Bool) -> ProgressEvent {
            ProgressEvent(stage: "extract", unit: "files", itemsDone: summary.filesSeen, itemsTotal: listedOnly,
                          bytesDone: summary.bytesRead, finished: finished)
        }
        var batchBytes = 0
        let limit = BatchLimit(files: request.batchSize, bytes: request.batchBytes, maxFileSize: request.maxFileSize)

        func record(_ problem: InputProblem) throws {
            summary.quarantined += 1
            logger.warning("quarantined", metadata: ["file.path": "\(problem.relativePath)", "quarantine.reason": "\(problem.reason)"])
            try quarantine.write(QuarantineRecord(sourcePath: problem.relativePath, contentSHA256: nil, byteSize: nil, stage: "extract", reason: problem.reason))
        }

        func flush() throws {
            try Interruption.check()
            let outcomes = Self.readInParallel(batch, settings: settings, jobs: request.jobs)
            for (file, outcome) in zip(batch, outcomes) {
                summary.filesSeen += 1
                switch outcome {
                case .quarantined(let entry):
                    summary.quarantined += 1
                    summary.bytesRead += entry.byteSize ?? 0
                    logger.warning("quarantined", metadata: ["file.path": "\(file.path.display)", "quarantine.reason": "\(entry.reason)"])
                    try quarantine.write(entry)
                case .known(var file):
                    summary.bytesRead += file.byteSize
                    if !seen.insert(ContentHash(hex: file.contentSHA256)).inserted {
                        summary.duplicateFiles += 1
                        file.status = "duplicate"
                    } else {
                        summary.alreadyLoaded += 1
                    }
                    try seenFiles.write(file)
                case .document(let document):
                    summary.bytesRead += document.byteSize
                    let status: String
                    let key = ContentHash(hex: document.contentSHA256)
                    if !seen.insert(key).inserted {
                        summary.duplicateFiles += 1
                        status = "duplicate"
                        logger.info("same content as an earlier file of this run; loaded once", metadata: [
                            "file.path": "\(file.path.display)", "file.sha256": "\(document.contentSHA256)"])
                    } else if request.knownHashes.contains(key) {
                        summary.alreadyLoaded += 1
                        status = "known"
                    } else {
                        summary.documents += 1
                        status = "new"
                        try documents.write(document)
                    }
                    try seenFiles.write(SeenFileRecord(sourcePath: document.sourcePath, sourceName: document.sourceName,
                                                       contentSHA256: document.contentSHA256, byteSize: document.byteSize, status: status))
                }
            }
            batch.removeAll(keepingCapacity: true)
            progress.report(event(finished: false))
            batchBytes = 0
        }

        let walker = InputWalker(sourceRule: request.sourceRule)
        let visit: (InputFile) throws -> Void = { file in
            batch.append(file)
            batchBytes += limit.weight(of: file)
            if limit.isFull(files: batch.count, bytes: batchBytes) { try flush() }
        }
        try walker.walk(request.inputs, file: visit, problem: record)
        try walker.walkListed(request.listedFiles, root: request.listRoot, file: visit, problem: record)
        try flush()
        progress.report(event(finished: true))

        try documents.finish()
        try quarantine.finish()
        try seenFiles.finish()
        logger.info("extract finished", metadata: [
            "extract.files": "\(summary.filesSeen)", "extract.documents": "\(summary.documents)",
            "extract.duplicates": "\(summary.duplicateFiles)", "extract.known": "\(summary.alreadyLoaded)",
            "extract.quarantined": "\(summary.quarantined)",
        ])
        return summary
    }

    /// Reads and decodes the files on every core; the results come back in the files' order.
    static func readInParallel(_ files: [InputFile], settings: ReadSettings, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) -> [DocumentReader.Outcome] {
        let results = Mutex<[DocumentReader.Outcome?]>(Array(repeating: nil, count: files.count))
        let workers = max(1, min(jobs, files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: files.count, by: workers) {
                let outcome = DocumentReader.read(files[index], settings: settings)
                results.withLock { $0[index] = outcome }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}

/// When a batch of files to read in parallel is full.
struct BatchLimit: Equatable {
    var files: Int
    var bytes: Int
    var maxFileSize: Int

    /// The memory a file is expected to take once read: its size, or eight times it for gzip (at most the
    /// size limit, which inflation cannot pass).
    func weight(of file: InputFile) -> Int {
        weight(size: file.byteSize, isGzip: file.relativePath.lowercased().hasSuffix(".gz"))
    }

    func weight(size: Int, isGzip: Bool) -> Int {
        let size = min(max(0, size), maxFileSize)
        return isGzip ? min(size, maxFileSize / 8) * 8 : size
    }

    /// Whether a batch of `count` files weighing `weight` bytes is to be read now.
    func isFull(files count: Int, bytes weight: Int) -> Bool {
        count >= max(1, files) || weight >= bytes
    }
}

extension InputWalker {
    /// Turns listed paths (sorted, for a stable order) into input files relative to `root`; a listed folder
    /// is walked; a listed path that does not exist is quarantined.
    func walkListed(_ paths: [String], root: URL, file: (InputFile) throws -> Void, problem: (InputProblem) throws -> Void) throws {
        let rootURL = root.standardizedFileURL
        let rootComponents = rootURL.pathComponents
        let urls = paths.map { path in
            (path.hasPrefix("/") ? URL(fileURLWithPath: path) : rootURL.appendingPathComponent(path)).standardizedFileURL
        }
        for url in urls.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            let components = url.pathComponents
            let relativeComponents = components.starts(with: rootComponents) && components.count > rootComponents.count
                ? Array(components.dropFirst(rootComponents.count))
                : Array(components.dropFirst())  // outside the root: the absolute path without its leading "/"
            let relative = relativeComponents.joined(separator: "/")
            var info = stat()
            guard stat(url.path, &info) == 0 else {
                try problem(InputProblem(relativePath: relative, reason: "listed file cannot be read: \(String(cString: strerror(errno)))"))
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                try walk([url], file: file, problem: problem)
            } else {
                try file(InputFile(path: SystemPath(url.path), relativePath: relative, byteSize: Int(info.st_size),
                                   sourceName: sourceRule.source(relativeComponents: relativeComponents, rootName: rootURL.lastPathComponent)))
            }
        }
    }
}
