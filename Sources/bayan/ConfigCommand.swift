import ArgumentParser
import Foundation
import Operations

/// `bayan config show`: the effective settings and where each came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect Bayan's settings.",
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting's effective value and where it came from (default, file, env, flag); passwords masked.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            do {
                let settings = try loadSettings(flags: database.flags.merging(logging.flags) { $1 })
                let environment = ProcessInfo.processInfo.environment
                print("settings file: \(settings.file.map { FileManager.default.fileExists(atPath: $0.path) ? $0.path : "\($0.path) (absent)" } ?? "(none)")")
                let rows = Settings.definitions.map { definition -> [String] in
                    let value = settings.value(definition.key)!
                    return [definition.key, settings.displayValue(definition.key, environment: environment),
                            "\(value.source.rawValue)" + (value.source == .default ? "" : " (\(value.origin))")]
                }
                let header = ["setting", "value", "from"]
                let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max()! }
                for row in [header] + rows {
                    print(row.enumerated().map { column, cell in
                        column == 2 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    }.joined(separator: "  "))
                }
            } catch {
                throw fail(error)
            }
        }
    }
}
