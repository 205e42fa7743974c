public import ArgumentParser
import Foundation
import Pipeline
import Postgres
import Extract
import Transform
import Load
import Logging
import Dispatch
import Operations
import RunArtifacts

/// The flags every pipeline command shares (`run`, `extract`, `transform`, `load`).
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A folder (read recursively for .txt and .txt.gz files) or a file; repeatable.", valueName: "path"))
    var input: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read the paths of files to load from FILE, one per line ('-' for standard input), e.g. from find.", valueName: "file"))
    var filesFrom: String?

    @Option(name: .long, help: ArgumentHelp("The folder that --files-from paths are relative to, for their relative path and source name (default: the working directory).", valueName: "dir"))
    var inputRoot: String?

    @Option(name: .long, help: ArgumentHelp("Decode every file with this encoding instead of detecting it: utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6, cp720.", valueName: "name"))
    var encoding: String?

    @Option(name: .long, help: ArgumentHelp("Quarantine files larger than this many bytes (or inflating to more); suffixes K, M, G (default: extract.max_file_size, 32M).", valueName: "size"))
    var maxFileSize: String?

    @Option(name: .long, help: ArgumentHelp("How a file's source name comes from its path: first-folder (default), parent-folder, input-name, or regex:PATTERN (first capture group over the relative path).", valueName: "rule"))
    var sourceRule: String?

    @Flag(name: .long, help: "Read and load every file again, also those whose content is already in the warehouse. Without extract (--from transform, or bayan transform): transform every document of the warehouse again from its stored text, e.g. to re-label all of it after a lexicon edit, without the input files.")
    var fullRefresh = false

    @Flag(name: .long, help: "The --input folders are the whole input: documents that no file holds any more (deleted, or replaced by new content) leave the warehouse for retired_documents, with their text and path history, so the warehouse holds what one run over these folders would.")
    var mirror = false

    @Flag(name: .long, help: "Exit with status 65 when any input was quarantined (the run still loads everything else).")
    var strict = false

    @Flag(name: .long, help: "Go through extract and transform and report what the load would insert and replace, writing nothing to the warehouse.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("Folder with boilerplate.yaml and themes.yaml (default: config/ of the Bayan checkout).", valueName: "dir"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where run directories go (default: runs.dir, .bayan/runs).", valueName: "dir"))
    var runsDir: String?

    @Flag(name: .long, help: "Apply pending schema migrations to a configured database first (the embedded one is always migrated).")
    var migrate = false

    @Flag(name: .long, help: "Continue the most recent run that did not finish (killed, interrupted, failed): its remaining stages, and of the load only the batches not committed yet. Without one, start a new run.")
    var resume = false

    @Option(name: .long, help: ArgumentHelp("Threads that extract and transform documents (default: one per core), beside the one reading and writing the run files; the output is the same whatever the number.", valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Documents per load batch; each batch commits on its own (default: load.batch_size, BAYAN_BATCH_SIZE or 5000).", valueName: "n"))
    var batchSize: Int?

    @Option(name: .long, help: ArgumentHelp("Documents the database may reject (each isolated and kept in the rejects table) before the run exits with status 65 (default: load.max_rejects, BAYAN_MAX_REJECTS or 0).", valueName: "n"))
    var maxRejects: Int?

    @Option(name: .long, help: ArgumentHelp("Connection attempts when the database is unreachable or the connection drops, with doubling waits (default: retry.attempts or 5).", valueName: "n"))
    var retries: Int?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait after the first failed connection attempt; doubled each time, at most --retry-max-delay (default: retry.initial_delay or 0.5).", valueName: "seconds"))
    var retryDelay: Double?

    @Option(name: .long, help: ArgumentHelp("Longest wait between connection attempts, in seconds (default: retry.max_delay or 30).", valueName: "seconds"))
    var retryMaxDelay: Double?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let encoding, TextEncoding(argument: encoding) == nil {
            throw ValidationError("unknown encoding '\(encoding)'; use one of: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let maxFileSize, Self.byteCount(maxFileSize) == nil { throw ValidationError("--max-file-size must be a positive number of bytes, optionally with K, M or G") }
        if let sourceRule, SourceRule(argument: sourceRule) == nil {
            throw ValidationError("--source-rule must be first-folder, parent-folder, input-name or regex:PATTERN with a valid pattern")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let maxRejects, maxRejects < 0 { throw ValidationError("--max-rejects must be 0 or more") }
        if let retries, retries < 1 { throw ValidationError("--retries must be at least 1") }
        if let retryDelay, retryDelay < 0 { throw ValidationError("--retry-delay must be 0 or more") }
        if mirror && (filesFrom != nil || input.isEmpty) {
            throw ValidationError("--mirror needs --input folders (the whole input), not --files-from")
        }
    }

    static func byteCount(_ text: String) -> Int? { Settings.byteCount(text) }

    /// The settings these flags give, by setting key.
    var settingFlags: [String: String] {
        var flags = database.flags.merging(logging.flags) { $1 }
        flags["runs.dir"] = runsDir
        flags["transform.config_dir"] = config
        flags["extract.max_file_size"] = maxFileSize
        flags["extract.source_rule"] = sourceRule
        flags["load.batch_size"] = batchSize.map(String.init)
        flags["load.max_rejects"] = maxRejects.map(String.init)
        flags["retry.attempts"] = retries.map(String.init)
        flags["retry.initial_delay"] = retryDelay.map { String($0) }
        flags["retry.max_delay"] = retryMaxDelay.map { String($0) }
        return flags
    }

    var hasInput: Bool { !input.isEmpty || filesFrom != nil }

    /// Runs `stages` (a new run when extract is among them, else `continueRun` or the latest suitable run).
    func execute(stages: [Stage], continueRun: String?, runDirectory: String?) throws {
        // A progress line on stderr for someone at a terminal; none under cron or into a pipe.
        let progress = ProgressDisplay.forStandardError()
        let logger = logging.makeLogger(progress: progress)
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            let settings = try loadSettings(flags: settingFlags)
            let home = try BayanHome.locate()
            let target = try database.target(settings: settings)
            var options = ExtractOptions()
            if let filesFrom {
                let handle = filesFrom == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: filesFrom)
                guard let handle else { throw ValidationError("cannot read the file list \(filesFrom)") }
                options.listedFiles = FileList.read(from: handle)
            }
            options.listRoot = inputRoot.map { resolve($0, against: workingDirectory) } ?? workingDirectory
            options.maxFileSize = settings.maxFileSize
            options.forcedEncoding = encoding.flatMap(TextEncoding.init(argument:))
            options.sourceRule = SourceRule(argument: settings.sourceRule)!
            options.fullRefresh = fullRefresh
            options.mirror = mirror
            var request = RunRequest(
                inputs: input.map { resolve($0, against: workingDirectory) },
                runsDirectory: resolve(settings.runsDirectory, against: workingDirectory),
                configDirectory: settings.transformConfigDirectory.map { resolve($0, against: workingDirectory) } ?? home.defaultConfigDirectory,
                database: target, home: home, migrate: migrate, arguments: redactedArguments())
            request.extractOptions = options
            request.stages = stages.sorted()
            request.dryRun = dryRun
            request.resume = resume
            if let jobs { request.jobs = jobs }
            request.batchSize = settings.load.batchSize
            request.retry = settings.retry
            let maxRejects = settings.load.maxRejects
            if let runDirectory {
                request.continueRunDirectory = resolve(runDirectory, against: workingDirectory)
            } else if let continueRun {
                request.continueRunDirectory = request.runsDirectory.appendingPathComponent(continueRun)
            }
            let stopSignals = StopSignals.install()
            defer { stopSignals.cancel() }
            request.progress = progress.map { display in { @Sendable event in display.handle(event) } }
            let report: RunReport
            do {
                defer { progress?.finish() }   // what follows (summary or error) starts on its own line
                report = try Pipeline(logger: logger).run(request)
            }
            print(RunSummaryText.render(report, database: target))
            // Data checks after a load that wrote something; they fail the exit status only under --strict.
            let checksFailed = report.load != nil && report.status == "succeeded"
                && RunChecks.afterRun(database: target, home: home, configDirectory: request.configDirectory, logger: logger)
            if report.status == "succeeded" {
                // Keep the last retention.keep_runs run directories; older ones go (what `bayan gc` does).
                do {
                    let plan = try RunRetention(runsDirectory: request.runsDirectory, keep: settings.keepRuns).collect(dryRun: false)
                    for run in plan.remove { logger.info("removed an old run directory", metadata: ["run.dir": "\(run.url.path)"]) }
                } catch {
                    logger.warning("could not remove old run directories", metadata: ["error": "\(error)"])
                }
            }
            let quarantined = (report.extract?.quarantined ?? 0) + (report.transform?.quarantined ?? 0)
            let rejected = report.load?.rejected ?? 0
            if rejected > maxRejects {
                FileHandle.standardError.write(Data("bayan: \(rejected) document(s) rejected by the database, over the budget of \(maxRejects) (--max-rejects, load.max_rejects); see the rejects table\n".utf8))
                throw ExitCode(65)
            }
            if strict && quarantined > 0 {
                FileHandle.standardError.write(Data("bayan: \(quarantined) input(s) quarantined and --strict is set\n".utf8))
                throw ExitCode(65)
            }
            if strict && checksFailed {
                FileHandle.standardError.write(Data("bayan: an error-level data check failed and --strict is set\n".utf8))
                throw ExitCode(65)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let error as LoadError {
            // Another run holds the warehouse: nothing failed, try again later (EX_TEMPFAIL).
            _ = fail(error)
            if case .locked = error { throw ExitCode(75) }
            throw ExitCode(1)
        } catch let error as DatabaseUnavailableError {
            _ = fail(error)
            throw ExitCode(75)
        } catch let error as InterruptedError {
            _ = fail(error)
            throw ExitCode(error.exitCode)
        } catch let error as PostgresError where ExitStatus.isTemporary(error) {
            // The database cannot be reached: a supervisor retries later (EX_TEMPFAIL).
            _ = fail(error)
            throw ExitCode(ExitStatus.temporary.rawValue)
        } catch let failure as StageFailure where databaseError(in: failure.error).map(ExitStatus.isTemporary) == true {
            // The server ran out of a resource mid-stage (SQLSTATE class 53: disk, memory, connections, a
            // limit): the batch in flight rolled back, and --resume finishes the run once it is back.
            _ = fail(failure)
            throw ExitCode(ExitStatus.temporary.rawValue)
        } catch {
            throw fail(error)
        }
    }

    /// The database error a stage failed with, when there is one: the error itself, or the cause a load error
    /// or a failed rollback carries.
    func databaseError(in error: any Error) -> PostgresError? {
        switch error {
        case let error as PostgresError: error
        case LoadError.copyFailed(_, let cause): cause
        case let error as PostgresTransactionError: databaseError(in: error.bodyError)
        default: nil
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

/// `bayan run`: every stage, or those chosen by flag.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Extract, transform and load the .txt files under the inputs into the warehouse.",
        discussion: """
            Files already in the warehouse (same bytes) are not loaded again; a second run over the same input adds nothing. \
            --stage, --from and --to run some stages only: transform and load continue an earlier run's directory \
            (--run-id or --run-dir, else the most recent run whose earlier stages are complete).
            """)

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: ArgumentHelp("Run only this stage (extract, transform, load); repeatable.", valueName: "stage"))
    var stage: [Stage] = []

    @Option(name: .long, help: ArgumentHelp("Run from this stage on.", valueName: "stage"))
    var from: Stage?

    @Option(name: .long, help: ArgumentHelp("Run up to this stage.", valueName: "stage"))
    var to: Stage?

    @OptionGroup var earlier: EarlierRunOptions

    var stages: [Stage] {
        if !stage.isEmpty { return Array(Set(stage)).sorted() }
        return Stage.allCases.filter { $0 >= (from ?? .extract) && $0 <= (to ?? .load) }
    }

    func validate() throws {
        if !stage.isEmpty && (from != nil || to != nil) { throw ValidationError("use --stage, or --from/--to, not both") }
        if stages.isEmpty { throw ValidationError("--from \(from!.rawValue) comes after --to \(to!.rawValue): no stage to run") }
        if stages.contains(.extract) && !options.hasInput {
            throw ValidationError("give at least one --input folder or file, or --files-from")
        }
        if stages.contains(.extract) && (earlier.runID != nil || earlier.runDir != nil) {
            throw ValidationError("extract starts a new run; --run-id and --run-dir go with transform and load only")
        }
        if stages != Stage.allCases && stages.contains(.extract) && stages.contains(.load) && !stages.contains(.transform) {
            throw ValidationError("load needs the transform of the same run: add --stage transform")
        }
    }

    func run() throws { try options.execute(stages: stages, continueRun: earlier.runID, runDirectory: earlier.runDir) }
}

/// Which earlier run transform and load continue (default: the most recent one whose earlier stages are complete).
struct EarlierRunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The earlier run to continue (a name under the runs directory).", valueName: "id"))
    var runID: String?

    @Option(name: .long, help: ArgumentHelp("The earlier run directory to continue.", valueName: "dir"))
    var runDir: String?
}

extension Stage: ExpressibleByArgument {}

/// `bayan extract`: the extract stage of a new run.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Extract only: read the inputs into a new run directory (same as run --stage extract).")
    @OptionGroup var options: RunOptions

    func validate() throws {
        if !options.hasInput { throw ValidationError("give at least one --input folder or file, or --files-from") }
    }

    func run() throws { try options.execute(stages: [.extract], continueRun: nil, runDirectory: nil) }
}

/// `bayan transform`: the transform stage of an earlier run.
struct TransformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transform", abstract: "Transform only: re-transform an earlier run's extract output (same as run --stage transform).")
    @OptionGroup var options: RunOptions
    @OptionGroup var earlier: EarlierRunOptions

    func run() throws { try options.execute(stages: [.transform], continueRun: earlier.runID, runDirectory: earlier.runDir) }
}

/// `bayan load`: the load stage of an earlier run.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load only: load an earlier run's transform output (same as run --stage load).")
    @OptionGroup var options: RunOptions
    @OptionGroup var earlier: EarlierRunOptions

    func run() throws { try options.execute(stages: [.load], continueRun: earlier.runID, runDirectory: earlier.runDir) }
}

/// The few lines a run prints on stdout.
enum RunSummaryText {
    static func render(_ report: RunReport, database: WarehouseDatabase) -> String {
        let extract = report.extract ?? .init()
        let transform = report.transform ?? .init()
        let load = report.load ?? .init()
        if report.load == nil {
            // Extract and transform without load: say what the run directory holds for the next stage.
            var lines = ["Run \(report.runID) \(report.status) (\((report.stagesDone ?? []).map(\.rawValue).joined(separator: ", ")) done) in \(String(format: "%.2f", report.seconds)) s",
                         "  run directory  \(report.runDirectory)"]
            if report.extract != nil {
                lines.append("  files          \(extract.filesSeen) seen, \(extract.alreadyLoaded) already loaded, \(extract.duplicateFiles) identical to another file, \(extract.quarantined) quarantined; \(extract.documents) documents for transform")
            }
            if report.transform != nil {
                lines.append("  transform      \(transform.documents) documents, \(transform.sentences) sentences, \(transform.themeHits) theme hits, \(transform.linesRemoved) boilerplate lines removed")
            }
            lines.append("Next: bayan \(report.transform == nil ? "transform" : "load") --run-id \(report.runID)")
            return lines.joined(separator: "\n")
        }
        var lines = [
            "Run \(report.runID) \(report.status) in \(String(format: "%.2f", report.seconds)) s",
            "  run directory  \(report.runDirectory)",
            "  warehouse      \(database.description)",
            "  files          \(extract.filesSeen) seen, \(extract.alreadyLoaded) already loaded, \(extract.duplicateFiles) identical to another file, \(extract.quarantined + transform.quarantined) quarantined",
            "  documents      \(load.documentsNew) new (\(load.duplicates) copies of earlier articles), \(load.documentsExisting + extract.alreadyLoaded) already in the warehouse"
                + (load.documentsReplaced > 0 ? " (\(load.documentsReplaced) of them re-labelled under the new configuration)" : ""),
            "  sentences      \(load.sentences) loaded (\(transform.sentences) in this run's documents)",
            "  theme hits     \(load.themeHits) loaded (\(transform.themeHits) in this run's documents)",
            "  boilerplate    \(load.linesRemoved) lines removed from new documents (\(transform.linesRemoved) in this run's documents, \(transform.linesRemovedLearned) by \(transform.learnedLines) learned line(s))",
            "  quarantined    \(load.quarantinedNew) new, \(load.quarantinedAgain) seen before",
        ]
        if report.status == "dry run" {
            lines.append("Dry run: the load was rolled back; nothing was written to the warehouse.")
        } else if load.addedNothing {
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

/// SIGINT and SIGTERM ask the run to stop at its next safe point (the batch in flight rolls back, the ledger
/// says "interrupted"); a second signal ends the process at once.
struct StopSignals {
    let sources: [any DispatchSourceSignal]

    static func install() -> StopSignals {
        // A file-size limit (ulimit -f) then fails the write with EFBIG, which the stage reports, instead of
        // killing the process with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if Interruption.signal != nil { _exit(128 + number) }
                FileHandle.standardError.write(Data("bayan: stopping after \(number == SIGINT ? "SIGINT" : "SIGTERM"); a second signal ends it at once\n".utf8))
                Interruption.request(signal: number)
            }
            source.resume()
            return source
        }
        return StopSignals(sources: sources)
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
