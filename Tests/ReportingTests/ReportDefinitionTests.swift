import Foundation
import Testing
import TestSupport
@testable import Reporting

@Suite struct ReportDefinitionTests {
    @Test(arguments: [
        ("SELECT :'a'", "SELECT $1", ["a"]),                                           // one variable
        ("SELECT :'a', :'b', :'a'", "SELECT $1, $2, $1", ["a", "b"]),                  // a repeat keeps its number
        ("SELECT :'a'::date", "SELECT $1::date", ["a"]),                               // a cast after it
        ("SELECT x::text", "SELECT x::text", []),                                      // a cast is no variable
        ("SELECT ':''a'''", "SELECT ':''a'''", []),                                    // inside a literal
        ("SELECT 1 -- :'a'\n", "SELECT 1 -- :'a'\n", []),                              // inside a line comment
        ("SELECT /* :'a' /* :'b' */ */ 1", "SELECT /* :'a' /* :'b' */ */ 1", []),       // nested block comment
        ("SELECT $q$ :'a' $q$", "SELECT $q$ :'a' $q$", []),                            // dollar quoting
        ("SELECT E'\\' :''", "SELECT E'\\' :''", []),                                  // E'' string with a backslash
        ("SELECT a[1:2]", "SELECT a[1:2]", []),                                        // an array slice
        ("SELECT \":'a'\"", "SELECT \":'a'\"", []),                                    // inside a quoted identifier
    ])
    func variablesBecomePlaceholders(sql: String, expected: String, variables: [String]) throws {
        let scan = try SQLVariables.scan(sql, report: "t")
        #expect(scan.sql == expected, "sql: \(sql)")
        #expect(scan.variables == variables, "sql: \(sql)")
    }

    @Test(arguments: ["SELECT :a", "SELECT * FROM :\"t\"", "SELECT 1 WHERE x = :limit"])
    func rawInterpolationIsRefused(sql: String) {
        #expect(throws: ReportError.self, "sql: \(sql)") { try SQLVariables.scan(sql, report: "t") }
    }

    static let sample = """
        -- Theme trends by week.
        -- Counts sentences.
        --
        --   :since  first day
        --   :theme  the theme
        \\if :{?since} \\else \\set since 2018-01-01 \\endif
        \\if :{?theme} \\else \\set theme 'a b' \\endif

        SELECT :'since'::date, :'theme';
        """

    @Test func headerDefaultsAndParameters() throws {
        let report = try ReportDefinition(name: "trends", source: Self.sample)
        #expect(report.summary == "Theme trends by week.")
        #expect(report.details == "Counts sentences.")
        #expect(report.parameters.map(\.name) == ["since", "theme"])
        #expect(report.parameters.map(\.defaultValue) == ["2018-01-01", "a b"])
        #expect(report.parameters.map(\.help) == ["first day", "the theme"])
        let statement = try report.statement(values: ["theme": "x'; DROP TABLE documents; --"])
        #expect(statement.sql == "SELECT $1::date, $2")
        #expect(statement.arguments == ["2018-01-01", "x'; DROP TABLE documents; --"])
        #expect(throws: ReportError.unknownParameter(report: "trends", name: "sicne", known: ["since", "theme"])) {
            try report.statement(values: ["sicne": "2018"])
        }
    }

    @Test func shippedReportsAreWellFormed() throws {
        let catalog = try ReportCatalog(directory: TestPostgres.repositoryRoot.appendingPathComponent("sql/reports"))
        #expect(catalog.reports.count >= 8)
        for report in catalog.reports {
            #expect(!report.summary.isEmpty, "\(report.name)")
            for parameter in report.parameters {
                #expect(parameter.defaultValue != nil, "\(report.name): \(parameter.name) has a default")
                #expect(!parameter.help.isEmpty, "\(report.name): \(parameter.name) is described")
            }
            _ = try report.statement(values: [:])
        }
        let listing = catalog.listing()
        for report in catalog.reports { #expect(listing.contains(report.summary)) }
    }
}

@Suite struct ReportFormatterTests {
    @Test(arguments: [
        ("abc", 3),                          // ASCII
        ("الأمن", 5),                         // Arabic letters, one column each
        ("الْأَمْنُ", 5),                        // harakat take no column
        ("中文", 4),                          // wide
        ("a\u{200D}b\u{2068}", 2),           // joiner and isolate take none
        ("e\u{0301}", 1),                    // combining acute
        ("😀", 2),                            // emoji presentation
    ])
    func displayWidth(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width, "text: \(text.debugDescription)")
    }

    static let table = ReportTable(
        columns: [.init(name: "theme", kind: .text), .init(name: "sentences", kind: .number), .init(name: "ok", kind: .boolean)],
        rows: [["الأمن ومكافحة الإرهاب", "12", "t"], ["a, \"b\"", "3.5", "f"], [nil, nil, nil], ["中文\nx", "-1", "t"]])

    @Test func tableColumnsLineUp() {
        let lines = ReportFormatter.table(Self.table).split(separator: "\n").map(String.init).dropLast()
        let separators = lines.map { line in
            var columns: [Int] = []
            var width = 0
            for scalar in line.unicodeScalars {
                if scalar == "│" || scalar == "┼" { columns.append(width) }
                width += DisplayWidth.of(scalar)
            }
            return columns
        }
        #expect(Set(separators).count == 1, "\(lines.joined(separator: "\n"))")
        #expect(lines[2].contains("\u{2068}الأمن ومكافحة الإرهاب\u{2069}"), "Arabic isolated")
        #expect(lines[2].hasSuffix("12 │ t"), "numbers right-aligned: \(lines[2])")
    }

    @Test func csvQuotesWhatNeedsIt() {
        #expect(ReportFormatter.csv(Self.table) == "theme,sentences,ok\r\nالأمن ومكافحة الإرهاب,12,t\r\n\"a, \"\"b\"\"\",3.5,f\r\n,,\r\n\"中文\nx\",-1,t\r\n")
    }

    @Test func jsonKeepsTypes() {
        #expect(ReportFormatter.json(Self.table) == """
            [
              {"theme": "الأمن ومكافحة الإرهاب", "sentences": 12, "ok": true},
              {"theme": "a, \\"b\\"", "sentences": 3.5, "ok": false},
              {"theme": null, "sentences": null, "ok": null},
              {"theme": "中文\\nx", "sentences": -1, "ok": true}
            ]

            """)
    }

    @Test func chartIsSelfContainedAndRightToLeft() throws {
        let table = ReportTable(
            columns: [.init(name: "week", kind: .text), .init(name: "theme", kind: .text), .init(name: "sentences", kind: .number)],
            rows: [["2018-03-05", "الأمن", "4"], ["2018-03-05", "الدبلوماسية", "2"], ["2018-03-12", "الأمن", "1"]])
        let html = try StackedChart.html(table, report: "themes-over-time", title: "Themes <by> week")
        #expect(html.contains("<svg"))
        #expect(html.contains(#"direction="rtl""#) && html.contains(#"lang="ar""#))
        #expect(html.contains("Themes &lt;by&gt; week"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("<script"), "no external resources")
        #expect(html.components(separatedBy: "<rect").count - 1 == 1 + 3 + 2, "background, three bars, two swatches")
        #expect(throws: ReportError.self) { try StackedChart.svg(ReportTable(columns: [], rows: []), report: "x", title: "x") }
    }
}
