import ArgumentParser
import Foundation
import Operations
import Pipeline
import Postgres

/// `bayan status`: the latest runs from the ledger.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the latest runs from the warehouse's ledger.",
        discussion: "Per run: id, start (UTC), duration, status, files seen, documents new, replaced and duplicate, sentences, rejected and quarantined.")

    @Option(name: .long, help: "How many runs, newest first.")
    var limit: Int = 10

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be 1 or more") }
    }

    func run() throws {
        let logger = logging.makeLogger()
        do {
            let connection = try database.target().connect(home: try BayanHome.locate(), migrate: false, logger: logger)
            defer { connection.close() }
            print(LedgerText.status(try LedgerReader(connection: connection).latest(limit: limit)))
        } catch {
            throw fail(error)
        }
    }
}

/// `bayan runs show ID`: one run in full.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Look at one run of the ledger.",
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one run in full: its ledger row, stages, load batches, rejects and run directory.")

        @Argument(help: ArgumentHelp("The run id (as bayan status lists it).", valueName: "id"))
        var runID: String

        @Option(name: .long, help: ArgumentHelp("Where run directories are, to find the run's run.json (default: runs.dir, .bayan/runs).", valueName: "dir"))
        var runsDir: String?

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let logger = logging.makeLogger()
            do {
                var flags = database.flags
                flags["runs.dir"] = runsDir
                let settings = try loadSettings(flags: flags)
                let connection = try database.target(settings: settings).connect(home: try BayanHome.locate(), migrate: false, logger: logger)
                defer { connection.close() }
                let ledger = LedgerReader(connection: connection)
                let detail = try ledger.detail(runID: runID)
                let runFile = resolve(settings.runsDirectory, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    .appendingPathComponent(runID).appendingPathComponent("run.json")
                print(LedgerText.detail(detail, totalRejects: try ledger.rejectCount(runID: runID),
                                        runFile: FileManager.default.fileExists(atPath: runFile.path) ? runFile.path : nil))
            } catch {
                throw fail(error)
            }
        }
    }
}
