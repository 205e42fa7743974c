/// One distinct input file, decoded, as extract hands it to transform.
public struct ExtractedDocument: RunRecord, Equatable {
    public var documentID: Int64
    /// SHA-256 of the raw bytes, lower-case hex.
    public var contentSHA256: String
    /// Path relative to the input root it was found under.
    public var sourcePath: String
    public var sourceName: String
    public var encoding: String
    public var byteSize: Int
    /// ISO 8601 UTC timestamp of the file's modification time, when known. Never a publication date.
    public var fileModifiedAt: String?
    /// Publication date (`YYYY-MM-DD`) found in the first lines of the text or in the path.
    public var publishedOn: String?
    /// Where ``publishedOn`` was found: `text` or `path`.
    public var publishedOnOrigin: String?
    /// The decoded text, before any cleanup.
    public var rawText: String
    /// The text after extract cleanup (NFKC, controls removed, line endings unified, trailing spaces trimmed).
    public var text: String

    public init(documentID: Int64, contentSHA256: String, sourcePath: String, sourceName: String, encoding: String,
                byteSize: Int, fileModifiedAt: String?, publishedOn: String? = nil, publishedOnOrigin: String? = nil,
                rawText: String, text: String) {
        self.documentID = documentID
        self.contentSHA256 = contentSHA256
        self.sourcePath = sourcePath
        self.sourceName = sourceName
        self.encoding = encoding
        self.byteSize = byteSize
        self.fileModifiedAt = fileModifiedAt
        self.publishedOn = publishedOn
        self.publishedOnOrigin = publishedOnOrigin
        self.rawText = rawText
        self.text = text
    }

    public static let columns = ["document_id", "content_sha256", "source_path", "source_name", "encoding",
                                 "byte_size", "file_modified_at", "published_on", "published_on_origin", "raw_text", "text"]
    public var fields: [String?] {
        [String(documentID), contentSHA256, sourcePath, sourceName, encoding, String(byteSize), fileModifiedAt,
         publishedOn, publishedOnOrigin, rawText, text]
    }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "extracted document")
        self.init(documentID: try fields.int64(0, "document_id"), contentSHA256: try fields.required(1, "content_sha256"),
                  sourcePath: try fields.required(2, "source_path"), sourceName: try fields.required(3, "source_name"),
                  encoding: try fields.required(4, "encoding"), byteSize: try fields.int(5, "byte_size"),
                  fileModifiedAt: try fields.optional(6, "file_modified_at"), publishedOn: try fields.optional(7, "published_on"),
                  publishedOnOrigin: try fields.optional(8, "published_on_origin"), rawText: try fields.required(9, "raw_text"),
                  text: try fields.required(10, "text"))
        // Text that needed no cleanup is the raw text: keep one copy of it, not two.
        if text.hasSameBytes(as: rawText) { text = rawText }
    }
}

/// A row of the `documents` table, as transform writes it.
public struct DocumentRecord: RunRecord, Equatable {
    public var documentID: Int64
    public var contentSHA256: String
    public var sourcePath: String
    public var sourceName: String
    public var encoding: String
    public var byteSize: Int
    public var fileModifiedAt: String?
    /// ISO date (`YYYY-MM-DD`), when found.
    public var publishedOn: String?
    /// `text` or `path`: where the date was found.
    public var publishedOnOrigin: String?
    public var title: String?
    public var paragraphCount: Int
    public var sentenceCount: Int
    public var linesRemoved: Int
    public var duplicateOf: Int64?
    public var rawText: String
    public var normalizationProfile: String
    /// SHA-256 (hex) of the document's normalized sentences: copies of an article with other chrome or other
    /// bytes share it.
    public var bodyHash: String
    /// MinHash signature over word shingles of the normalized sentences (empty for very short documents).
    public var minhash: [Int64]

    public init(documentID: Int64, contentSHA256: String, sourcePath: String, sourceName: String, encoding: String,
                byteSize: Int, fileModifiedAt: String?, publishedOn: String?, publishedOnOrigin: String? = nil, title: String?,
                paragraphCount: Int, sentenceCount: Int, linesRemoved: Int, duplicateOf: Int64?, rawText: String,
                normalizationProfile: String, bodyHash: String = "", minhash: [Int64] = []) {
        self.documentID = documentID
        self.contentSHA256 = contentSHA256
        self.sourcePath = sourcePath
        self.sourceName = sourceName
        self.encoding = encoding
        self.byteSize = byteSize
        self.fileModifiedAt = fileModifiedAt
        self.publishedOn = publishedOn
        self.publishedOnOrigin = publishedOnOrigin
        self.title = title
        self.paragraphCount = paragraphCount
        self.sentenceCount = sentenceCount
        self.linesRemoved = linesRemoved
        self.duplicateOf = duplicateOf
        self.rawText = rawText
        self.normalizationProfile = normalizationProfile
        self.bodyHash = bodyHash
        self.minhash = minhash
    }

    public static let columns = ["document_id", "content_sha256", "source_path", "source_name", "encoding", "byte_size",
                                 "file_modified_at", "published_on", "published_on_origin", "title", "paragraph_count",
                                 "sentence_count", "lines_removed", "duplicate_of", "raw_text", "normalization_profile", "body_hash", "minhash"]
    public var fields: [String?] {
        [String(documentID), contentSHA256, sourcePath, sourceName, encoding, String(byteSize), fileModifiedAt,
         publishedOn, publishedOnOrigin, title, String(paragraphCount), String(sentenceCount), String(linesRemoved),
         duplicateOf.map { String($0) }, rawText, normalizationProfile, bodyHash,
         minhash.isEmpty ? nil : "{" + minhash.map { String($0) }.joined(separator: ",") + "}"]
    }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "document")
        self.init(documentID: try fields.int64(0, "document_id"), contentSHA256: try fields.required(1, "content_sha256"),
                  sourcePath: try fields.required(2, "source_path"), sourceName: try fields.required(3, "source_name"),
                  encoding: try fields.required(4, "encoding"), byteSize: try fields.int(5, "byte_size"),
                  fileModifiedAt: try fields.optional(6, "file_modified_at"), publishedOn: try fields.optional(7, "published_on"),
                  publishedOnOrigin: try fields.optional(8, "published_on_origin"),
                  title: try fields.optional(9, "title"), paragraphCount: try fields.int(10, "paragraph_count"),
                  sentenceCount: try fields.int(11, "sentence_count"), linesRemoved: try fields.int(12, "lines_removed"),
                  duplicateOf: try fields.optional(13, "duplicate_of").flatMap { Int64($0) },
                  rawText: try fields.required(14, "raw_text"), normalizationProfile: try fields.required(15, "normalization_profile"),
                  bodyHash: try fields.required(16, "body_hash"),
                  minhash: try fields.optional(17, "minhash").map { literal in
                      literal.dropFirst().dropLast().split(separator: ",").compactMap { Int64($0) }
                  } ?? [])
    }
}

/// A sentence of a document.
public struct SentenceRecord: RunRecord, Equatable {
    public var documentID: Int64
    public var ordinal: Int
    public var paragraph: Int
    public var text: String
    public var normalizedText: String
    /// First 8 bytes of the SHA-256 of the normalized text: sentences repeated across documents share it.
    public var normalizedHash: Int64
    /// Where the sentence is in the cleaned text of its document: Unicode scalars [startOffset, endOffset).
    public var startOffset: Int
    public var endOffset: Int
    /// More words than the configured limit: kept whole, flagged for review.
    public var isOverlong: Bool
    /// The light stems of its tokens as the text of a PostgreSQL `tsvector` (`'stem' 'stem'`), for full-text search.
    public var searchVector: String

    public init(documentID: Int64, ordinal: Int, paragraph: Int, text: String, normalizedText: String, normalizedHash: Int64 = 0,
                startOffset: Int = 0, endOffset: Int = 0, isOverlong: Bool = false, searchVector: String = "") {
        self.documentID = documentID
        self.ordinal = ordinal
        self.paragraph = paragraph
        self.text = text
        self.normalizedText = normalizedText
        self.normalizedHash = normalizedHash
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.isOverlong = isOverlong
        self.searchVector = searchVector
    }

    public static let columns = ["document_id", "ordinal", "paragraph", "text", "normalized_text", "normalized_hash",
                                 "start_offset", "end_offset", "is_overlong", "search_vector"]
    public var fields: [String?] {
        [String(documentID), String(ordinal), String(paragraph), text, normalizedText, String(normalizedHash),
         String(startOffset), String(endOffset), isOverlong ? "t" : "f", searchVector]
    }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "sentence")
        self.init(documentID: try fields.int64(0, "document_id"), ordinal: try fields.int(1, "ordinal"),
                  paragraph: try fields.int(2, "paragraph"), text: try fields.required(3, "text"),
                  normalizedText: try fields.required(4, "normalized_text"), normalizedHash: try fields.int64(5, "normalized_hash"),
                  startOffset: try fields.int(6, "start_offset"), endOffset: try fields.int(7, "end_offset"),
                  isOverlong: try fields.required(8, "is_overlong") == "t", searchVector: try fields.required(9, "search_vector"))
    }
}

/// A short head or tail line of a document: what learned chrome is counted from.
public struct EdgeLineRecord: RunRecord, Equatable {
    public var documentID: Int64
    /// SHA-256 (hex) of the normalized line.
    public var lineHash: String
    public var sourceName: String
    public var normalizedText: String
    public var sampleText: String

    public init(documentID: Int64, lineHash: String, sourceName: String, normalizedText: String, sampleText: String) {
        self.documentID = documentID
        self.lineHash = lineHash
        self.sourceName = sourceName
        self.normalizedText = normalizedText
        self.sampleText = sampleText
    }

    public static let columns = ["document_id", "line_hash", "source_name", "normalized_text", "sample_text"]
    public var fields: [String?] { [String(documentID), lineHash, sourceName, normalizedText, sampleText] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "edge line")
        self.init(documentID: try fields.int64(0, "document_id"), lineHash: try fields.required(1, "line_hash"),
                  sourceName: try fields.required(2, "source_name"), normalizedText: try fields.required(3, "normalized_text"),
                  sampleText: try fields.required(4, "sample_text"))
    }
}

/// A theme assigned to a sentence, with its evidence.
public struct SentenceThemeRecord: RunRecord, Equatable {
    public var documentID: Int64
    public var ordinal: Int
    public var themeCode: String
    public var score: Double
    /// The lexicon entries that matched, as written in the configuration.
    public var matchedTerms: [String]
    public var lexiconVersion: String
    /// Token positions [start, end) of each matched entry in the sentence, parallel to ``matchedTerms``.
    public var matchedTokens: [Range<Int>]

    public init(documentID: Int64, ordinal: Int, themeCode: String, score: Double, matchedTerms: [String], lexiconVersion: String,
                matchedTokens: [Range<Int>] = []) {
        self.documentID = documentID
        self.ordinal = ordinal
        self.themeCode = themeCode
        self.score = score
        self.matchedTerms = matchedTerms
        self.lexiconVersion = lexiconVersion
        self.matchedTokens = matchedTokens
    }

    public static let columns = ["document_id", "ordinal", "theme_code", "score", "matched_terms", "lexicon_version", "matched_tokens"]
    public var fields: [String?] {
        [String(documentID), String(ordinal), themeCode, "\(score)", PostgresArrayLiteral.encode(matchedTerms), lexiconVersion,
         PostgresArrayLiteral.encode(matchedTokens.map { "[\($0.lowerBound),\($0.upperBound))" })]
    }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "sentence theme")
        let scoreText = try fields.required(3, "score")
        guard let score = Double(scoreText) else { throw RunRecordError("column score is not a number: \(scoreText)") }
        var ranges: [Range<Int>] = []
        for literal in try PostgresArrayLiteral.decode(try fields.required(6, "matched_tokens")) {
            let bounds = literal.dropFirst().dropLast().split(separator: ",").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] <= bounds[1] else { throw RunRecordError("column matched_tokens has a bad range: \(literal)") }
            ranges.append(bounds[0]..<bounds[1])
        }
        self.init(documentID: try fields.int64(0, "document_id"), ordinal: try fields.int(1, "ordinal"),
                  themeCode: try fields.required(2, "theme_code"), score: score,
                  matchedTerms: try PostgresArrayLiteral.decode(try fields.required(4, "matched_terms")),
                  lexiconVersion: try fields.required(5, "lexicon_version"), matchedTokens: ranges)
    }
}

/// A boilerplate line removed from a document.
public struct RemovedLineRecord: RunRecord, Equatable {
    public var documentID: Int64
    public var lineNumber: Int
    /// SHA-256 (hex) of the boilerplate entry that matched.
    public var lineHash: String
    public var text: String
    /// `line`, `prefix` or `learned`.
    public var rule: String

    public init(documentID: Int64, lineNumber: Int, lineHash: String, text: String, rule: String) {
        self.documentID = documentID
        self.lineNumber = lineNumber
        self.lineHash = lineHash
        self.text = text
        self.rule = rule
    }

    public static let columns = ["document_id", "line_number", "line_hash", "text", "rule"]
    public var fields: [String?] { [String(documentID), String(lineNumber), lineHash, text, rule] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "removed line")
        self.init(documentID: try fields.int64(0, "document_id"), lineNumber: try fields.int(1, "line_number"),
                  lineHash: try fields.required(2, "line_hash"), text: try fields.required(3, "text"),
                  rule: try fields.required(4, "rule"))
    }
}

/// A boilerplate entry of the configuration.
public struct BoilerplateLineRecord: RunRecord, Equatable {
    public var lineHash: String
    public var normalizedText: String
    public var sampleText: String
    /// `configured` or `learned`.
    public var origin: String

    public init(lineHash: String, normalizedText: String, sampleText: String, origin: String) {
        self.lineHash = lineHash
        self.normalizedText = normalizedText
        self.sampleText = sampleText
        self.origin = origin
    }

    public static let columns = ["line_hash", "normalized_text", "sample_text", "origin"]
    public var fields: [String?] { [lineHash, normalizedText, sampleText, origin] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "boilerplate line")
        self.init(lineHash: try fields.required(0, "line_hash"), normalizedText: try fields.required(1, "normalized_text"),
                  sampleText: try fields.required(2, "sample_text"), origin: try fields.required(3, "origin"))
    }
}

/// A theme of the codebook the transform used.
public struct ThemeRecord: RunRecord, Equatable {
    public var code: String
    public var nameArabic: String
    public var nameEnglish: String
    public var description: String
    public var threshold: Double
    public var sortOrder: Int
    public var lexiconVersion: String

    public init(code: String, nameArabic: String, nameEnglish: String, description: String, threshold: Double,
                sortOrder: Int, lexiconVersion: String) {
        self.code = code
        self.nameArabic = nameArabic
        self.nameEnglish = nameEnglish
        self.description = description
        self.threshold = threshold
        self.sortOrder = sortOrder
        self.lexiconVersion = lexiconVersion
    }

    public static let columns = ["theme_code", "name_ar", "name_en", "description", "threshold", "sort_order", "lexicon_version"]
    public var fields: [String?] { [code, nameArabic, nameEnglish, description, "\(threshold)", String(sortOrder), lexiconVersion] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "theme")
        let thresholdText = try fields.required(4, "threshold")
        guard let threshold = Double(thresholdText) else { throw RunRecordError("column threshold is not a number: \(thresholdText)") }
        self.init(code: try fields.required(0, "theme_code"), nameArabic: try fields.required(1, "name_ar"),
                  nameEnglish: try fields.required(2, "name_en"), description: try fields.required(3, "description"),
                  threshold: threshold, sortOrder: try fields.int(5, "sort_order"), lexiconVersion: try fields.required(6, "lexicon_version"))
    }
}

/// An input a stage could not take, and why.
public struct QuarantineRecord: RunRecord, Equatable {
    public var sourcePath: String
    public var contentSHA256: String?
    public var byteSize: Int?
    /// `extract`, `transform` or `load`.
    public var stage: String
    public var reason: String

    public init(sourcePath: String, contentSHA256: String?, byteSize: Int?, stage: String, reason: String) {
        self.sourcePath = sourcePath
        self.contentSHA256 = contentSHA256
        self.byteSize = byteSize
        self.stage = stage
        self.reason = reason
    }

    public static let columns = ["source_path", "content_sha256", "byte_size", "stage", "reason"]
    public var fields: [String?] { [sourcePath, contentSHA256, byteSize.map { String($0) }, stage, reason] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "quarantine")
        self.init(sourcePath: try fields.required(0, "source_path"), contentSHA256: try fields.optional(1, "content_sha256"),
                  byteSize: try fields.optional(2, "byte_size").flatMap { Int($0) }, stage: try fields.required(3, "stage"),
                  reason: try fields.required(4, "reason"))
    }
}

/// PostgreSQL array literals of text (`{"a","b"}`), for `text[]` columns in COPY text format.
public enum PostgresArrayLiteral {
    public static func encode(_ values: [String]) -> String {
        "{" + values.map { value in
            var quoted = "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(character)
            }
            return quoted + "\""
        }.joined(separator: ",") + "}"
    }

    public static func decode(_ literal: String) throws(RunRecordError) -> [String] {
        var scalars = Array(literal.unicodeScalars)
        guard scalars.first == "{", scalars.last == "}" else { throw RunRecordError("not an array literal: \(literal)") }
        scalars = Array(scalars.dropFirst().dropLast())
        var values: [String] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "\"" else { throw RunRecordError("array elements must be quoted: \(literal)") }
            index += 1
            var value = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                value.append(scalars[index])
                index += 1
            }
            guard index < scalars.count else { throw RunRecordError("unterminated array element: \(literal)") }
            index += 1
            values.append(String(value))
            if index < scalars.count {
                guard scalars[index] == "," else { throw RunRecordError("expected , in array literal: \(literal)") }
                index += 1
            }
        }
        return values
    }
}

/// Every file extract looked at and what became of it: the path-to-content map of the run.
public struct SeenFileRecord: RunRecord, Equatable {
    public var sourcePath: String
    public var sourceName: String
    public var contentSHA256: String
    public var byteSize: Int
    /// `new` (written for transform), `known` (already in the warehouse, skipped) or `duplicate` (same
    /// content as an earlier file of this run).
    public var status: String

    public init(sourcePath: String, sourceName: String, contentSHA256: String, byteSize: Int, status: String) {
        self.sourcePath = sourcePath
        self.sourceName = sourceName
        self.contentSHA256 = contentSHA256
        self.byteSize = byteSize
        self.status = status
    }

    public static let columns = ["source_path", "source_name", "content_sha256", "byte_size", "status"]
    public var fields: [String?] { [sourcePath, sourceName, contentSHA256, String(byteSize), status] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "seen file")
        self.init(sourcePath: try fields.required(0, "source_path"), sourceName: try fields.required(1, "source_name"),
                  contentSHA256: try fields.required(2, "content_sha256"), byteSize: try fields.int(3, "byte_size"),
                  status: try fields.required(4, "status"))
    }
}

/// A band key of a document's MinHash signature: documents sharing one are near-duplicate candidates.
public struct DocumentBandRecord: RunRecord, Equatable {
    public var documentID: Int64
    public var bandKey: Int64

    public init(documentID: Int64, bandKey: Int64) {
        self.documentID = documentID
        self.bandKey = bandKey
    }

    public static let columns = ["document_id", "band_key"]
    public var fields: [String?] { [String(documentID), String(bandKey)] }
    public init(fields: [String?]) throws(RunRecordError) {
        try fields.expectCount(Self.columns.count, "document band")
        self.init(documentID: try fields.int64(0, "document_id"), bandKey: try fields.int64(1, "band_key"))
    }
}
