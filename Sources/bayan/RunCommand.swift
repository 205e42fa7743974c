import ArgumentParser
import Foundation
import Pipeline
import Postgres
import Extract
import Transform
import Load

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Extract, transform and load the .txt files under the inputs into the warehouse.",
        discussion: "Files already in the warehouse (same bytes) are not loaded again; a second run over the same input adds nothing.")

    @Option(name: .long, help: ArgumentHelp("A folder (read recursively for .txt and .txt.gz files) or a file; repeatable.", valueName: "path"))
    var input: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read the paths of files to load from FILE, one per line ('-' for standard input), e.g. from find.", valueName: "file"))
    var filesFrom: String?

    @Option(name: .long, help: ArgumentHelp("The folder that --files-from paths are relative to, for their relative path and source name (default: the working directory).", valueName: "dir"))
    var inputRoot: String?

    @Option(name: .long, help: ArgumentHelp("Decode every file with this encoding instead of detecting it: utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6, cp720.", valueName: "name"))
    var encoding: String?

    @Option(name: .long, help: ArgumentHelp("Quarantine files larger than this many bytes (or inflating to more); suffixes K, M, G.", valueName: "size"))
    var maxFileSize: String = "32M"

    @Option(name: .long, help: ArgumentHelp("How a file's source name comes from its path: first-folder (default), parent-folder, input-name, or regex:PATTERN (first capture group over the relative path).", valueName: "rule"))
    var sourceRule: String = "first-folder"

    @Flag(name: .long, help: "Read and load every file again, also those whose content is already in the warehouse.")
    var fullRefresh = false

    @Flag(name: .long, help: "Exit with status 65 when any input was quarantined (the run still loads everything else).")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("Folder with boilerplate.yaml and themes.yaml (default: config/ of the Bayan checkout).", valueName: "dir"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where run directories go.", valueName: "dir"))
    var runsDir: String = ".bayan/runs"

    @Flag(name: .long, help: "Apply pending schema migrations to a configured database first (the embedded one is always migrated).")
    var migrate = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if input.isEmpty && filesFrom == nil { throw ValidationError("give at least one --input folder or file, or --files-from") }
        if let encoding, TextEncoding(argument: encoding) == nil {
            throw ValidationError("unknown encoding '\(encoding)'; use one of: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if Self.byteCount(maxFileSize) == nil { throw ValidationError("--max-file-size must be a positive number of bytes, optionally with K, M or G") }
        if SourceRule(argument: sourceRule) == nil {
            throw ValidationError("--source-rule must be first-folder, parent-folder, input-name or regex:PATTERN with a valid pattern")
        }
    }

    static func byteCount(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = text.uppercased()
        var multiplier = 1
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits.removeLast()
        }
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }

    func run() throws {
        let logger = logging.makeLogger()
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            let home = try BayanHome.locate()
            let target = try database.target()
            var options = ExtractOptions()
            if let filesFrom {
                let handle = filesFrom == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: filesFrom)
                guard let handle else { throw ValidationError("cannot read the file list \(filesFrom)") }
                options.listedFiles = FileList.read(from: handle)
            }
            options.listRoot = inputRoot.map { resolve($0, against: workingDirectory) } ?? workingDirectory
            options.maxFileSize = Self.byteCount(maxFileSize)!
            options.forcedEncoding = encoding.flatMap(TextEncoding.init(argument:))
            options.sourceRule = SourceRule(argument: sourceRule)!
            options.fullRefresh = fullRefresh
            var request = RunRequest(
                inputs: input.map { resolve($0, against: workingDirectory) },
                runsDirectory: resolve(runsDir, against: workingDirectory),
                configDirectory: config.map { resolve($0, against: workingDirectory) } ?? home.defaultConfigDirectory,
                database: target, home: home, migrate: migrate, arguments: redactedArguments())
            request.extractOptions = options
            let report = try Pipeline(logger: logger).run(request)
            print(RunSummaryText.render(report, database: target))
            let quarantined = (report.extract?.quarantined ?? 0) + (report.transform?.quarantined ?? 0)
            if strict && quarantined > 0 {
                FileHandle.standardError.write(Data("bayan: \(quarantined) input(s) quarantined and --strict is set\n".utf8))
                throw ExitCode(65)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }

    /// The command line with any password in --database replaced.
    func redactedArguments() -> [String] {
        var arguments = Array(CommandLine.arguments.dropFirst())
        for index in arguments.indices {
            if arguments[index].hasPrefix("--database=") {
                arguments[index] = "--database=" + PostgresConfiguration(String(arguments[index].dropFirst(11))).redactedConnectionString
            } else if index > 0, arguments[index - 1] == "--database" {
                arguments[index] = PostgresConfiguration(arguments[index]).redactedConnectionString
            }
        }
        return arguments
    }
}

/// The few lines a run prints on stdout.
enum RunSummaryText {
    static func render(_ report: RunReport, database: WarehouseDatabase) -> String {
        let extract = report.extract ?? .init()
        let transform = report.transform ?? .init()
        let load = report.load ?? .init()
        var lines = [
            "Run \(report.runID) \(report.status) in \(String(format: "%.2f", report.seconds)) s",
            "  run directory  \(report.runDirectory)",
            "  warehouse      \(database.description)",
            "  files          \(extract.filesSeen) seen, \(extract.alreadyLoaded) already loaded, \(extract.duplicateFiles) identical to another file, \(extract.quarantined + transform.quarantined) quarantined",
            "  documents      \(load.documentsNew) new (\(load.duplicates) copies of earlier articles), \(load.documentsExisting + extract.alreadyLoaded) already in the warehouse",
            "  sentences      \(load.sentences) loaded (\(transform.sentences) in this run's documents)",
            "  theme hits     \(load.themeHits) loaded (\(transform.themeHits) in this run's documents)",
            "  boilerplate    \(load.linesRemoved) lines removed from new documents (\(transform.linesRemoved) in this run's documents, \(transform.linesRemovedLearned) by \(transform.learnedLines) learned line(s))",
            "  quarantined    \(load.quarantinedNew) new, \(load.quarantinedAgain) seen before",
        ]
        if load.addedNothing {
            lines.append("Nothing new was loaded: every document of this run is already in the warehouse.")
        }
        if case .embedded(let embedded) = database {
            lines.append("Query it: psql '\(embedded.url)'   (or: psql \"$(bayan db url)\")")
        }
        return lines.joined(separator: "\n")
    }
}

/// A path given on the command line, made absolute against `base` when relative.
func resolve(_ path: String, against base: URL) -> URL {
    (path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)).standardizedFileURL
}
