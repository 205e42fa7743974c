import ArgumentParser
import Foundation
import Logging
import Pipeline
import Postgres
import Reporting

/// `bayan check`: the data checks of config/checks.yaml.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the data checks (config/checks.yaml) against the warehouse.",
        discussion: "Exit status: 0 when no error-level check failed (warnings are printed), 65 when one did, 1 when the checks could not run.")

    @Option(name: .long, help: ArgumentHelp("Folder with checks.yaml (default: config/ of the Bayan checkout).", valueName: "dir"))
    var config: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        let logger = logging.makeLogger()
        let results: [CheckResult]
        do {
            let home = try BayanHome.locate()
            let directory = config.map { resolve($0, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) } ?? home.defaultConfigDirectory
            let configuration = try CheckConfiguration(directory: directory)
            let connection = try database.target().connect(home: home, migrate: false, logger: logger)
            defer { connection.close() }
            results = try DataChecks.run(on: connection, configuration: configuration)
        } catch {
            throw fail(error)
        }
        print(DataChecks.render(results), terminator: "")
        if DataChecks.hasErrors(results) { throw ExitCode(65) }
    }
}

/// The checks after a run: printed, never failing the run; with --strict an error-level failure exits 65.
enum RunChecks {
    /// Returns whether an error-level check failed.
    static func afterRun(database: WarehouseDatabase, home: BayanHome, configDirectory: URL, logger: Logger) -> Bool {
        do {
            let configuration = try CheckConfiguration(directory: configDirectory)
            let connection = try database.connect(home: home, migrate: false, logger: logger, allowPending: true)
            defer { connection.close() }
            let results = try DataChecks.run(on: connection, configuration: configuration)
            let failed = results.filter { !$0.passed }
            print("  checks         \(results.count - failed.count) of \(results.count) passed" + (failed.isEmpty ? "" : " (see bayan check)"))
            if !failed.isEmpty { FileHandle.standardError.write(Data(DataChecks.render(failed).utf8)) }
            return DataChecks.hasErrors(results)
        } catch {
            FileHandle.standardError.write(Data("bayan: the data checks could not run: \(error)\n".utf8))
            return false
        }
    }
}
