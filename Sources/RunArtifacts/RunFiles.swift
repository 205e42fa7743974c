/// The files of a run directory: what each stage writes and the next one reads.
///
/// ```
/// <run>/extract/documents.tsv      ExtractedDocument   one row per distinct input file
/// <run>/extract/quarantine.tsv     QuarantineRecord    inputs extract could not take
/// <run>/extract/files.tsv          SeenFileRecord      every file read, with its content hash and fate
/// <run>/transform/documents.tsv    DocumentRecord      the documents table's rows
/// <run>/transform/sentences.tsv    SentenceRecord
/// <run>/transform/sentence_themes.tsv  SentenceThemeRecord
/// <run>/transform/removed_lines.tsv    RemovedLineRecord
/// <run>/transform/edge_lines.tsv   EdgeLineRecord      short head and tail lines, counted for learned chrome
/// <run>/transform/document_bands.tsv DocumentBandRecord MinHash band keys, for near-duplicate candidates
/// <run>/transform/boilerplate_lines.tsv BoilerplateLineRecord  configured and learned entries, for the dictionary
/// <run>/transform/themes.tsv       ThemeRecord         the codebook the transform used
/// <run>/transform/quarantine.tsv   QuarantineRecord    documents transform could not take
/// <run>/transform/relearned_documents.tsv ExtractedDocument  warehouse documents transformed again (new chrome)
/// <run>/run.json                   the run's summary
/// ```
/// Every `.tsv` is PostgreSQL COPY text format with the columns in the order the record types list them,
/// so `psql \copy TABLE FROM FILE` reads them too.
public enum RunFile: String, CaseIterable, Sendable {
    case extractedDocuments = "extract/documents.tsv"
    case extractQuarantine = "extract/quarantine.tsv"
    case seenFiles = "extract/files.tsv"
    case documents = "transform/documents.tsv"
    case sentences = "transform/sentences.tsv"
    case sentenceThemes = "transform/sentence_themes.tsv"
    case removedLines = "transform/removed_lines.tsv"
    case edgeLines = "transform/edge_lines.tsv"
    case documentBands = "transform/document_bands.tsv"
    case boilerplateLines = "transform/boilerplate_lines.tsv"
    case themes = "transform/themes.tsv"
    case transformQuarantine = "transform/quarantine.tsv"
    case relearnedDocuments = "transform/relearned_documents.tsv"

    /// The path inside the run directory.
    public var relativePath: String { rawValue }
}

/// A row type of a run file: how it becomes COPY fields and back.
public protocol RunRecord: Sendable {
    /// Column names, in file order (they are the staging table's columns too).
    static var columns: [String] { get }
    /// The row's fields, `nil` for NULL.
    var fields: [String?] { get }
    /// Reads a row; throws a reason when a field is missing or malformed.
    init(fields: [String?]) throws(RunRecordError)
}

/// A row of a run file that does not fit its record type.
public struct RunRecordError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension [String?] {
    /// Field `index`, required non-NULL.
    func required(_ index: Int, _ name: String) throws(RunRecordError) -> String {
        guard index < count else { throw RunRecordError("missing column \(index + 1) (\(name)); the row has \(count)") }
        guard let value = self[index] else { throw RunRecordError("column \(name) is NULL") }
        return value
    }

    func optional(_ index: Int, _ name: String) throws(RunRecordError) -> String? {
        guard index < count else { throw RunRecordError("missing column \(index + 1) (\(name)); the row has \(count)") }
        return self[index]
    }

    func int(_ index: Int, _ name: String) throws(RunRecordError) -> Int {
        let text = try required(index, name)
        guard let value = Int(text) else { throw RunRecordError("column \(name) is not an integer: \(text)") }
        return value
    }

    func int64(_ index: Int, _ name: String) throws(RunRecordError) -> Int64 {
        let text = try required(index, name)
        guard let value = Int64(text) else { throw RunRecordError("column \(name) is not an integer: \(text)") }
        return value
    }

    func expectCount(_ expected: Int, _ type: String) throws(RunRecordError) {
        guard count == expected else { throw RunRecordError("\(type) rows have \(expected) columns, this one has \(count)") }
    }
}
