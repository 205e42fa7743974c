import ArabicText
import Foundation
import Postgres

/// Minimal warehouse rows for tests that need a document or a sentence without running the pipeline.
enum SampleRows {
    static let runID = "test-run"

    static func ensureRun(on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO runs (run_id, started_at, finished_at, status, stages, files_seen)
            VALUES ($1, now() - interval '1 minute', now(), 'succeeded', '{extract,transform,load}', 1)
            ON CONFLICT DO NOTHING
            """, [runID])
    }

    /// Inserts a document (id `documentID`) holding one sentence each of `sentences`.
    static func insertDocument(_ documentID: Int64, sentences: [String], source: String = "test-source",
                               publishedOn: String? = "2018-03-05", duplicateOf: Int64? = nil,
                               on connection: PostgresConnection) throws {
        try ensureRun(on: connection)
        var hash = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: documentID.bigEndian) { for (index, byte) in $0.enumerated() { hash[index] = byte } }
        let hex = hash.map { String(format: "%02x", $0) }.joined()
        try connection.query("""
            INSERT INTO documents (document_id, content_sha256, source_path, source_name, encoding, byte_size, published_on,
                                   published_on_origin, title, paragraph_count, sentence_count, lines_removed, raw_text,
                                   normalization_profile, first_run_id, duplicate_of, duplicate_similarity)
            VALUES ($1, decode($2, 'hex'), $3, $4, 'UTF-8', 10, $5::date, CASE WHEN $5::date IS NULL THEN NULL ELSE 'path' END,
                    $6, 1, $7, 0, $8, 'default-1', $9, $10::bigint, CASE WHEN $10::bigint IS NULL THEN NULL ELSE 1 END)
            """, [documentID, hex, "\(source)/\(documentID).txt", source, publishedOn, sentences.first ?? "title",
                  duplicateOf == nil ? sentences.count : 0, sentences.joined(separator: "\n"), runID, duplicateOf])
        guard duplicateOf == nil else { return }
        for (index, sentence) in sentences.enumerated() {
            try connection.query("""
                INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash)
                VALUES ($1, $2, 1, $3, $4, ('x' || encode(substring(sha256(convert_to($4, 'UTF8')) FROM 1 FOR 8), 'hex'))::bit(64)::bigint)
                """, [documentID, index + 1, sentence, ArabicNormalizer().normalize(sentence)])
        }
    }

    static func insertSentence(_ sentence: String, on connection: PostgresConnection) throws {
        try insertDocument(1, sentences: [sentence], on: connection)
    }

    static func insertTheme(_ code: String, on connection: PostgresConnection) throws {
        try connection.query("""
            INSERT INTO themes (theme_code, name_ar, name_en, description, threshold, sort_order, lexicon_version)
            VALUES ($1, $1, $1, 'test', 1, 1, 'v') ON CONFLICT DO NOTHING
            """, [code])
    }

    static func label(_ documentID: Int64, _ ordinal: Int, theme: String, on connection: PostgresConnection) throws {
        try insertTheme(theme, on: connection)
        try connection.query("""
            INSERT INTO sentence_themes (document_id, ordinal, theme_code, score, matched_terms, lexicon_version)
            VALUES ($1, $2, $3, 1, '{term}', 'v')
            """, [documentID, ordinal, theme])
    }
}
