import Foundation
import Logging
import RunArtifacts
import Testing
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

        #expect(result.sentences == [
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
            SentenceThemeRecord(documentID: 42, ordinal: 1, themeCode: "civilians", score: 1, matchedTerms: ["المدنيين"], lexiconVersion: "v-test"),
            SentenceThemeRecord(documentID: 42, ordinal: 1, themeCode: "diplomacy", score: 1, matchedTerms: ["مجلس الأمن"], lexiconVersion: "v-test"),
            SentenceThemeRecord(documentID: 42, ordinal: 4, themeCode: "civilians", score: 1, matchedTerms: ["المدنيين"], lexiconVersion: "v-test"),
        ])

        #expect(result.document == DocumentRecord(
            documentID: 42, contentSHA256: String(repeating: "ab", count: 32), sourcePath: "aljazeera/a.txt",
            sourceName: "aljazeera", encoding: "UTF-8", byteSize: 999, fileModifiedAt: "2020-06-04T10:00:00.000Z",
            publishedOn: nil, title: "مجلس الأمن يدعو إلى حماية المدنيين",
            paragraphCount: 2,  // paragraphs after the headline, which is paragraph 0
            sentenceCount: 5, linesRemoved: 3, duplicateOf: nil,
            rawText: "raw:\r\n" + articleText,  // the decoded text, not the cleaned one
            normalizationProfile: "1"))
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
