import Foundation
import Logging
import RunArtifacts
import Testing
@testable import Transform

/// Text with no word: no letter and no digit, only diacritics, tatweel, punctuation or symbols. A document of
/// it is quarantined by transform; inside a good document, a line or a sentence of it that normalizes to
/// nothing is not a sentence.
@Suite struct TextWithoutWordsTests {
    static func transformer() throws -> Transformer {
        let configuration = TransformConfiguration(
            boilerplate: BoilerplateList(lines: ["اظهر المزيد"], prefixes: []),
            themes: try ThemeLexicon.parse(yaml: sampleThemesYAML, file: "themes.yaml", version: "v-test"),
            hash: "test-configuration")
        return Transformer(configuration: configuration, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
    }

    static func extracted(_ text: String, id: Int64 = 7, path: String = "wire/odd.txt") -> ExtractedDocument {
        ExtractedDocument(documentID: id, contentSHA256: String(repeating: "cd", count: 32), sourcePath: path, sourceName: "wire",
                          encoding: "UTF-8", byteSize: text.utf8.count, fileModifiedAt: nil, rawText: text, text: text)
    }

    static let harakat = "\u{064B}\u{064C}\u{064D}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}"  // ًٌٍَُِّْ

    /// Documents without a single letter or digit: quarantined with the reason, nothing written for load.
    @Test(arguments: [
        (String(repeating: harakat, count: 50) + "\n", "harakat only, repeated"),
        ("ــــــــــــ\n", "tatweel only"),
        ("\u{0670}\u{0610}\u{06D6}\u{06DC}\u{06E1}\n\u{0651}\u{0651}\n", "Quranic marks and shadda on two lines"),
        ("\u{0640}\u{064E}\u{0640}\u{0650}\u{0640}\n", "tatweel carrying harakat"),
        ("\u{200C}\u{200D}\u{064E}\u{061C}\n", "joiners, the Arabic letter mark and a fatha"),
        ("!!! ... ؟؟؟ ،،، «» — ***\n", "punctuation only"),
        ("٪ ؉ ؊ ؛ ؟ ، ٭ ۞ ۩\n", "Arabic punctuation and signs"),
        ("★ ☆ © ® ™ € $ § ¶ • ✌ 🇵🇸 🌙\n", "symbols and emoji"),
        ("***\n\n" + harakat + "\n\n«…»\n", "a headline of stars, marks, then quotes around an ellipsis"),
        ("\u{064E}. \u{064F}! \u{0650}؟\n", "marks between terminators"),
    ])
    func aDocumentWithoutWordsIsQuarantined(_ text: String, _ label: String) throws {
        let result = try Self.transformer().transform(Self.extracted(text))
        let reason = try #require(result.quarantineReason, "\(label): not quarantined, sentences \(result.sentences.map(\.text))")
        #expect(reason.hasPrefix("no words:"), "\(label): \(reason)")
        #expect(result.sentences.allSatisfy { !$0.normalizedText.isEmpty }, "\(label)")
    }

    /// A word anywhere is enough: these are documents, however odd.
    @Test(arguments: [
        (harakat + "\nكلمة\n", "one word under a line of harakat"),
        ("١٢٣\n", "Arabic-Indic digits: a number is a word"),
        ("2024\n", "a year alone"),
        ("!!! نعم !!!\n", "one word between punctuation"),
        ("«الله»\n", "a word in quotes"),
        ("Breaking\n", "Latin letters"),
    ])
    func aDocumentWithOneWordIsKept(_ text: String, _ label: String) throws {
        let result = try Self.transformer().transform(Self.extracted(text))
        #expect(result.quarantineReason == nil, "\(label): \(result.quarantineReason ?? "")")
        #expect(!result.sentences.isEmpty && result.sentences.allSatisfy { !$0.normalizedText.isEmpty }, "\(label)")
    }

    /// Inside a good document, a line or a piece of a line that normalizes to nothing (harakat, tatweel, format
    /// controls) is not a sentence: a line of it separates paragraphs as a blank line does, a piece of it is
    /// left out. Punctuation is text as written and stays.
    @Test(arguments: [
        // A tatweel rule between paragraphs: a paragraph break, no sentence.
        ("عنوان الخبر\n\nالفقرة الأولى.\nــــــــــــ\nالفقرة الثانية.\n",
         ["عنوان الخبر", "الفقرة الأولى.", "الفقرة الثانية."], [0, 1, 2], "عنوان الخبر"),
        // Harakat above the headline: the headline is the first line with text.
        (harakat + "\nالعنوان الحقيقي\nالنص.\n", ["العنوان الحقيقي", "النص."], [0, 1], "العنوان الحقيقي"),
        // Stray harakat after the last sentence of a line: left out.
        ("عنوان\nقال المتحدث إن الاجتماع انتهى. \u{064B}\u{064C}\n", ["عنوان", "قال المتحدث إن الاجتماع انتهى."], [0, 1], "عنوان"),
        // A tatweel run closing a line: left out, the sentence before it keeps its offsets.
        ("عنوان\nانتهى الاجتماع. ــــ\nوبدأ المؤتمر.\n", ["عنوان", "انتهى الاجتماع.", "وبدأ المؤتمر."], [0, 1, 2], "عنوان"),
        // Between two sentences of a line it starts the next one (no sentence starts without a letter or a
        // digit), which keeps it as written; its normalized text drops it.
        ("عنوان\nانتهى الاجتماع. ــــ وبدأ المؤتمر.\n", ["عنوان", "انتهى الاجتماع.", "ــــ وبدأ المؤتمر."], [0, 1, 1], "عنوان"),
        // Stars as a separator: punctuation, kept as the text it is.
        ("عنوان\n\nفقرة.\n\n***\n\nفقرة أخرى.\n", ["عنوان", "فقرة.", "***", "فقرة أخرى."], [0, 1, 2, 3], "عنوان"),
    ])
    func piecesWithoutTextAreNotSentences(_ text: String, _ expected: [String], _ paragraphs: [Int], _ title: String) throws {
        let result = try Self.transformer().transform(Self.extracted(text))
        #expect(result.quarantineReason == nil, "text: \(text.debugDescription)")
        #expect(result.sentences.map(\.text) == expected, "text: \(text.debugDescription)")
        #expect(result.sentences.map(\.paragraph) == paragraphs, "text: \(text.debugDescription)")
        #expect(result.sentences.map(\.ordinal) == Array(1...result.sentences.count), "ordinals stay contiguous")
        #expect(result.sentences.allSatisfy { !$0.normalizedText.isEmpty }, "text: \(text.debugDescription)")
        #expect(result.document.title == title && result.document.sentenceCount == expected.count)
        // Every sentence's offsets still point at its text in the cleaned text.
        let scalars = Array(text.unicodeScalars)
        for sentence in result.sentences {
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[sentence.startOffset..<sentence.endOffset])
            #expect(String(piece) == sentence.text, "offsets of \(sentence.text)")
        }
    }

    /// Through the stage: the good document is written, the others are in `transform/quarantine.tsv` with the
    /// reason, and no sentence with an empty normalized text is in `transform/sentences.tsv`.
    @Test func theStageQuarantinesDocumentsWithoutWords() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-no-words-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: run) }
        let input = try RunFileWriter<ExtractedDocument>(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        try input.write(Self.extracted("عنوان الخبر\n\nنص الخبر. " + Self.harakat + "\nــــــ\nوانتهى.\n", id: 1, path: "wire/good.txt"))
        try input.write(Self.extracted(Self.harakat + "\n", id: 2, path: "wire/marks.txt"))
        try input.write(Self.extracted("!!! ؟؟؟ «»\n", id: 3, path: "wire/punctuation.txt"))
        try input.write(Self.extracted("اظهر المزيد\n\nــــ " + Self.harakat + "\n...\n", id: 4, path: "wire/chrome-and-marks.txt"))
        try input.write(Self.extracted("اظهر المزيد\n", id: 5, path: "wire/chrome.txt"))
        try input.finish()

        let summary = try Self.transformer().run(runDirectory: run)
        #expect(summary.documents == 1 && summary.quarantined == 4 && summary.sentences == 3)
        var documents: [DocumentRecord] = [], sentences: [SentenceRecord] = [], quarantine: [QuarantineRecord] = []
        try RunFileReader(url: run.appendingPathComponent(RunFile.documents.relativePath)).forEach(DocumentRecord.self) { documents.append($0) }
        try RunFileReader(url: run.appendingPathComponent(RunFile.sentences.relativePath)).forEach(SentenceRecord.self) { sentences.append($0) }
        try RunFileReader(url: run.appendingPathComponent(RunFile.transformQuarantine.relativePath)).forEach(QuarantineRecord.self) { quarantine.append($0) }
        #expect(documents.map(\.sourcePath) == ["wire/good.txt"])
        #expect(sentences.map(\.text) == ["عنوان الخبر", "نص الخبر.", "وانتهى."])
        #expect(sentences.allSatisfy { !$0.normalizedText.isEmpty })
        let reasons = Dictionary(uniqueKeysWithValues: quarantine.map { ($0.sourcePath, $0.reason) })
        #expect(reasons["wire/marks.txt"] == TextWithoutWords.reason(removedLines: 0))
        #expect(reasons["wire/punctuation.txt"] == TextWithoutWords.reason(removedLines: 0))
        #expect(reasons["wire/chrome-and-marks.txt"] == TextWithoutWords.reason(removedLines: 1))
        #expect(reasons["wire/chrome.txt"] == "no text left after removing 1 boilerplate line(s)")
        #expect(quarantine.allSatisfy { $0.stage == "transform" && $0.contentSHA256 == String(repeating: "cd", count: 32) })
    }
}
