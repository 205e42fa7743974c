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

    @Option(name: .long, help: ArgumentHelp("A folder (read recursively) or a .txt file; repeatable.", valueName: "path"))
    var input: [String] = []

    @Option(name: .long, help: ArgumentHelp("Folder with boilerplate.yaml and themes.yaml (default: config/ of the Bayan checkout).", valueName: "dir"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where run directories go.", valueName: "dir"))
    var runsDir: String = ".bayan/runs"

    @Flag(name: .long, help: "Apply pending schema migrations to a configured database first (the embedded one is always migrated).")
    var migrate = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if input.isEmpty { throw ValidationError("give at least one --input folder or file") }
    }

    func run() throws {
        let logger = logging.makeLogger()
        let environment = ProcessInfo.processInfo.environment
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            let home = try BayanHome.locate()
            let target = try WarehouseDatabase.resolve(explicit: database.database, environment: environment, workingDirectory: workingDirectory)
            let request = RunRequest(
                inputs: input.map { URL(fileURLWithPath: $0, relativeTo: workingDirectory).standardizedFileURL },
                runsDirectory: URL(fileURLWithPath: runsDir, relativeTo: workingDirectory).standardizedFileURL,
                configDirectory: config.map { URL(fileURLWithPath: $0, relativeTo: workingDirectory).standardizedFileURL } ?? home.defaultConfigDirectory,
                database: target, home: home, migrate: migrate, arguments: redactedArguments())
            let report = try Pipeline(logger: logger).run(request)
            print(RunSummaryText.render(report, database: target))
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
            "  files          \(extract.filesSeen) seen, \(extract.duplicateFiles) identical to another file, \(extract.quarantined + transform.quarantined) quarantined",
            "  documents      \(load.documentsNew) new, \(load.documentsExisting) already in the warehouse",
            "  sentences      \(load.sentences) loaded (\(transform.sentences) in this run's documents)",
            "  theme hits     \(load.themeHits) loaded (\(transform.themeHits) in this run's documents)",
            "  boilerplate    \(load.linesRemoved) lines removed from new documents (\(transform.linesRemoved) in this run's documents)",
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
