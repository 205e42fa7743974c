import ArgumentParser
import Foundation
import Logging
import Pipeline

@main
struct Bayan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bayan",
        abstract: "Turns raw Arabic news dumps into a clean PostgreSQL warehouse.",
        discussion: """
            Without --database, DATABASE_URL or PGHOST/PGDATABASE, Bayan uses an embedded PostgreSQL cluster \
            under .bayan/ in the working directory, which it creates and starts itself.

            Exit status: 0 success, 1 the run failed (the error says which stage and why), 64 bad usage, 65 inputs quarantined under --strict, 75 another load holds the warehouse (try again later).
            """,
        subcommands: [RunCommand.self, ExtractCommand.self, TransformCommand.self, LoadCommand.self, MigrateCommand.self, ClassifyCommand.self, EvalCommand.self, ExportCommand.self, DatabaseCommand.self, ReportCommand.self, SchemaCommand.self, CheckCommand.self]
    )
}

/// Options every command that touches the warehouse shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL or libpq keyword string of the warehouse (default: DATABASE_URL, then PG* variables, then the embedded cluster).",
        valueName: "url"))
    var database: String?

    /// The warehouse these options name (see ``WarehouseDatabase/resolve(explicit:environment:workingDirectory:)``).
    func target() throws -> WarehouseDatabase {
        try WarehouseDatabase.resolve(explicit: database, environment: ProcessInfo.processInfo.environment,
                                      workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }
}

struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error, critical (default: BAYAN_LOG_LEVEL or warning).")
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
    }

    func makeLogger() -> Logger {
        let level = logLevel.flatMap(Logger.Level.init(rawValue:))
            ?? ProcessInfo.processInfo.environment["BAYAN_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            ?? .warning
        var logger = Logger(label: "bayan") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = level
        return logger
    }
}

/// Prints an error the way every command does and exits with status 1.
func fail(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("bayan: error: \(error)\n".utf8))
    return ExitCode(1)
}
