import ArgumentParser
import Foundation
import Pipeline
import Postgres
import Reporting

/// `bayan schema docs`: the data dictionary from the database's comments.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Describe the warehouse schema.",
        subcommands: [Docs.self])

    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write docs/schema.md: every table, view and column with its type and comment, read from the database.",
            discussion: "Exits with status 65 when a table, view or column has no comment (the file is still written).")

        @Option(name: .long, help: ArgumentHelp("Where to write ('-' for standard output; default: docs/schema.md of the Bayan checkout).", valueName: "file"))
        var output: String?

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            let logger = logging.makeLogger()
            let document: SchemaDocument
            do {
                let home = try BayanHome.locate()
                let connection = try database.target().connect(home: home, migrate: false, logger: logger)
                defer { connection.close() }
                document = try SchemaDocument(connection: connection)
                let text = document.markdown()
                if output == "-" {
                    FileHandle.standardOutput.write(Data(text.utf8))
                } else {
                    let url = output.map { resolve($0, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
                        ?? home.root.appendingPathComponent("docs/schema.md")
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: url)
                    print("wrote \(url.path): \(document.relations.count) tables and views")
                }
            } catch {
                throw fail(error)
            }
            if !document.missingComments.isEmpty {
                FileHandle.standardError.write(Data("bayan: without a comment: \(document.missingComments.joined(separator: ", "))\n".utf8))
                throw ExitCode(65)
            }
        }
    }
}
