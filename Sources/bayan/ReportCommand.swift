public import ArgumentParser
import Foundation
import Pipeline
import Postgres
import Reporting

extension ReportFormat: ExpressibleByArgument {}

/// `bayan report NAME`: runs a shipped report of `sql/reports/`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run a shipped report (sql/reports/NAME.sql) and print it.",
        discussion: """
            The same files run with psql: psql -v name=value -f sql/reports/NAME.sql. Values given with --param are sent \
            as query parameters, never spliced into the SQL. --format html or svg draws a stacked bar chart of a report \
            whose columns are x, series, value (e.g. themes-over-time).
            """)

    @Argument(help: "The report to run (see --list).")
    var name: String?

    @Flag(name: .long, help: "List the shipped reports with what they show and their parameters.")
    var list = false

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("A parameter of the report; repeatable.", valueName: "name=value"))
    var param: [String] = []

    @Option(name: .long, help: "table, csv, json, html or svg.")
    var format: ReportFormat = .table

    @Option(name: .long, help: ArgumentHelp("Widest cell of a table before it is cut with …; 0 for no limit.", valueName: "columns"))
    var maxWidth: Int = 60

    @Option(name: .long, help: ArgumentHelp("Folder of the reports (default: sql/reports/ of the Bayan checkout).", valueName: "dir"))
    var reports: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if !list && name == nil { throw ValidationError("name a report, or --list to see them") }
        for item in param where !item.contains("=") { throw ValidationError(ReportError.badParameterSyntax(item).description) }
        if maxWidth < 0 { throw ValidationError("--max-width must be 0 or more") }
    }

    func run() throws {
        let logger = logging.makeLogger()
        do {
            let home = try BayanHome.locate()
            let directory = reports.map { resolve($0, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
                ?? home.root.appendingPathComponent("sql/reports")
            let catalog = try ReportCatalog(directory: directory)
            if list {
                print(catalog.listing(), terminator: "")
                return
            }
            let report = try catalog.report(named: name!)
            var values: [String: String] = [:]
            for item in param {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                values[String(parts[0])] = String(parts[1])
            }
            let statement = try report.statement(values: values)
            let connection = try database.target().connect(home: home, migrate: false, logger: logger)
            defer { connection.close() }
            let table = try ReportTable(connection: connection, sql: statement.sql, arguments: statement.arguments)
            let output: String
            switch format {
            case .table: output = ReportFormatter.table(table, maxWidth: maxWidth)
            case .csv: output = ReportFormatter.csv(table)
            case .json: output = ReportFormatter.json(table)
            case .svg: output = try StackedChart.svg(table, report: report.name, title: report.summary)
            case .html: output = try StackedChart.html(table, report: report.name, title: report.summary)
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch {
            throw fail(error)
        }
    }
}
