import ArgumentParser
import Foundation
import Logging
import Operations
import Pipeline

@main
struct Bayan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bayan",
        abstract: "Turns raw Arabic news dumps into a clean PostgreSQL warehouse.",
        discussion: """
            Without --database, DATABASE_URL or PGHOST/PGDATABASE, Bayan uses an embedded PostgreSQL cluster \
            under .bayan/ in the working directory, which it creates and starts itself.

            Settings come from flags, then BAYAN_* environment variables, then config/bayan.yaml (or BAYAN_CONFIG_FILE), \
            then built-in defaults: 'bayan config show' prints them and where each came from.

            Exit status: 0 success, 1 the run failed (the error says which stage and why), 2 bad usage, 65 bad data over \
            the budget (inputs quarantined under --strict), 75 temporary: another load holds the warehouse, the database \
            cannot be reached or its server ran out of a resource, such as a full disk (try again later with --resume).
            """,
        subcommands: [RunCommand.self, ExtractCommand.self, TransformCommand.self, LoadCommand.self, MigrateCommand.self, ClassifyCommand.self,
                      EvalCommand.self, ExportCommand.self, ReportCommand.self, SchemaCommand.self, CheckCommand.self, StatusCommand.self,
                      RunsCommand.self, GCCommand.self, ConfigCommand.self, DatabaseCommand.self]
    )

    /// As ArgumentParser's `main()`, but bad usage exits with status 2 (as getopt tools do) instead of 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// Options every command that touches the warehouse shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or libpq keyword string of the warehouse (default: DATABASE_URL, then PG* variables, then the embedded cluster).",
        valueName: "url"))
    var database: String?

    /// The warehouse these options name: --database, BAYAN_DATABASE_URL, DATABASE_URL, the PG* variables,
    /// database.url of the settings file, else the embedded cluster.
    func target(settings: Settings? = nil) throws -> WarehouseDatabase {
        let settings = try settings ?? loadSettings(flags: flags)
        return try WarehouseDatabase.resolve(explicit: settings.explicitDatabase, environment: ProcessInfo.processInfo.environment,
                                             workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// The setting these options give.
    var flags: [String: String] { database.map { ["database.url": $0] } ?? [:] }
}

struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error, critical (default: log.level, BAYAN_LOG_LEVEL or warning).")
    var logLevel: String?

    @Option(name: .long, help: "Log lines as text or json (one object per line, for log collectors) (default: log.format, BAYAN_LOG_FORMAT or text).")
    var logFormat: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        if let logFormat, LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("unknown log format '\(logFormat)'; use text or json")
        }
    }

    /// The settings these options give.
    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["log.level"] = logLevel
        flags["log.format"] = logFormat
        return flags
    }

    /// A logger at the configured level and format; when the settings cannot be read (the command reports
    /// that itself), the flags, then BAYAN_LOG_LEVEL and BAYAN_LOG_FORMAT, then text at warning.
    ///
    /// - Parameter progress: a progress display on stderr, which log lines must not mangle.
    func makeLogger(settings: Settings? = nil, progress: ProgressDisplay? = nil) -> Logger {
        var sink: BayanLogHandler.Sink = BayanLogHandler.standardError
        if let progress { sink = { @Sendable line in progress.writeAbove(line) } }
        if let settings = settings ?? (try? loadSettings(flags: flags)) {
            return Logger.bayan(level: settings.logLevel, format: settings.logFormat, sink: sink)
        }
        let environment = ProcessInfo.processInfo.environment
        let level = logLevel.flatMap(Logger.Level.init(rawValue:))
            ?? environment["BAYAN_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let format = logFormat.flatMap(LogFormat.init(rawValue:)) ?? environment["BAYAN_LOG_FORMAT"].flatMap(LogFormat.init(rawValue:)) ?? .text
        return Logger.bayan(level: level, format: format, sink: sink)
    }
}

/// Prints an error the way every command does, on one line (for supervisors that read the last line), and
/// exits with status 1.
func fail(_ error: any Error) -> ExitCode {
    let line = "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    FileHandle.standardError.write(Data("bayan: error: \(line)\n".utf8))
    return ExitCode(1)
}
