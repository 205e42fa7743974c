public import Foundation

/// A shipped report: one `.sql` file under `sql/reports/`, runnable both by `psql -f` and by `bayan report`.
///
/// The file starts with a comment block: its first line is the summary, the lines up to the first blank
/// comment line are the description, and lines of the form `--   :name  what it is` describe the parameters.
/// Each parameter gets its default the way psql scripts do:
///
/// ```sql
/// \if :{?theme} \else \set theme security \endif
/// SELECT … WHERE theme_code = :'theme';
/// ```
///
/// `bayan report` drops the psql meta-commands and sends the query with every `:'name'` replaced by a
/// placeholder (`$1`, `$2` …), the value travelling separately: a value never becomes SQL text.
///
/// - Important: Only the quoted form `:'name'` is accepted. psql's raw `:name` splices the value into the SQL
///   text, so a report using it is refused (``ReportError/rawInterpolation(report:variable:)``).
public struct ReportDefinition: Sendable, Equatable {
    /// A parameter of a report.
    public struct Parameter: Sendable, Equatable {
        public var name: String
        /// The value `\set` gives it when none is passed.
        public var defaultValue: String?
        /// What it is, from the header comment.
        public var help: String
    }

    /// The file name without `.sql`: what `bayan report NAME` takes.
    public var name: String
    /// The header comment's first line.
    public var summary: String
    /// The header comment's first paragraph after the summary.
    public var details: String
    public var parameters: [Parameter]
    /// The query, psql meta-commands removed, `:'name'` still in it.
    public var query: String

    /// Reads a report from the text of its file.
    ///
    /// - Throws: ``ReportError`` when the file has no header comment, no query, or a raw `:name` variable.
    public init(name: String, source: String) throws(ReportError) {
        self.name = name
        var header: [String] = []
        var inHeader = true
        var defaults: [String: String] = [:]
        var queryLines: [String] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inHeader, trimmed.hasPrefix("--") {
                header.append(String(trimmed.dropFirst(2)))
                continue
            }
            inHeader = false
            if trimmed.hasPrefix("\\") {
                for (variable, value) in Self.settings(in: trimmed) where defaults[variable] == nil { defaults[variable] = value }
                continue
            }
            queryLines.append(line)
        }
        var summary = ""
        var details: [String] = []
        var helps: [(String, String)] = []
        var paragraph = 0
        for raw in header {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let match = line.wholeMatch(of: /:([A-Za-z_][A-Za-z0-9_]*)\s+(.*)/) {
                helps.append((String(match.1), String(match.2)))
            } else if line.isEmpty {
                if !summary.isEmpty { paragraph += 1 }
            } else if summary.isEmpty {
                summary = line
            } else if paragraph <= 1 && helps.isEmpty {
                details.append(line)
            }
        }
        guard !summary.isEmpty else { throw .noHeader(report: name) }
        self.summary = summary
        self.details = details.joined(separator: " ")
        var query = queryLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        while query.hasSuffix(";") { query = String(query.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !query.isEmpty else { throw .noQuery(report: name) }
        self.query = query
        let used = try SQLVariables.scan(query, report: name).variables
        var names = helps.map(\.0)
        for variable in used where !names.contains(variable) { names.append(variable) }
        for variable in defaults.keys.sorted() where !names.contains(variable) { names.append(variable) }
        let helpByName = Dictionary(helps, uniquingKeysWith: { first, _ in first })
        self.parameters = names.map { Parameter(name: $0, defaultValue: defaults[$0], help: helpByName[$0] ?? "") }
    }

    /// The `\set name value` commands of one meta-command line (e.g. `\if :{?x} \else \set x 5 \endif`).
    static func settings(in line: String) -> [(String, String)] {
        var result: [(String, String)] = []
        for piece in line.components(separatedBy: "\\").dropFirst() {
            let words = piece.trimmingCharacters(in: .whitespaces)
            guard words.hasPrefix("set ") else { continue }
            let rest = words.dropFirst(4).trimmingCharacters(in: .whitespaces)
            guard let space = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
                if !rest.isEmpty { result.append((rest, "")) }
                continue
            }
            let variable = String(rest[..<space])
            var value = rest[space...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            }
            result.append((variable, value))
        }
        return result
    }

    /// The query with placeholders and the values that go with them.
    ///
    /// - Parameter values: Values by parameter name; parameters not given take their default.
    /// - Throws: ``ReportError/unknownParameter(report:name:known:)`` for a name the report does not have,
    ///   ``ReportError/missingParameter(report:name:)`` for a parameter with neither value nor default.
    public func statement(values: [String: String]) throws(ReportError) -> (sql: String, arguments: [String]) {
        let known = parameters.map(\.name)
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownParameter(report: name, name: unknown, known: known)
        }
        let scan = try SQLVariables.scan(query, report: name)
        var arguments: [String] = []
        for variable in scan.variables {
            guard let value = values[variable] ?? parameters.first(where: { $0.name == variable })?.defaultValue else {
                throw .missingParameter(report: name, name: variable)
            }
            arguments.append(value)
        }
        return (scan.sql, arguments)
    }
}

/// Why a report could not be read or run.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case noHeader(report: String)
    case noQuery(report: String)
    case rawInterpolation(report: String, variable: String)
    case unknownParameter(report: String, name: String, known: [String])
    case missingParameter(report: String, name: String)
    case unknownReport(name: String, known: [String])
    case badParameterSyntax(String)
    case unreadableDirectory(path: String)
    case chartShape(report: String, reason: String)

    public var description: String {
        switch self {
        case .noHeader(let report): return "report \(report): the file must start with a comment line that says what it shows"
        case .noQuery(let report): return "report \(report): no query after the header"
        case .rawInterpolation(let report, let variable):
            return "report \(report): :\(variable) splices a value into the SQL text; write :'\(variable)' (a literal) and cast it"
        case .unknownParameter(let report, let name, let known):
            return "report \(report) has no parameter '\(name)'" + (known.isEmpty ? " (it takes none)" : "; it takes: \(known.joined(separator: ", "))")
        case .missingParameter(let report, let name): return "report \(report) needs --param \(name)=VALUE"
        case .unknownReport(let name, let known): return "no report named '\(name)'; shipped reports: \(known.joined(separator: ", "))"
        case .badParameterSyntax(let text): return "--param takes NAME=VALUE, got '\(text)'"
        case .unreadableDirectory(let path): return "cannot read reports from \(path)"
        case .chartShape(let report, let reason): return "report \(report) cannot be drawn: \(reason)"
        }
    }
}

/// Finds psql variables in SQL text outside literals, quoted identifiers and comments.
enum SQLVariables {
    struct Scan {
        /// The SQL with each `:'name'` replaced by `$n` (the same n for the same name).
        var sql: String
        /// Variable names in order of first use: `$1` is the first.
        var variables: [String]
    }

    static func scan(_ sql: String, report: String) throws(ReportError) -> Scan {
        let characters = Array(sql)
        var output = ""
        var variables: [String] = []
        var index = 0
        func isIdentifierStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
        func isIdentifierPart(_ c: Character) -> Bool { isIdentifierStart(c) || (c.isASCII && c.isNumber) }
        func copy(until end: Int) {
            output.append(contentsOf: characters[index..<min(end, characters.count)])
            index = min(end, characters.count)
        }
        while index < characters.count {
            let c = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch c {
            case "-" where next == "-":
                var end = index
                while end < characters.count && characters[end] != "\n" { end += 1 }
                copy(until: end)
            case "/" where next == "*":
                var depth = 0
                var end = index
                repeat {
                    if end + 1 < characters.count && characters[end] == "/" && characters[end + 1] == "*" { depth += 1; end += 2 }
                    else if end + 1 < characters.count && characters[end] == "*" && characters[end + 1] == "/" { depth -= 1; end += 2 }
                    else { end += 1 }
                } while depth > 0 && end < characters.count
                copy(until: end)
            case "'", "\"":
                // A literal or quoted identifier; a doubled quote stays inside. E'…' strings also escape with backslash.
                let escapes = c == "'" && index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                var end = index + 1
                while end < characters.count {
                    if escapes && characters[end] == "\\" { end += 2; continue }
                    if characters[end] == c {
                        if end + 1 < characters.count && characters[end + 1] == c { end += 2; continue }
                        break
                    }
                    end += 1
                }
                copy(until: end + 1)
            case "$" where next != nil && (next == "$" || isIdentifierStart(next!)):
                // A dollar-quoted string $tag$…$tag$ (or a positional $1, which has no closing tag).
                var end = index + 1
                while end < characters.count && isIdentifierPart(characters[end]) { end += 1 }
                if end < characters.count && characters[end] == "$" {
                    let tag = String(characters[index...end])
                    let rest = String(characters[(end + 1)...])
                    if let close = rest.range(of: tag) {
                        copy(until: end + 1 + rest.distance(from: rest.startIndex, to: close.upperBound))
                    } else {
                        copy(until: characters.count)
                    }
                } else {
                    copy(until: end)
                }
            case ":" where next == ":":
                copy(until: index + 2)
            case ":" where next == "'" || next == "\"":
                let quote = next!
                var end = index + 2
                while end < characters.count && isIdentifierPart(characters[end]) { end += 1 }
                guard end < characters.count, characters[end] == quote, end > index + 2 else {
                    copy(until: index + 1)
                    continue
                }
                let variable = String(characters[(index + 2)..<end])
                guard quote == "'" else { throw .rawInterpolation(report: report, variable: "\"\(variable)\"") }
                if !variables.contains(variable) { variables.append(variable) }
                output.append("$\(variables.firstIndex(of: variable)! + 1)")
                index = end + 1
            case ":" where next != nil && isIdentifierStart(next!):
                var end = index + 1
                while end < characters.count && isIdentifierPart(characters[end]) { end += 1 }
                throw .rawInterpolation(report: report, variable: String(characters[(index + 1)..<end]))
            default:
                output.append(c)
                index += 1
            }
        }
        return Scan(sql: output, variables: variables)
    }
}

/// The shipped reports of a directory.
public struct ReportCatalog: Sendable {
    public var directory: URL
    public var reports: [ReportDefinition]

    /// Reads every `*.sql` file of `directory`, sorted by name.
    public init(directory: URL) throws {
        self.directory = directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw ReportError.unreadableDirectory(path: directory.path)
        }
        reports = try names.filter { $0.hasSuffix(".sql") }.sorted().map { file in
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return try ReportDefinition(name: String(file.dropLast(4)), source: text)
        }
    }

    public func report(named name: String) throws(ReportError) -> ReportDefinition {
        guard let report = reports.first(where: { $0.name == name }) else {
            throw .unknownReport(name: name, known: reports.map(\.name))
        }
        return report
    }

    /// `bayan report --list`: every report with its summary, details and parameters.
    public func listing() -> String {
        var lines: [String] = []
        for report in reports {
            lines.append("\(report.name)")
            lines.append("    \(report.summary)")
            if !report.details.isEmpty { lines.append("    \(report.details)") }
            for parameter in report.parameters {
                let value = parameter.defaultValue.map { " (default: \($0.isEmpty ? "''" : $0))" } ?? ""
                lines.append("      --param \(parameter.name)=…  \(parameter.help)\(value)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
