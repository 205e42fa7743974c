import CopyText
public import Foundation
public import Postgres

/// Streams the loaded sentences of current documents for downstream tools.
///
/// One row per sentence, in document (path) and sentence order: `source_path`, `sentence_no`, `text`,
/// `paragraph`, `normalized_text`, `themes` (codes comma-separated in codebook order, empty for none).
/// Documents marked as duplicates of another, and versions of a path that were replaced by newer content,
/// are left out.
public struct SentenceExport {
    public enum Format: String, CaseIterable, Sendable {
        /// Tab-separated, with tab, newline, carriage return and backslash escaped as `\t` `\n` `\r` `\\`
        /// (PostgreSQL's COPY text format, so `\copy` reads it back).
        case tsv
        /// One JSON object per line.
        case jsonl
    }

    public static let columns = ["source_path", "sentence_no", "text", "paragraph", "normalized_text", "themes"]

    public init() {}

    /// Writes every row to `output`; returns the number of sentences written.
    ///
    /// - Parameter sinceRun: only documents first loaded by this run.
    @discardableResult
    public func write(format: Format, sinceRun: String?, connection: PostgresConnection, to output: FileHandle) throws -> Int {
        var filter = ""
        if let sinceRun {
            let runs = try connection.query("SELECT quote_literal($1) AS literal, EXISTS (SELECT 1 FROM runs WHERE run_id = $1) AS known", [sinceRun])
            guard try runs[0].decode("known", as: Bool.self) else { throw ExportError.unknownRun(sinceRun) }
            filter = "AND d.first_run_id = \(try runs[0].decode("literal", as: String.self))"
        }
        let sql = """
            COPY (
                SELECT c.source_path, s.ordinal, s.text, s.paragraph, s.normalized_text,
                       coalesce((SELECT string_agg(st.theme_code, ',' ORDER BY t.sort_order, st.theme_code)
                                 FROM sentence_themes st JOIN themes t USING (theme_code)
                                 WHERE st.document_id = s.document_id AND st.ordinal = s.ordinal), '')
                FROM current_document_paths c
                JOIN documents d USING (document_id)
                JOIN sentences s USING (document_id)
                WHERE d.duplicate_of IS NULL \(filter)
                ORDER BY c.source_path, s.ordinal
            ) TO STDOUT
            """
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() {
            output.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
        let count = try connection.copyOut(sql) { row in
            switch format {
            case .tsv:
                buffer.append(contentsOf: row)
            case .jsonl:
                let fields = try CopyTextDecoder.decodeRow(row)
                buffer.append(contentsOf: Self.jsonLine(fields).utf8)
            }
            if buffer.count >= 1 << 20 { flush() }
        }
        flush()
        return count
    }

    static func jsonLine(_ fields: [String?]) -> String {
        let value = { (index: Int) in fields.indices.contains(index) ? fields[index] ?? "" : "" }
        let themes = value(5).split(separator: ",").map { JSONText.quoted(String($0)) }.joined(separator: ",")
        return "{\"source_path\":\(JSONText.quoted(value(0))),\"sentence_no\":\(Int(value(1)) ?? 0),\"text\":\(JSONText.quoted(value(2))),"
            + "\"paragraph\":\(Int(value(3)) ?? 0),\"normalized_text\":\(JSONText.quoted(value(4))),\"themes\":[\(themes)]}\n"
    }
}

public enum ExportError: Error, CustomStringConvertible {
    case unknownRun(String)
    public var description: String {
        switch self {
        case .unknownRun(let run): "no run '\(run)' in the warehouse (see: SELECT run_id FROM runs ORDER BY started_at)"
        }
    }
}
