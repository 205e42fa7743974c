import CopyText
import Foundation

/// Prints a ``ReportTable`` as an aligned terminal table, CSV or JSON.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, csv, json, html, svg
}

public enum ReportFormatter {
    /// An aligned table for a terminal.
    ///
    /// Widths are display widths (``DisplayWidth``). A cell holding right-to-left text is wrapped in Unicode
    /// isolates (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), zero-width, so that a terminal
    /// that applies the bidi algorithm reorders the Arabic inside its cell and leaves the column order alone.
    /// Numbers are right-aligned. Line breaks and tabs inside a value print as spaces.
    ///
    /// - Parameters:
    ///   - maxWidth: Longest cell in columns before it is cut with `…`; 0 for no limit.
    ///   - isolates: Whether to wrap right-to-left cells in isolates.
    public static func table(_ table: ReportTable, maxWidth: Int = 60, isolates: Bool = true) -> String {
        func clean(_ value: String?) -> String {
            let flat = (value ?? "").map { $0 == "\n" || $0 == "\r\n" || $0 == "\t" || $0 == "\r" ? " " : String($0) }.joined()
            return DisplayWidth.truncate(flat, to: maxWidth)
        }
        let header = table.columns.map { clean($0.name) }
        let body = table.rows.map { $0.map(clean) }
        var widths = header.map(DisplayWidth.of)
        for row in body {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        func line(_ cells: [String], header: Bool) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell))
                let shown = isolates && DisplayWidth.hasRightToLeft(cell) ? "\u{2068}\(cell)\u{2069}" : cell
                return !header && table.columns[index].kind == .number ? padding + shown : shown + padding
            }.joined(separator: " │ ").replacing(#/ +$/#, with: "")
        }
        var lines = [line(header, header: true), widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─")]
        lines += body.map { line($0, header: false) }
        lines.append("(\(table.rows.count) row\(table.rows.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header line: fields with a comma, quote or line break are quoted; NULL is empty.
    public static func csv(_ table: ReportTable) -> String {
        func field(_ value: String?) -> String {
            guard let value else { return "" }
            if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return value
        }
        var lines = [table.columns.map { field($0.name) }.joined(separator: ",")]
        lines += table.rows.map { $0.map(field).joined(separator: ",") }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A JSON array with one object per row, keys in column order; numbers and booleans bare, NULL as null,
    /// json columns embedded as they are.
    public static func json(_ table: ReportTable) -> String {
        let objects = table.rows.map { row in
            "  {" + zip(table.columns, row).map { column, value in
                JSONText.quoted(column.name) + ": " + jsonValue(value, kind: column.kind)
            }.joined(separator: ", ") + "}"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func jsonValue(_ value: String?, kind: ReportTable.Kind) -> String {
        guard let value else { return "null" }
        switch kind {
        case .number:
            return Double(value).map { $0.isFinite } == true ? value : JSONText.quoted(value)
        case .boolean:
            return value == "t" ? "true" : value == "f" ? "false" : JSONText.quoted(value)
        case .json:
            return value
        case .text:
            return JSONText.quoted(value)
        }
    }

}
