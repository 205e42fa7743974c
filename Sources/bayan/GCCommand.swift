import ArgumentParser
import Foundation
import Operations

/// `bayan gc`: removes the run directories of older runs.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove the run directories of all but the most recent runs.",
        discussion: """
            Only folders holding a run.json are run directories; nothing else is touched. The most recent run is always \
            kept, and so is a run whose run.json says it is running, unless it started more than a day ago. \
            The warehouse is not touched: the ledger keeps every run.
            """)

    @Option(name: .long, help: ArgumentHelp("Run directories to keep (default: retention.keep_runs, 30).", valueName: "n"))
    var keep: Int?

    @Flag(name: .long, help: "Print what would be removed; remove nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("Where run directories are (default: runs.dir, .bayan/runs).", valueName: "dir"))
    var runsDir: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be 1 or more: the most recent run is always kept") }
    }

    func run() throws {
        do {
            var flags = logging.flags
            flags["runs.dir"] = runsDir
            flags["retention.keep_runs"] = keep.map(String.init)
            let settings = try loadSettings(flags: flags)
            let runs = resolve(settings.runsDirectory, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let plan = try RunRetention(runsDirectory: runs, keep: settings.keepRuns).collect(dryRun: dryRun)
            for run in plan.remove {
                print("\(dryRun ? "would remove" : "removed")  \(run.url.path)  (\(run.status ?? "?"), started \(run.startedAt.map(LedgerText.timestamp) ?? "?"))")
            }
            for (run, reason) in plan.spared {
                print("kept     \(run.url.path)  (\(reason))")
            }
            let verb = dryRun ? "Would remove" : "Removed"
            print("\(verb) \(plan.remove.count) run director\(plan.remove.count == 1 ? "y" : "ies") in \(runs.path); "
                  + "kept the \(plan.keep.count) most recent" + (plan.spared.isEmpty ? "" : " and \(plan.spared.count) more") + "."
                  + (dryRun ? " Nothing was removed (--dry-run)." : ""))
        } catch {
            throw fail(error)
        }
    }
}
