import ArabicText
import Crypto
import Dispatch
import Synchronization
public import Foundation
public import Logging
public import RunArtifacts

/// What transform did.
public struct TransformSummary: Sendable, Equatable, Codable {
    public var documents = 0
    public var sentences = 0
    public var themeHits = 0
    public var linesRemoved = 0
    /// Lines removed because they were learned as chrome (part of ``linesRemoved``).
    public var linesRemovedLearned = 0
    /// Distinct lines learned as chrome that removed something in this run.
    public var learnedLines = 0
    public var quarantined = 0
    /// Documents already in the warehouse transformed again because a head or tail line of theirs became
    /// learned chrome or stopped being chrome, or the copy they were linked to changed or left.
    public var relearned = 0

    public init() {}

    // A run directory written before `relearned` existed still reads (resuming such a run).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        documents = try value(.documents)
        sentences = try value(.sentences)
        themeHits = try value(.themeHits)
        linesRemoved = try value(.linesRemoved)
        linesRemovedLearned = try value(.linesRemovedLearned)
        learnedLines = try value(.learnedLines)
        quarantined = try value(.quarantined)
        relearned = try value(.relearned)
    }
}

/// The transform stage: removes page boilerplate (configured and learned), splits sentences, normalizes
/// them for matching and classifies them into themes. Reads `extract/documents.tsv` twice (once to count the
/// short head and tail lines, once to transform), writes the `transform/` files; one document is in memory
/// at a time.
public struct Transformer: Sendable {
    let configuration: TransformConfiguration
    let logger: Logger
    let normalizer: ArabicNormalizer
    let segmenter: SentenceSegmenter
    let minHasher: MinHasher
    /// Counts of head and tail lines from earlier runs (the warehouse's `line_counts`).
    let priorLines: LineStatistics

    /// Counts of the documents leaving the warehouse with this run (`--mirror`), taken off `priorLines`.
    let departedLines: LineStatistics

    public init(configuration: TransformConfiguration, logger: Logger, priorLines: LineStatistics = LineStatistics(),
                departedLines: LineStatistics = LineStatistics()) {
        self.configuration = configuration
        self.logger = logger
        self.normalizer = ArabicNormalizer()
        self.segmenter = SentenceSegmenter(maxWords: configuration.maxSentenceWords)
        self.minHasher = MinHasher()
        self.priorLines = priorLines
        self.departedLines = departedLines
    }

    /// Transforms a run directory whose extract stage is complete.
    ///
    /// - Parameters:
    ///   - inputCounted: the documents are already in the warehouse and their head and tail lines in
    ///     `priorLines` (a re-labelling of the warehouse): they are not counted a second time.
    ///   - progress: told how many documents are done, a few times a second (none by
    ///     default); the totals are known when chrome learning counted the documents first.
    ///   - jobs: threads transforming documents (default: one per core), beside the calling thread, which reads and
    ///     writes the run files; the output does not depend on it.
    ///   - relearn: told, once this run's lines are counted, which lines changed their learned-chrome decision
    ///     for a source (``ChromeLearner/flips(settings:before:after:)``) and which documents this run holds;
    ///     returns a file of documents already in the warehouse to transform again with the new decisions
    ///     (their lines are counted already), or nil.
    public func run(runDirectory: URL, inputCounted: Bool = false, progress: ProgressHandler? = nil,
                    jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                    relearn: ((_ flips: [LineFlip], _ documents: Set<Int64>) throws -> URL?)? = nil) throws -> TransformSummary {
        let input = runDirectory.appendingPathComponent(RunFile.extractedDocuments.relativePath)
        guard FileManager.default.fileExists(atPath: input.path) else {
            throw RunFileError(path: input.path, reason: "missing: run the extract stage first")
        }
        // Pass 1: count this run's head and tail lines, on top of what earlier runs counted.
        var statistics = priorLines
        statistics.subtract(departedLines)
        let learning = configuration.boilerplate.learning
        var totals: (documents: Int, bytes: Int)?
        var inputs = [input]
        if learning.enabled && !inputCounted {
            totals = (0, 0)
            var documents = Set<Int64>()
            let boilerplate = configuration.boilerplate, normalizer = normalizer
            let counter = OrderedChunkMapper<ExtractedDocument, [EdgeLine]>(jobs: jobs, map: { extracted in
                EdgeLines.candidates(of: extracted.text, settings: learning, boilerplate: boilerplate, normalizer: normalizer)
            }) { chunk, candidates in
                for (extracted, lines) in zip(chunk, candidates) {
                    totals?.documents += 1
                    totals?.bytes += extracted.byteSize
                    documents.insert(extracted.documentID)
                    statistics.addDocuments(source: extracted.sourceName)
                    for line in lines { statistics.add(lineHash: line.hash, source: extracted.sourceName) }
                }
            }
            try Self.forEachChunk(of: [input], jobs: jobs) { try counter.submit($0) }
            try counter.finish()
            if let relearn, let again = try relearn(ChromeLearner.flips(settings: learning, before: priorLines, after: statistics), documents) {
                inputs.append(again)
                totals = nil
            }
        }
        var summary = try transformAll(inputs: inputs, runDirectory: runDirectory,
                                       learner: ChromeLearner(settings: learning, statistics: statistics),
                                       progress: ProgressReporter(handler: progress), totals: totals, jobs: max(1, jobs))
        if inputs.count > 1 {
            try RunFileReader(url: inputs[1]).forEachLine { _, _ in summary.relearned += 1 }
        }
        return summary
    }

    private func transformAll(inputs: [URL], runDirectory: URL, learner: ChromeLearner, progress: ProgressReporter,
                              totals: (documents: Int, bytes: Int)?, jobs: Int) throws -> TransformSummary {
        var progress = progress
        var done = (documents: 0, bytes: 0)
        func event(finished: Bool) -> ProgressEvent {
            ProgressEvent(stage: "transform", unit: "documents", itemsDone: done.documents, itemsTotal: totals?.documents,
                          bytesDone: done.bytes, bytesTotal: totals?.bytes, finished: finished)
        }
        func writer<R: RunRecord>(_ file: RunFile, _ type: R.Type) throws -> RunFileWriter<R> {
            try RunFileWriter<R>(url: runDirectory.appendingPathComponent(file.relativePath))
        }
        let documents = try writer(.documents, DocumentRecord.self)
        let edgeLines = try writer(.edgeLines, EdgeLineRecord.self)
        let bands = try writer(.documentBands, DocumentBandRecord.self)
        var learned: [String: BoilerplateLineRecord] = [:]
        let sentences = try writer(.sentences, SentenceRecord.self)
        let sentenceThemes = try writer(.sentenceThemes, SentenceThemeRecord.self)
        let removedLines = try writer(.removedLines, RemovedLineRecord.self)
        let quarantine = try writer(.transformQuarantine, QuarantineRecord.self)
        var summary = TransformSummary()

        // Documents are transformed a chunk at a time on `jobs` threads and written in input order, so the output
        // is the same byte for byte whatever the parallelism; this thread reads the next chunk and writes the one
        // before while they work.
        let mapper = OrderedChunkMapper<ExtractedDocument, DocumentResult>(jobs: jobs, map: { [self] extracted in
            transform(extracted, learner: learner)
        }) { chunk, results in
            try Interruption.check()
            for (extracted, result) in zip(chunk, results) {
                done.documents += 1
                done.bytes += extracted.byteSize
                progress.report(event(finished: false))
                if let reason = result.quarantineReason {
                    summary.quarantined += 1
                    logger.warning("quarantined", metadata: ["file.path": "\(extracted.sourcePath)", "quarantine.reason": "\(reason)"])
                    try quarantine.write(QuarantineRecord(sourcePath: extracted.sourcePath, contentSHA256: extracted.contentSHA256,
                                                          byteSize: extracted.byteSize, stage: "transform", reason: reason))
                    continue
                }
                try documents.write(result.document)
                for sentence in result.sentences { try sentences.write(sentence) }
                for hit in result.themes { try sentenceThemes.write(hit) }
                for line in result.removed { try removedLines.write(line) }
                for line in result.edgeLines { try edgeLines.write(line) }
                let signature = result.document.minhash.map { UInt32(truncatingIfNeeded: $0) }
                if !signature.isEmpty {
                    for key in minHasher.bandKeys(signature) { try bands.write(DocumentBandRecord(documentID: result.document.documentID, bandKey: key)) }
                }
                for entry in result.learnedEntries where learned[entry.lineHash] == nil { learned[entry.lineHash] = entry }
                summary.linesRemovedLearned += result.removed.filter { $0.rule == "learned" }.count
                summary.documents += 1
                summary.sentences += result.sentences.count
                summary.themeHits += result.themes.count
                summary.linesRemoved += result.removed.count
            }
        }
        try Self.forEachChunk(of: inputs, jobs: jobs) { try mapper.submit($0) }
        try mapper.finish()
        for file in [documents.finish, sentences.finish, sentenceThemes.finish, removedLines.finish, edgeLines.finish, bands.finish, quarantine.finish] { try file() }
        progress.report(event(finished: true))
        summary.learnedLines = learned.count
        try writeDictionaries(runDirectory, learned: learned.values.sorted { $0.lineHash < $1.lineHash })
        logger.info("transform finished", metadata: [
            "transform.documents": "\(summary.documents)", "transform.sentences": "\(summary.sentences)",
            "transform.theme_hits": "\(summary.themeHits)", "transform.lines_removed": "\(summary.linesRemoved)",
            "transform.learned_lines": "\(summary.learnedLines)",
        ])
        return summary
    }

    /// The extracted documents of `inputs` in chunks of `64 × jobs` documents or 16 MiB of text, whichever is
    /// reached first: enough to keep `jobs` threads busy, and memory bounded whatever the input's size.
    static func forEachChunk(of inputs: [URL], jobs: Int, _ body: ([ExtractedDocument]) throws -> Void) throws {
        var chunk: [ExtractedDocument] = []
        var chunkBytes = 0
        for input in inputs {
            try RunFileReader(url: input).forEach(ExtractedDocument.self) { extracted in
                chunk.append(extracted)
                chunkBytes += extracted.text.utf8.count
                if chunk.count >= 64 * max(1, jobs) || chunkBytes >= 16 << 20 {
                    try body(chunk)
                    chunk = []
                    chunkBytes = 0
                }
            }
        }
        if !chunk.isEmpty { try body(chunk) }
    }

    /// The boilerplate entries (configured, and learned in this run) and the codebook, so load can sync them
    /// without reading config.
    private func writeDictionaries(_ runDirectory: URL, learned: [BoilerplateLineRecord]) throws {
        let boilerplate = try RunFileWriter<BoilerplateLineRecord>(url: runDirectory.appendingPathComponent(RunFile.boilerplateLines.relativePath))
        for entry in configuration.boilerplate.entries {
            try boilerplate.write(BoilerplateLineRecord(lineHash: entry.hash, normalizedText: entry.normalized, sampleText: entry.text, origin: "configured"))
        }
        for entry in learned { try boilerplate.write(entry) }
        try boilerplate.finish()
        let themes = try RunFileWriter<ThemeRecord>(url: runDirectory.appendingPathComponent(RunFile.themes.relativePath))
        for (order, theme) in configuration.themes.themes.enumerated() {
            try themes.write(ThemeRecord(code: theme.code, nameArabic: theme.nameArabic, nameEnglish: theme.nameEnglish,
                                         description: theme.description, threshold: theme.threshold, sortOrder: order + 1,
                                         lexiconVersion: configuration.themes.version))
        }
        try themes.finish()
    }

    /// The rows one document gives.
    public struct DocumentResult: Sendable {
        public var document: DocumentRecord
        public var sentences: [SentenceRecord]
        public var themes: [SentenceThemeRecord]
        public var removed: [RemovedLineRecord]
        /// The document's short head and tail lines (counted by load for later runs).
        public var edgeLines: [EdgeLineRecord]
        /// Learned entries that removed lines of this document.
        public var learnedEntries: [BoilerplateLineRecord]
        /// Why the document is quarantined instead of loaded: nothing left once boilerplate is removed, or no
        /// word in what is left (see ``TextWithoutWords``); nil for a document to load.
        public var quarantineReason: String? = nil
    }

    /// `line` without the blanks at its ends (tab, the space separators of Unicode category Zs and the zero-width
    /// space: what Foundation's `CharacterSet.whitespaces` holds), without going through Foundation's copies.
    static func trimmingBlanks(_ line: Substring) -> String {
        func isBlank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = line.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// Transforms one document (pure: no I/O).
    ///
    /// The headline (the first non-empty line that is not boilerplate) is paragraph 0. Paragraphs follow the
    /// file: when it separates them with blank lines, a paragraph is a block of lines between blank lines; when
    /// it puts one paragraph on each line, every line is one. A removed boilerplate line also ends a paragraph.
    /// Sentences split at `.` `!` `?` `؟` and line ends.
    public func transform(_ extracted: ExtractedDocument) -> DocumentResult {
        transform(extracted, learner: nil)
    }

    /// Transforms one document, removing the lines `learner` knows as chrome too.
    func transform(_ extracted: ExtractedDocument, learner: ChromeLearner?) -> DocumentResult {
        var sentences: [SentenceRecord] = []
        var themes: [SentenceThemeRecord] = []
        var removed: [RemovedLineRecord] = []
        var title: String?
        let id = extracted.documentID

        // Lines kept (with their 1-based number), and breaks where blank or removed lines were.
        enum Item { case line(String, offset: Int, normalized: String), blank, removed }
        var items: [Item] = []
        // Split, trim and normalize each line once, on the text's bytes: boilerplate matching and the edge-line
        // candidates both use it.
        var nonEmpty: [(number: Int, text: String)] = []
        var normalizedLines: [String] = []
        // Per line: its index in nonEmpty (nil when blank), its length in scalars, its leading spaces and tabs.
        var rawLines: [(nonEmptyIndex: Int?, scalars: Int, leading: Int)] = []
        UTF8Scalars.withUTF8(extracted.text) { utf8 in
            for line in TextLines.lines(utf8) {
                var leading = 0
                while line.bytes.lowerBound + leading < line.bytes.upperBound,
                      utf8[line.bytes.lowerBound + leading] == 0x20 || utf8[line.bytes.lowerBound + leading] == 0x09 {
                    leading += 1
                }
                let scalars = TextLines.scalarCount(utf8, line.bytes)
                guard !line.trimmed.isEmpty else {
                    rawLines.append((nil, scalars, leading))
                    continue
                }
                rawLines.append((nonEmpty.count, scalars, leading))
                nonEmpty.append((line.number, TextLines.string(utf8, line.trimmed)))
                normalizedLines.append(normalizer.normalize(utf8: UnsafeBufferPointer(rebasing: utf8[line.trimmed])))
            }
        }
        let edges = EdgeLines.candidates(lineCount: nonEmpty.count, settings: configuration.boilerplate.learning,
                                         boilerplate: configuration.boilerplate, line: { nonEmpty[$0] }) { normalizedLines[$0] }
        var learnedByLine: [Int: EdgeLine] = [:]
        var learnedEntries: [BoilerplateLineRecord] = []
        if let learner {
            for edge in edges where learner.isChrome(lineHash: edge.hash, source: extracted.sourceName) {
                learnedByLine[edge.lineNumber] = edge
                learnedEntries.append(BoilerplateLineRecord(lineHash: edge.hash, normalizedText: edge.normalized, sampleText: edge.text, origin: "learned"))
            }
        }
        var lineStart = 0  // scalar offset of the current line in the cleaned text
        var wordless = false  // a line or sentence without text was left out
        for (offset, line) in rawLines.enumerated() {
            defer { lineStart += line.scalars + 1 }
            guard let index = line.nonEmptyIndex else { items.append(.blank); continue }
            let lineText = nonEmpty[index].text
            if let entry = configuration.boilerplate.match(normalizedLine: normalizedLines[index]) {
                removed.append(RemovedLineRecord(documentID: id, lineNumber: offset + 1, lineHash: entry.hash, text: lineText, rule: entry.rule))
                items.append(.removed)
                continue
            }
            if let edge = learnedByLine[offset + 1] {
                removed.append(RemovedLineRecord(documentID: id, lineNumber: offset + 1, lineHash: edge.hash, text: lineText, rule: "learned"))
                items.append(.removed)
                continue
            }
            // Only diacritics, tatweel or format controls: no text, a separator like a blank line.
            if normalizedLines[index].isEmpty {
                wordless = true
                items.append(.blank)
                continue
            }
            // Offsets are counted in the line as written; trimming removed leading blanks only.
            items.append(.line(lineText, offset: lineStart + line.leading, normalized: normalizedLines[index]))
        }
        // Duplicated edge lines of a document are listed once, as EdgeLines gives them.
        let edgeRecords = edges.map { EdgeLineRecord(documentID: id, lineHash: $0.hash, sourceName: extracted.sourceName,
                                                     normalizedText: $0.normalized, sampleText: $0.text) }
        // Blank-line paragraphs when a blank line separates two kept lines after the headline.
        var blankSeparated = false
        var sawBody = false, pendingBlank = false, linesSeen = 0
        for item in items {
            switch item {
            case .line:
                linesSeen += 1
                if sawBody && pendingBlank { blankSeparated = true }
                if linesSeen >= 2 { sawBody = true }
                pendingBlank = false
            case .blank: pendingBlank = sawBody
            case .removed: break
            }
        }

        var paragraph = -1
        var startsParagraph = true
        let lexicon = configuration.themes
        var scratch = ThemeIndex.Scratch()
        // The normalized sentences' tokens, for the MinHash signature: their bytes one after another, and where
        // each ends.
        var tokenBytes: [UInt8] = []
        var tokenEnds: [Int] = []
        var searchVector = SearchVectorBuilder()
        var body = SHA256()
        for item in items {
            switch item {
            case .blank, .removed:
                startsParagraph = true
                continue
            case .line(let lineText, let lineOffset, let lineNormalized):
                if title == nil {
                    title = lineText
                    paragraph = 0
                    startsParagraph = true
                } else if startsParagraph || !blankSeparated || paragraph == 0 {
                    paragraph += 1
                    startsParagraph = false
                }
                for span in segmenter.spans(in: lineText) {
                    let sentence = span.text
                    // A sentence that is its whole line (a headline, a paragraph of one sentence, a one-line
                    // article) was normalized with the line already.
                    let normalized = sentence.utf8.count == lineText.utf8.count ? lineNormalized : normalizer.normalize(sentence)
                    // A piece that normalizes to nothing (stray harakat after the last full stop) is no sentence.
                    guard !normalized.isEmpty else {
                        wordless = true
                        continue
                    }
                    let ordinal = sentences.count + 1
                    // One pass over the normalized bytes gives the document hash, the tokens and the stem ids.
                    scratch.ids.removeAll(keepingCapacity: true)
                    let hash = UTF8Scalars.withUTF8(normalized) { utf8 in
                        body.update(bufferPointer: UnsafeRawBufferPointer(utf8))
                        body.update(data: [0x0A])
                        searchVector.start(normalizedBytes: utf8.count)
                        lexicon.index.appendIDs(ofNormalizedUTF8: utf8, to: &scratch.ids) { range, stem in
                            tokenBytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[range]))
                            tokenEnds.append(tokenBytes.count)
                            searchVector.append(UnsafeBufferPointer(rebasing: utf8[stem]))
                        }
                        return SentenceHash.of(utf8: utf8)
                    }
                    sentences.append(SentenceRecord(documentID: id, ordinal: ordinal, paragraph: paragraph, text: sentence,
                                                    normalizedText: normalized, normalizedHash: hash,
                                                    startOffset: lineOffset + span.start, endOffset: lineOffset + span.end,
                                                    isOverlong: span.isOverlong, searchVector: searchVector.text))
                    for assignment in lexicon.index.classify(&scratch) {
                        themes.append(SentenceThemeRecord(documentID: id, ordinal: ordinal, themeCode: assignment.code, score: assignment.score,
                                                          matchedTerms: assignment.matchedTerms, lexiconVersion: lexicon.version,
                                                          matchedTokens: assignment.matchedSpans))
                    }
                }
            }
        }
        let signature = minHasher.signature(tokenBytes: tokenBytes, ends: tokenEnds).map { $0.map { Int64($0) } } ?? []
        // No letter or digit anywhere (tokens are runs of letters or of digits): not an article.
        let quarantineReason: String? = if tokenEnds.isEmpty && (wordless || !sentences.isEmpty) {
            TextWithoutWords.reason(removedLines: removed.count)
        } else if sentences.isEmpty {
            "no text left after removing \(removed.count) boilerplate line(s)"
        } else {
            nil
        }
        let document = DocumentRecord(
            documentID: id, contentSHA256: extracted.contentSHA256, sourcePath: extracted.sourcePath, sourceName: extracted.sourceName,
            encoding: extracted.encoding, byteSize: extracted.byteSize, fileModifiedAt: extracted.fileModifiedAt,
            publishedOn: extracted.publishedOn, publishedOnOrigin: extracted.publishedOnOrigin, title: title, paragraphCount: max(0, paragraph), sentenceCount: sentences.count, linesRemoved: removed.count,
            duplicateOf: nil, rawText: extracted.rawText, normalizationProfile: ArabicNormalizer.profileVersion,
            bodyHash: body.finalize().lowercaseHex, minhash: signature)
        return DocumentResult(document: document, sentences: sentences, themes: themes, removed: removed,
                              edgeLines: edgeRecords, learnedEntries: learnedEntries, quarantineReason: quarantineReason)
    }
}
