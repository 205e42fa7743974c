import Crypto
public import Foundation
public import Logging
import RunArtifacts

/// What extract is asked to read.
public struct ExtractRequest: Sendable {
    /// Folders (read recursively) and single files.
    public var inputs: [URL]
    /// Where `extract/documents.tsv` and `extract/quarantine.tsv` go.
    public var runDirectory: URL

    public init(inputs: [URL], runDirectory: URL) {
        self.inputs = inputs
        self.runDirectory = runDirectory
    }
}

/// What extract did.
public struct ExtractSummary: Sendable, Equatable, Codable {
    /// Files looked at (every `.txt` found, including the ones set aside).
    public var filesSeen = 0
    /// Distinct documents written for transform.
    public var documents = 0
    /// Files whose bytes were identical to an earlier file of the same run (loaded once, under the first path).
    public var duplicateFiles = 0
    /// Files that could not be taken (see `extract/quarantine.tsv`).
    public var quarantined = 0
    /// Bytes read.
    public var bytesRead = 0

    public init() {}
}

/// Why extract could not run at all (a bad file is quarantined instead; this is for the run as a whole).
public enum ExtractError: Error, CustomStringConvertible {
    case inputMissing(path: String)
    case inputNotReadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .inputMissing(let path): "input \(path) does not exist"
        case .inputNotReadable(let path, let reason): "cannot list input \(path): \(reason)"
        }
    }
}

/// The extract stage: finds the `.txt` files, reads and hashes their bytes, decodes them, and writes one row
/// per distinct content for transform. Files it cannot take are quarantined with the reason; none is skipped
/// silently.
///
/// Files are visited in a stable order (inputs in the order given, files sorted by relative path), so two runs
/// over the same input produce the same rows. One file is in memory at a time.
public struct Extractor {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func run(_ request: ExtractRequest) throws -> ExtractSummary {
        let documents = try RunFileWriter<ExtractedDocument>(url: request.runDirectory.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        let quarantine = try RunFileWriter<QuarantineRecord>(url: request.runDirectory.appendingPathComponent(RunFile.extractQuarantine.relativePath))
        var summary = ExtractSummary()
        var seen: [String: String] = [:]  // content hash → first path

        for file in try InputFiles.list(request.inputs) {
            summary.filesSeen += 1
            let outcome = DocumentReader.read(file)
            switch outcome {
            case .quarantined(let record):
                summary.quarantined += 1
                summary.bytesRead += record.byteSize ?? 0
                logger.warning("quarantined", metadata: ["file.path": "\(file.url.path)", "quarantine.reason": "\(record.reason)"])
                try quarantine.write(record)
            case .document(let document):
                summary.bytesRead += document.byteSize
                if let first = seen[document.contentSHA256] {
                    summary.duplicateFiles += 1
                    logger.info("identical to an earlier file; loaded once", metadata: [
                        "file.path": "\(file.url.path)", "file.same_as": "\(first)"])
                    continue
                }
                seen[document.contentSHA256] = document.sourcePath
                summary.documents += 1
                try documents.write(document)
            }
        }
        try documents.finish()
        try quarantine.finish()
        logger.info("extract finished", metadata: [
            "extract.files": "\(summary.filesSeen)", "extract.documents": "\(summary.documents)",
            "extract.duplicates": "\(summary.duplicateFiles)", "extract.quarantined": "\(summary.quarantined)",
        ])
        return summary
    }
}

/// An input file and where it was found.
struct InputFile {
    var url: URL
    /// Path relative to the input root (the file name alone when the input is the file itself).
    var relativePath: String
    /// The source (outlet) name: the first folder below the input root; for a file at the root or given
    /// alone, the name of the folder holding it.
    var sourceName: String
}

enum InputFiles {
    /// Every `.txt` under the inputs, each input's files sorted by relative path.
    static func list(_ inputs: [URL]) throws -> [InputFile] {
        var files: [InputFile] = []
        let fileManager = FileManager.default
        for input in inputs {
            let root = input.standardizedFileURL
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
                throw ExtractError.inputMissing(path: root.path)
            }
            guard isDirectory.boolValue else {
                files.append(InputFile(url: root, relativePath: root.lastPathComponent,
                                       sourceName: root.deletingLastPathComponent().lastPathComponent))
                continue
            }
            guard let enumerator = fileManager.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [],
                errorHandler: { _, _ in true })
            else {
                throw ExtractError.inputNotReadable(path: root.path, reason: "cannot enumerate")
            }
            var found: [InputFile] = []
            let rootComponents = root.resolvingSymlinksInPath().pathComponents
            for case let url as URL in enumerator where url.pathExtension.lowercased() == "txt" {
                // A folder named like a file (`archive.txt/`) is walked into, not read.
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                let components = url.resolvingSymlinksInPath().pathComponents
                let relative = Array(components.dropFirst(rootComponents.count))
                guard !relative.isEmpty else { continue }
                let source = relative.count > 1 ? relative[0] : root.lastPathComponent
                found.append(InputFile(url: url, relativePath: relative.joined(separator: "/"), sourceName: source))
            }
            files += found.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        }
        return files
    }
}
