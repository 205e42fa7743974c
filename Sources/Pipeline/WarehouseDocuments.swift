import CopyText
public import Extract
public import Foundation
public import Postgres
import RunArtifacts

/// The warehouse's own documents as an extract stage's output, so a configuration change (a lexicon edit, a
/// new boilerplate line) can re-label the whole warehouse without the input files: `bayan run --from
/// transform --full-refresh`.
///
/// Each document's raw text is read back (it is kept for exactly this) and cleaned as extract cleans a file.
public enum WarehouseDocuments {
    /// Writes `extract/documents.tsv` (and empty quarantine and file lists) into `runDirectory`: every
    /// document, copies included (a re-labelling can change which documents are copies).
    public static func extract(from connection: PostgresConnection, into runDirectory: URL) throws -> ExtractSummary {
        let summary = try write(from: connection, where: "true",
                                to: runDirectory.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        try RunFileWriter<QuarantineRecord>(url: runDirectory.appendingPathComponent(RunFile.extractQuarantine.relativePath)).finish()
        try RunFileWriter<SeenFileRecord>(url: runDirectory.appendingPathComponent(RunFile.seenFiles.relativePath)).finish()
        return summary
    }

    /// Writes the documents `condition` (SQL over `documents d`) selects, as extract records, to `url`.
    public static func write(from connection: PostgresConnection, where condition: String, to url: URL) throws -> ExtractSummary {
        let documents = try RunFileWriter<ExtractedDocument>(url: url)
        var summary = ExtractSummary()
        try connection.copyOutRows("""
            COPY (SELECT document_id, encode(content_sha256, 'hex'), source_path, source_name, encoding, byte_size,
                         to_char(file_modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), published_on, published_on_origin, raw_text
                  FROM documents d WHERE \(condition) ORDER BY loaded_at, source_path, document_id) TO STDOUT
            """) { fields in
            guard fields.count == 10, let id = fields[0].flatMap({ Int64($0) }), let hash = fields[1], let path = fields[2],
                  let source = fields[3], let encoding = fields[4], let size = fields[5].flatMap({ Int($0) }), let raw = fields[9] else {
                throw RunFileError(path: "documents", reason: "a document row read back from the warehouse is incomplete")
            }
            try documents.write(ExtractedDocument(
                documentID: id, contentSHA256: hash, sourcePath: path, sourceName: source, encoding: encoding, byteSize: size,
                fileModifiedAt: fields[6], publishedOn: fields[7], publishedOnOrigin: fields[8], rawText: raw, text: TextCleanup.clean(raw)))
            summary.documents += 1
            summary.bytesRead += size
        }
        try documents.finish()
        return summary
    }
}
