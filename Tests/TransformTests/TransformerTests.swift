import Foundation
import Logging
import RunArtifacts
import Testing
import ArabicText
@testable import Transform

private let quietLogger = Logger(label: "bayan.transform.tests") { _ in SwiftLogNoOpLogHandler() }

/// SHA-256 (sha256sum) of the normalized boilerplate entries.
private let showMoreHash = "137cc32b47e774eb4007a1b088577853a53ad3cc456baa079d55b30e5900fea2"  // "اظهر المزيد"
private let readAlsoHash = "c37df89e048257d2d2ece2c5afaeb12a0b1108b334680c98cf59be135eb5d83b"  // "اقرا ايضا"
private let backToTopHash = "7c4ffbab3efbfe04f6e03ef72a689670d2e75ff36fc87783daecd59aa381f5ab" // "زر الذهاب الي الاعلي"

private func makeTransformer() throws -> Transformer {
    let configuration = TransformConfiguration(
        boilerplate: BoilerplateList(lines: ["اظهر المزيد", "زر الذهاب إلى الأعلى"], prefixes: ["اقرأ أيضا"]),
        themes: try ThemeLexicon.parse(yaml: sampleThemesYAML, file: "themes.yaml", version: "v-test"),
        hash: "test-configuration")
    return Transformer(configuration: configuration, logger: quietLogger)
}

private func extracted(_ text: String, id: Int64 = 42, path: String = "aljazeera/a.txt") -> ExtractedDocument {
    ExtractedDocument(documentID: id, contentSHA256: String(repeating: "ab", count: 32), sourcePath: path,
                      sourceName: "aljazeera", encoding: "UTF-8", byteSize: 999,
                      fileModifiedAt: "2020-06-04T10:00:00.000Z", rawText: "raw:\r\n" + text, text: text)
}

/// A headline, a blank line, two paragraphs and page chrome between and after them.
private let articleText = """
    مجلس الأمن يدعو إلى حماية المدنيين

    قال المتحدث إن نسبة النمو بلغت 2.5 في المئة. وأضاف أن الاجتماع عقد في 4/6/2020 بحضور الوزراء.
    أظهر المزيد
    وذكر التقرير أن المزيد من المساعدات وصل إلى المدنيين؟ ولم يصدر تعليق رسمي!
    اقرأ أيضاً: عنوان آخر
    زر الذهاب إلى الأعلى

    """

@Suite struct TransformerTests {
    @Test func articleGivesSentencesThemesAndRemovedLines() throws {
        let result = try makeTransformer().transform(extracted(articleText))

        // The content hash is checked on its own (below); compare everything else here.
        #expect(result.sentences.map { SentenceRecord(documentID: $0.documentID, ordinal: $0.ordinal, paragraph: $0.paragraph,
                                                      text: $0.text, normalizedText: $0.normalizedText) } == [
            SentenceRecord(documentID: 42, ordinal: 1, paragraph: 0, text: "مجلس الأمن يدعو إلى حماية المدنيين",
                           normalizedText: "مجلس الامن يدعو الي حمايه المدنيين"),
            SentenceRecord(documentID: 42, ordinal: 2, paragraph: 1, text: "قال المتحدث إن نسبة النمو بلغت 2.5 في المئة.",
                           normalizedText: "قال المتحدث ان نسبه النمو بلغت 2.5 في الميه."),
            SentenceRecord(documentID: 42, ordinal: 3, paragraph: 1, text: "وأضاف أن الاجتماع عقد في 4/6/2020 بحضور الوزراء.",
                           normalizedText: "واضاف ان الاجتماع عقد في 4/6/2020 بحضور الوزراء."),
            SentenceRecord(documentID: 42, ordinal: 4, paragraph: 2, text: "وذكر التقرير أن المزيد من المساعدات وصل إلى المدنيين؟",
                           normalizedText: "وذكر التقرير ان المزيد من المساعدات وصل الي المدنيين؟"),
            SentenceRecord(documentID: 42, ordinal: 5, paragraph: 2, text: "ولم يصدر تعليق رسمي!",
                           normalizedText: "ولم يصدر تعليق رسمي!"),
        ])

        // Line numbers count from 1 over the whole text, blank lines included.
        #expect(result.removed == [
            RemovedLineRecord(documentID: 42, lineNumber: 4, lineHash: showMoreHash, text: "أظهر المزيد", rule: "line"),
            RemovedLineRecord(documentID: 42, lineNumber: 6, lineHash: readAlsoHash, text: "اقرأ أيضاً: عنوان آخر", rule: "prefix"),
            RemovedLineRecord(documentID: 42, lineNumber: 7, lineHash: backToTopHash, text: "زر الذهاب إلى الأعلى", rule: "line"),
        ])

        // Per sentence, in codebook order; the aid terms weigh 0.5 each and only one occurs.
        #expect(result.themes == [
            // Tokens: مجلس(0) الامن(1) يدعو(2) الي(3) حمايه(4) المدنيين(5)
            SentenceThemeRecord(documentID: 42, ordinal: 1, themeCode: "civilians", score: 1, matchedTerms: ["المدنيين"], lexiconVersion: "v-test",
                                matchedTokens: [5..<6]),
            SentenceThemeRecord(documentID: 42, ordinal: 1, themeCode: "diplomacy", score: 1, matchedTerms: ["مجلس الأمن"], lexiconVersion: "v-test",
                                matchedTokens: [0..<2]),
            // Tokens: وذكر(0) التقرير(1) ان(2) المزيد(3) من(4) المساعدات(5) وصل(6) الي(7) المدنيين(8)
            SentenceThemeRecord(documentID: 42, ordinal: 4, themeCode: "civilians", score: 1, matchedTerms: ["المدنيين"], lexiconVersion: "v-test",
                                matchedTokens: [8..<9]),
        ])

        // The MinHash signature is checked by MinHashTests; here only that there is one.
        #expect(result.document.minhash.count == 64)
        var document = result.document
        document.minhash = []
        #expect(document == DocumentRecord(
            documentID: 42, contentSHA256: String(repeating: "ab", count: 32), sourcePath: "aljazeera/a.txt",
            sourceName: "aljazeera", encoding: "UTF-8", byteSize: 999, fileModifiedAt: "2020-06-04T10:00:00.000Z",
            publishedOn: nil, title: "مجلس الأمن يدعو إلى حماية المدنيين",
            paragraphCount: 2,  // paragraphs after the headline, which is paragraph 0
            sentenceCount: 5, linesRemoved: 3, duplicateOf: nil,
            rawText: "raw:\r\n" + articleText,  // the decoded text, not the cleaned one
            normalizationProfile: "default-1",
            // sha256sum of the five normalized sentences, each followed by a newline
            bodyHash: "00c60756a6329be2204dfec49610fc34bae49eb584ae6eaec60b5151464dc7f5"))
    }

    @Test func noChromeAmongSentences() throws {
        let result = try makeTransformer().transform(extracted(articleText))
        for chrome in ["أظهر المزيد", "اقرأ أيضاً", "زر الذهاب"] {
            #expect(!result.sentences.contains { $0.text.contains(chrome) }, "chrome: \(chrome)")
        }
    }

    @Test(arguments: [
        ("\n\n   عنوان الخبر   \nنص أول. نص ثان.\n", "عنوان الخبر", [1, 2]),   // leading blank lines and spaces
        ("أظهر المزيد\nالعنوان الحقيقي\nالنص.", "العنوان الحقيقي", [1, 1]),  // chrome before the headline
        ("عنوان فقط", "عنوان فقط", [1]),                                     // headline alone
    ])
    func titleIsTheFirstLineKept(_ text: String, _ title: String, _ sentencesByParagraph: [Int]) throws {
        let result = try makeTransformer().transform(extracted(text))
        #expect(result.document.title == title, "text: \(text.debugDescription)")
        #expect(result.sentences.first?.text == title, "text: \(text.debugDescription)")
        #expect(result.sentences.first?.paragraph == 0, "text: \(text.debugDescription)")
        // Sentences per paragraph, paragraph 0 first.
        let counts = Dictionary(grouping: result.sentences, by: \.paragraph).sorted { $0.key < $1.key }.map(\.value.count)
        #expect(counts == sentencesByParagraph, "text: \(text.debugDescription)")
        #expect(result.sentences.map(\.ordinal) == Array(1...result.sentences.count), "text: \(text.debugDescription)")
    }

    @Test func onlyChromeLeavesNoSentences() throws {
        let result = try makeTransformer().transform(extracted("أظهر المزيد\n\nزر الذهاب إلى الأعلى\n"))
        #expect(result.sentences.isEmpty)
        #expect(result.document.title == nil)
        #expect(result.removed.map(\.lineNumber) == [1, 3])
    }

    @Test(arguments: [
        ("بلغ النمو 2.5 في المئة. ثم تراجع.", ["بلغ النمو 2.5 في المئة.", "ثم تراجع."]),           // decimal point
        ("بلغ النمو ٢٫٥ في المئة.", ["بلغ النمو ٢٫٥ في المئة."]),                                  // Arabic decimal separator
        ("عقد الاجتماع في 4/6/2020 وانتهى.", ["عقد الاجتماع في 4/6/2020 وانتهى."]),               // date with slashes
        ("عقد الاجتماع في 4.6.2020 وانتهى.", ["عقد الاجتماع في 4.6.2020 وانتهى."]),               // date with dots
        ("هل انتهى؟ نعم! انتهى.", ["هل انتهى؟", "نعم!", "انتهى."]),                               // three terminators
        ("قال: “انتهى الأمر.” ثم غادر", ["قال: “انتهى الأمر.”", "ثم غادر"]),                      // closing quote kept
        ("التقى د. أحمد بالوزير.", ["التقى د. أحمد بالوزير."]),                                   // one-letter abbreviation
        ("أولا، ثانيا؛ ثالثا", ["أولا، ثانيا؛ ثالثا"]),                                           // comma and semicolon
    ])
    func bodySentences(_ paragraph: String, _ expected: [String]) throws {
        let result = try makeTransformer().transform(extracted("عنوان\n" + paragraph))
        #expect(result.sentences.dropFirst().map(\.text) == expected, "paragraph: \(paragraph)")
        #expect(result.sentences.dropFirst().allSatisfy { $0.paragraph == 1 }, "paragraph: \(paragraph)")
    }
}

@Suite struct TransformerRunTests {
    @Test func runWritesEveryFileAndQuarantinesEmptiedDocuments() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-transform-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: run) }
        let input = try RunFileWriter<ExtractedDocument>(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        try input.write(extracted(articleText, id: 1, path: "aljazeera/a.txt"))
        try input.write(extracted("أظهر المزيد\nزر الذهاب إلى الأعلى\n", id: 2, path: "aljazeera/chrome.txt"))
        try input.finish()

        let summary = try makeTransformer().run(runDirectory: run)
        #expect(summary.documents == 1)
        #expect(summary.sentences == 5)
        #expect(summary.themeHits == 3)
        #expect(summary.linesRemoved == 3)   // lines of the quarantined document are not counted
        #expect(summary.quarantined == 1)

        func rows<R: RunRecord>(_ file: RunFile, _ type: R.Type) throws -> [R] {
            var rows: [R] = []
            try RunFileReader(url: run.appendingPathComponent(file.relativePath)).forEach(type) { rows.append($0) }
            return rows
        }
        #expect(try rows(.documents, DocumentRecord.self).map(\.documentID) == [1])
        #expect(try rows(.sentences, SentenceRecord.self).map(\.ordinal) == [1, 2, 3, 4, 5])
        #expect(try rows(.sentenceThemes, SentenceThemeRecord.self).map(\.themeCode) == ["civilians", "diplomacy", "civilians"])
        #expect(try rows(.removedLines, RemovedLineRecord.self).map(\.lineNumber) == [4, 6, 7])

        let quarantined = try rows(.transformQuarantine, QuarantineRecord.self)
        #expect(quarantined == [QuarantineRecord(
            sourcePath: "aljazeera/chrome.txt", contentSHA256: String(repeating: "ab", count: 32), byteSize: 999,
            stage: "transform", reason: "no text left after removing 2 boilerplate line(s)")])

        #expect(try rows(.boilerplateLines, BoilerplateLineRecord.self) == [
            BoilerplateLineRecord(lineHash: showMoreHash, normalizedText: "اظهر المزيد", sampleText: "اظهر المزيد", origin: "configured"),
            BoilerplateLineRecord(lineHash: backToTopHash, normalizedText: "زر الذهاب الي الاعلي", sampleText: "زر الذهاب إلى الأعلى", origin: "configured"),
            BoilerplateLineRecord(lineHash: readAlsoHash, normalizedText: "اقرا ايضا", sampleText: "اقرأ أيضا", origin: "configured"),
        ])
        let themes = try rows(.themes, ThemeRecord.self)
        #expect(themes.map(\.code) == ["civilians", "diplomacy", "security", "aid"])
        #expect(themes.map(\.sortOrder) == [1, 2, 3, 4])
        #expect(themes.allSatisfy { $0.lexiconVersion == "v-test" && $0.threshold == 1 })
    }
}

@Suite struct SentenceHashTests {
    /// Values from `printf '%s' TEXT | sha256sum`, first 16 hex digits read as a signed 64-bit integer.
    @Test(arguments: [
        ("ولم يصدر تعليق رسمي!", "8b1215a6b5d4b299"),   // an Arabic sentence
        ("abc", "ba7816bf8f01cfea"),                      // the SHA-256 test vector "abc"
    ])
    func hashIsTheFirstEightBytesOfSHA256(text: String, hexPrefix: String) {
        let expected = Int64(bitPattern: UInt64(hexPrefix, radix: 16)!)
        #expect(SentenceHash.of(text) == expected, "text: \(text)")
    }
}

@Suite struct LearnedChromeTests {
    static let boilerplateYAML = """
        version: 1
        learning:
          min_documents: 3
          min_source_share: 0.9
          min_source_documents: 100
          edge_lines: 2
          max_words: 8
        lines:
          - اظهر المزيد
        """

    static let quote = "وقال الوزير في بيانه إن الحكومة ستواصل العمل على حماية المدنيين في كل المناطق دون استثناء."

    static func article(_ number: Int, quoted: Bool) -> ExtractedDocument {
        let body = quoted ? Self.quote : "نص الخبر رقم \(number) عن موضوع مختلف."
        let text = "عنوان الخبر رقم \(number)\n\n\(body)\n\nتابعوا آخر الأخبار عبر موقعنا\nاظهر المزيد\n"
        return ExtractedDocument(documentID: Int64(number), contentSHA256: String(repeating: "0", count: 64), sourcePath: "wire/\(number).txt",
                                 sourceName: "wire", encoding: "UTF-8", byteSize: text.utf8.count, fileModifiedAt: nil, rawText: text, text: text)
    }

    func transformer(prior: LineStatistics = LineStatistics()) throws -> (Transformer, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-learned-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.boilerplateYAML.write(to: folder.appendingPathComponent("boilerplate.yaml"), atomically: true, encoding: .utf8)
        try """
            themes:
              - {code: civilians, name_ar: المدنيون, name_en: Civilians, description: civilians, terms: [المدنيين]}
            """.write(to: folder.appendingPathComponent("themes.yaml"), atomically: true, encoding: .utf8)
        let configuration = try TransformConfiguration.load(from: folder)
        return (Transformer(configuration: configuration, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }, priorLines: prior), folder)
    }

    func run(_ documents: [ExtractedDocument], prior: LineStatistics = LineStatistics()) throws -> (TransformSummary, [RemovedLineRecord], [SentenceRecord], [BoilerplateLineRecord]) {
        let (transformer, folder) = try transformer(prior: prior)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("run")
        let writer = try RunFileWriter<ExtractedDocument>(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        for document in documents { try writer.write(document) }
        try writer.finish()
        let summary = try transformer.run(runDirectory: run)
        var removed: [RemovedLineRecord] = [], sentences: [SentenceRecord] = [], entries: [BoilerplateLineRecord] = []
        try RunFileReader(url: run.appendingPathComponent(RunFile.removedLines.relativePath)).forEach(RemovedLineRecord.self) { removed.append($0) }
        try RunFileReader(url: run.appendingPathComponent(RunFile.sentences.relativePath)).forEach(SentenceRecord.self) { sentences.append($0) }
        try RunFileReader(url: run.appendingPathComponent(RunFile.boilerplateLines.relativePath)).forEach(BoilerplateLineRecord.self) { entries.append($0) }
        return (summary, removed, sentences, entries)
    }

    @Test func aTailLineRepeatedInEnoughDocumentsIsLearned() throws {
        let (summary, removed, sentences, entries) = try run((1...4).map { Self.article($0, quoted: $0 <= 2) })
        let learned = removed.filter { $0.rule == "learned" }
        #expect(learned.count == 4, "the tail line goes from all four documents")
        #expect(learned.allSatisfy { $0.text == "تابعوا آخر الأخبار عبر موقعنا" && $0.lineNumber == 5 })
        #expect(summary.learnedLines == 1 && summary.linesRemovedLearned == 4)
        #expect(entries.filter { $0.origin == "learned" }.map(\.sampleText) == ["تابعوا آخر الأخبار عبر موقعنا"])
        #expect(!sentences.contains { $0.text == "تابعوا آخر الأخبار عبر موقعنا" })
        // The quoted statement repeated by two articles is text: it stays in both, with one shared hash.
        let quoted = sentences.filter { $0.text == Self.quote }
        #expect(quoted.count == 2)
        #expect(Set(quoted.map(\.normalizedHash)).count == 1)
        // Headlines differ: none is learned.
        #expect(sentences.filter { $0.paragraph == 0 }.count == 4)
    }

    @Test func belowTheThresholdNothingIsLearned() throws {
        let (summary, removed, _, _) = try run((1...2).map { Self.article($0, quoted: false) })
        #expect(removed.allSatisfy { $0.rule == "line" })
        #expect(summary.learnedLines == 0)
    }

    @Test func earlierRunsCountsAreAddedToTonights() throws {
        var prior = LineStatistics()
        let hash = BoilerplateList.hash(ArabicNormalizer().normalize("تابعوا آخر الأخبار عبر موقعنا"))
        prior.add(lineHash: hash, source: "wire", count: 2)
        let (summary, removed, _, _) = try run([Self.article(7, quoted: false)], prior: prior)
        #expect(summary.learnedLines == 1, "two earlier documents and tonight's one reach the threshold of three")
        #expect(removed.contains { $0.rule == "learned" })
    }

    @Test func shareOfASourceIsEnoughWhenTheSourceIsLarge() {
        var settings = ChromeLearningSettings()
        settings.minDocuments = 1000
        settings.minSourceShare = 0.5
        settings.minSourceDocuments = 4
        var statistics = LineStatistics()
        statistics.addDocuments(source: "small", count: 3)
        statistics.addDocuments(source: "large", count: 10)
        statistics.add(lineHash: "ab", source: "large", count: 5)
        statistics.add(lineHash: "ab", source: "small", count: 3)
        statistics.add(lineHash: "cd", source: "large", count: 4)
        let learner = ChromeLearner(settings: settings, statistics: statistics)
        #expect(learner.isChrome(lineHash: "ab", source: "large"))       // 5 of 10
        #expect(!learner.isChrome(lineHash: "cd", source: "large"))      // 4 of 10
        #expect(!learner.isChrome(lineHash: "ab", source: "small"))      // 3 of 3, but the source is too small
    }

    @Test func learningSettingsAreValidated() {
        #expect(throws: ConfigurationError.self) {
            _ = try BoilerplateList.parse(yaml: "learning:\n  min_source_share: 2\n", file: "b.yaml")
        }
        #expect(throws: ConfigurationError.self) {
            _ = try BoilerplateList.parse(yaml: "learning:\n  edge_line: 3\n", file: "b.yaml")
        }
    }
}

@Suite struct MinHashTests {
    let hasher = MinHasher()
    let words = "أكد وزراء خارجية دول التحالف في بيانهم المشترك التزامهم الكامل بمواصلة الجهود المشتركة لضمان الهزيمة الدائمة للتنظيم وحماية المدنيين في المناطق المحررة"
        .split(separator: " ").map(String.init)

    @Test func identicalTextsHaveIdenticalSignatures() throws {
        let a = try #require(hasher.signature(of: words))
        #expect(a.count == 64)
        #expect(MinHasher.similarity(a, try #require(hasher.signature(of: words))) == 1)
        #expect(hasher.bandKeys(a).count == 16)
    }

    @Test func oneChangedWordKeepsTextsSimilar() throws {
        var edited = words
        edited[10] = "الرسمي"
        let similarity = MinHasher.similarity(try #require(hasher.signature(of: words)), try #require(hasher.signature(of: edited)))
        // 22 shingles each, 3 touched by the edit: Jaccard 19/25 = 0.76; the estimate is near it.
        #expect(similarity > 0.55 && similarity < 0.95, "similarity \(similarity)")
    }

    @Test func unrelatedTextsAreDissimilar() throws {
        let other = "فاز الفريق المحلي بالمباراة النهائية للكأس بعد أن سجل مهاجمه هدفين في الشوط الثاني أمام جمهور غفير ملأ مدرجات الملعب"
            .split(separator: " ").map(String.init)
        let similarity = MinHasher.similarity(try #require(hasher.signature(of: words)), try #require(hasher.signature(of: other)))
        #expect(similarity < 0.1, "similarity \(similarity)")
    }

    @Test func tooShortTextsHaveNoSignature() {
        #expect(hasher.signature(of: ["كلمة", "أخرى"]) == nil)
    }
}

@Suite struct SentenceOffsetTests {
    @Test func offsetsPointIntoTheCleanedText() throws {
        let text = "  عنوان الخبر\n\nقال “نحن... سنواصل العمل.” وغادر. ثم عاد.\n   سطر ثان بمسافات.\nاظهر المزيد\n"
        let configuration = TransformConfiguration(
            boilerplate: BoilerplateList(lines: ["اظهر المزيد"], prefixes: []),
            themes: try ThemeLexicon.parse(yaml: "themes:\n  - {code: x, name_ar: س, name_en: X, description: x, terms: [كلمة]}\n", file: "t.yaml", version: "v"),
            hash: "h")
        let document = ExtractedDocument(documentID: 1, contentSHA256: String(repeating: "0", count: 64), sourcePath: "a.txt", sourceName: "s",
                                         encoding: "UTF-8", byteSize: 1, fileModifiedAt: nil, rawText: text, text: text)
        let result = Transformer(configuration: configuration, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }).transform(document)
        let scalars = Array(text.unicodeScalars)
        #expect(result.sentences.map(\.text) == ["عنوان الخبر", "قال “نحن... سنواصل العمل.”", "وغادر.", "ثم عاد.", "سطر ثان بمسافات."])
        for sentence in result.sentences {
            let slice = String(String.UnicodeScalarView(scalars[sentence.startOffset..<sentence.endOffset]))
            #expect(slice == sentence.text, "ordinal \(sentence.ordinal): [\(sentence.startOffset), \(sentence.endOffset))")
        }
        #expect(result.sentences.allSatisfy { !$0.isOverlong })
    }
}

@Suite struct TransformDeterminismTests {
    @Test func theSameInputGivesByteIdenticalFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-determinism-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "learning:\n  min_documents: 2\nlines:\n  - اظهر المزيد\n".write(to: config.appendingPathComponent("boilerplate.yaml"), atomically: true, encoding: .utf8)
        try "themes:\n  - {code: civilians, name_ar: م, name_en: C, description: c, terms: [المدنيين, حماية المدنيين]}\n"
            .write(to: config.appendingPathComponent("themes.yaml"), atomically: true, encoding: .utf8)
        try "duplicates:\n  near_threshold: 0.7\nsentences:\n  max_words: 6\n".write(to: config.appendingPathComponent("transform.yaml"), atomically: true, encoding: .utf8)
        let configuration = try TransformConfiguration.load(from: config)
        #expect(configuration.nearDuplicateThreshold == 0.7 && configuration.maxSentenceWords == 6)
        var outputs: [[String]] = []
        for runName in ["one", "two"] {
            let run = folder.appendingPathComponent(runName)
            let writer = try RunFileWriter<ExtractedDocument>(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath))
            for number in 1...5 {
                let text = "عنوان \(number)\n\nدعا البيان إلى حماية المدنيين في المنطقة رقم \(number) وإلى وقف القتال فورا ودون شروط.\nتابعونا\nاظهر المزيد\n"
                try writer.write(ExtractedDocument(documentID: Int64(number), contentSHA256: String(repeating: "\(number)", count: 64),
                                                   sourcePath: "w/\(number).txt", sourceName: "w", encoding: "UTF-8", byteSize: 1,
                                                   fileModifiedAt: nil, rawText: text, text: text))
            }
            try writer.finish()
            _ = try Transformer(configuration: configuration, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }).run(runDirectory: run)
            outputs.append(try RunFile.allCases.filter { $0.relativePath.hasPrefix("transform/") && $0 != .relearnedDocuments }.map {
                try String(contentsOf: run.appendingPathComponent($0.relativePath), encoding: .utf8)
            })
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].joined().contains("\tt\t'"), "a sentence over six words is flagged")
    }
}

@Suite struct ThemeEvaluationTests {
    @Test func scoresAreComputedPerThemeAndMacroAveraged() {
        // Four sentences; themes a, b, c in codebook order (c occurs nowhere).
        let gold: [Set<String>] = [["a"], ["a", "b"], [], []]
        let predicted: [Set<String>] = [["a"], ["b"], ["a"], []]
        let evaluation = ThemeEvaluation(codes: ["a", "b", "c"], gold: gold, predicted: predicted)
        let a = evaluation.perTheme[0].scores, b = evaluation.perTheme[1].scores, c = evaluation.perTheme[2].scores
        // a: TP 1, FP 1 (sentence 3), FN 1 (sentence 2) → P 0.5, R 0.5, F1 0.5, support 2.
        #expect(a == ThemeEvaluation.Scores(precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2))
        // b: TP 1 → P 1, R 1, F1 1, support 1.
        #expect(b == ThemeEvaluation.Scores(precision: 1, recall: 1, f1: 1, support: 1, predicted: 1))
        // c: absent from gold and predictions → left out of the macro average.
        #expect(c.support == 0 && c.predicted == 0)
        #expect(evaluation.macroF1 == 0.75)
        // Two no-theme sentences, one of which got a theme.
        #expect(evaluation.falsePositiveRate == 0.5)
        #expect(evaluation.noThemeSentences == 2 && evaluation.sentences == 4)
    }

    @Test func noPredictionsGiveZeroNotADivisionByZero() {
        let evaluation = ThemeEvaluation(codes: ["a"], gold: [["a"]], predicted: [[]])
        #expect(evaluation.perTheme[0].scores == ThemeEvaluation.Scores(precision: 0, recall: 0, f1: 0, support: 1, predicted: 0))
        #expect(evaluation.macroF1 == 0 && evaluation.falsePositiveRate == 0)
    }
}

@Suite struct ExclusionAndWindowTests {
    static let yaml = """
        themes:
          - code: security
            name_ar: أمن
            name_en: Security
            description: fighting
            threshold: 1.0
            terms:
              - {term: هجوم, weight: 0.5}
            exclude: [مباراة, الدوري]
            windows:
              - {terms: [قوات, هجوم], within: 3, weight: 0.5}
        """

    func codes(_ sentence: String) throws -> [String] {
        let lexicon = try ThemeLexicon.parse(yaml: Self.yaml, file: "themes.yaml", version: "v")
        return lexicon.classify(stems: ThemeLexicon.stems(of: sentence)).map(\.code)
    }

    @Test(arguments: [
        ("بدأ هجوم القوات على مواقع المسلحين", ["security"]),            // window: قوات … هجوم within 3 → 0.5 + 0.5
        ("هجوم كاسح", [String]()),                                       // the word alone is 0.5, below the threshold
        ("القوات التي وصلت أمس بعد رحلة طويلة من الشمال بدأت الهجوم", [String]()), // too far apart for the window
        ("بدأ هجوم القوات في المباراة", [String]()),                     // would pass, but the exclusion cue vetoes the theme
    ])
    func exclusionsAndWindowsShapeTheScore(sentence: String, expected: [String]) throws {
        #expect(try codes(sentence) == expected, "sentence: \(sentence)")
    }

    @Test func badRulesAreRefused() {
        let bad = Self.yaml.replacingOccurrences(of: "within: 3", with: "within: 0")
        #expect(throws: ConfigurationError.self) { _ = try ThemeLexicon.parse(yaml: bad, file: "t.yaml", version: "v") }
    }
}
