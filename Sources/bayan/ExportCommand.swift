import ArgumentParser
import Foundation
import Load
import Pipeline
import Postgres

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write loaded data for downstream tools.",
        subcommands: [Sentences.self])

    struct Sentences: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every sentence of the current, non-duplicate documents, in document and sentence order.",
            discussion: "Columns: source_path, sentence_no, text, paragraph, normalized_text, themes (codes comma-separated in codebook order).")

        @Option(name: .long, help: "tsv (tab, newline and backslash escaped, no header line) or jsonl.")
        var format: String = "tsv"

        @Option(name: .long, help: ArgumentHelp("Only the documents a run loaded.", valueName: "run-id"))
        var since: String?

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            if SentenceExport.Format(rawValue: format) == nil { throw ValidationError("--format must be tsv or jsonl") }
        }

        func run() throws {
            let logger = logging.makeLogger()
            do {
                let home = try BayanHome.locate()
                let target = try database.target()
                let connection = try target.connect(home: home, migrate: false, logger: logger)
                defer { connection.close() }
                try SentenceExport().write(format: SentenceExport.Format(rawValue: format)!, sinceRun: since,
                                           connection: connection, to: FileHandle.standardOutput)
            } catch {
                throw fail(error)
            }
        }
    }
}
