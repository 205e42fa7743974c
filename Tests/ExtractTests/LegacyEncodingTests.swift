@testable import Extract
import Foundation
import Testing
import TestSupport

/// Arabic letters and punctuation in windows-1256, written down from Python's `cp1256` codec; independent
/// of the tables in `LegacyEncoding`.
private let windows1256Bytes: [Character: UInt8] = [
    "ء": 0xC1, "آ": 0xC2, "أ": 0xC3, "ؤ": 0xC4, "إ": 0xC5, "ئ": 0xC6, "ا": 0xC7, "ب": 0xC8, "ة": 0xC9,
    "ت": 0xCA, "ث": 0xCB, "ج": 0xCC, "ح": 0xCD, "خ": 0xCE, "د": 0xCF, "ذ": 0xD0, "ر": 0xD1, "ز": 0xD2,
    "س": 0xD3, "ش": 0xD4, "ص": 0xD5, "ض": 0xD6, "ط": 0xD8, "ظ": 0xD9, "ع": 0xDA, "غ": 0xDB, "ف": 0xDD,
    "ق": 0xDE, "ك": 0xDF, "ل": 0xE1, "م": 0xE3, "ن": 0xE4, "ه": 0xE5, "و": 0xE6, "ى": 0xEC, "ي": 0xED,
    "،": 0xA1, "؛": 0xBA, "؟": 0xBF,
]

/// Arabic letters and punctuation in ISO-8859-6, written down from Python's `iso8859_6` codec.
private let iso88596Bytes: [Character: UInt8] = [
    "ء": 0xC1, "آ": 0xC2, "أ": 0xC3, "ؤ": 0xC4, "إ": 0xC5, "ئ": 0xC6, "ا": 0xC7, "ب": 0xC8, "ة": 0xC9,
    "ت": 0xCA, "ث": 0xCB, "ج": 0xCC, "ح": 0xCD, "خ": 0xCE, "د": 0xCF, "ذ": 0xD0, "ر": 0xD1, "ز": 0xD2,
    "س": 0xD3, "ش": 0xD4, "ص": 0xD5, "ض": 0xD6, "ط": 0xD7, "ظ": 0xD8, "ع": 0xD9, "غ": 0xDA, "ف": 0xE1,
    "ق": 0xE2, "ك": 0xE3, "ل": 0xE4, "م": 0xE5, "ن": 0xE6, "ه": 0xE7, "و": 0xE8, "ى": 0xE9, "ي": 0xEA,
    "،": 0xAC, "؛": 0xBB, "؟": 0xBF,
]

/// Encodes `text` with `table` for its Arabic characters and ASCII for the rest.
private func encode(_ text: String, with table: [Character: UInt8]) -> [UInt8] {
    text.flatMap { character -> [UInt8] in
        if let byte = table[character] { return [byte] }
        precondition(character.isASCII, "no fixture byte for \(character)")
        return Array(character.utf8)
    }
}

/// One row of the chardet corpus manifest: a file and the encoding it was written in.
struct LegacyCorpusFile: Sendable, CustomTestStringConvertible {
    var path: String
    var encoding: String
    var testDescription: String { path }
}

/// The real legacy-encoded files under /work/shared/corpus/chardet-legacy-encodings.
enum LegacyCorpus {
    static let folder = URL(fileURLWithPath: "/work/shared/corpus/chardet-legacy-encodings")

    static var isPresent: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("MANIFEST.tsv").path)
    }

    /// The manifest rows (header skipped), or none when the folder is missing.
    static func files() -> [LegacyCorpusFile] {
        guard let manifest = try? String(contentsOf: folder.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8) else {
            return []
        }
        return manifest.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { return nil }
            return LegacyCorpusFile(path: String(fields[0]), encoding: String(fields[2]))
        }
    }

    static func bytes(of file: LegacyCorpusFile) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(file.path)))
    }
}

@Suite struct LegacyEncodingTests {
    // MARK: Decoding tables

    @Test(arguments: [
        (LegacyEncoding.windows1256, 0x81, "پ"),
        (.windows1256, 0xBF, "؟"),
        (.windows1256, 0xA1, "،"),
        (.windows1256, 0xBA, "؛"),
        (.windows1256, 0xC7, "ا"),
        (.windows1256, 0xE1, "ل"),
        (.windows1256, 0xD8, "ط"),
        (.windows1256, 0xD7, "×"),
        (.windows1256, 0xE9, "é"),
        (.windows1256, 0x80, "€"),
        (.windows1256, 0x9D, "\u{200C}"),                // ZWNJ
        (.windows1256, 0xFF, "ے"),
        (.windows1256, 0x41, "A"),                       // lower half is ASCII
        (.iso88596, 0xAC, "،"),
        (.iso88596, 0xBB, "؛"),
        (.iso88596, 0xBF, "؟"),
        (.iso88596, 0xC7, "ا"),
        (.iso88596, 0xD7, "ط"),
        (.iso88596, 0xE4, "ل"),
        (.iso88596, 0xE0, "ـ"),
        (.iso88596, 0xF2, "\u{0652}"),                   // sukun
        (.iso88596, 0xA0, "\u{00A0}"),
        (.iso88596, 0x85, "\u{0085}"),                   // C1 control, as the codec gives it
        (.cp720, 0x98, "ء"),
        (.cp720, 0x9F, "ا"),
        (.cp720, 0xA0, "ب"),
        (.cp720, 0xE0, "ض"),
        (.cp720, 0xE9, "ل"),
        (.cp720, 0xEF, "ي"),
        (.cp720, 0x95, "ـ"),
        (.cp720, 0x82, "é"),
        (.cp720, 0xB0, "░"),
        (.cp720, 0xFF, "\u{00A0}"),
    ] as [(LegacyEncoding, UInt8, String)])
    func decodesByte(_ encoding: LegacyEncoding, _ byte: UInt8, _ expected: String) {
        #expect(encoding.decode([byte]) == expected)
    }

    @Test(arguments: [
        (LegacyEncoding.iso88596, 0xA1 as UInt8),
        (.iso88596, 0xB0),
        (.iso88596, 0xC0),
        (.iso88596, 0xDB),
        (.iso88596, 0xDF),
        (.iso88596, 0xF3),
        (.iso88596, 0xFF),
    ])
    func undefinedByteFailsDecoding(_ encoding: LegacyEncoding, _ byte: UInt8) {
        #expect(encoding.decode([byte]) == nil)
        #expect(encoding.decode([0xC7, 0x20, byte, 0x20, 0xC7]) == nil)
    }

    @Test func windows1256DefinesEveryByte() {
        #expect(LegacyEncoding.windows1256.decode(UInt8.min...UInt8.max)?.unicodeScalars.count == 256)
    }

    @Test(arguments: LegacyEncoding.allCases)
    func lowerHalfIsASCII(_ encoding: LegacyEncoding) {
        let ascii = [UInt8](0x00...0x7F)
        #expect(encoding.decode(ascii) == String(decoding: ascii, as: UTF8.self))
        #expect(encoding.decode([UInt8]()) == "")
    }

    @Test func decodesAWord() {
        #expect(LegacyEncoding.windows1256.decode([0xD3, 0xE1, 0xC7, 0xE3]) == "سلام")
        #expect(LegacyEncoding.iso88596.decode([0xD3, 0xE4, 0xC7, 0xE5]) == "سلام")
        #expect(LegacyEncoding.cp720.decode([0xAB, 0xE9, 0x9F, 0xEA]) == "سلام")
    }

    // MARK: Detection of hand-encoded text

    @Test(arguments: [
        "السلام عليكم ورحمة الله وبركاته",
        "تقع مدينة القاهرة على ضفاف نهر النيل، وهي عاصمة مصر وأكبر مدنها.",
        "هل زرت المكتبة الوطنية اليوم؟ افتتحت قاعة جديدة للقراءة؛ والدخول مجاني.",
        "أعلنت وزارة الصحة عن 12 حالة جديدة في مدينة جدة يوم الأحد 5 يوليو 2015.",
    ])
    func detectsWindows1256(_ sentence: String) {
        let bytes = encode(sentence, with: windows1256Bytes)
        let detected = LegacyEncodingDetector.detect(bytes)
        #expect(detected?.encoding == .windows1256)
        #expect(detected?.text == sentence)
    }

    @Test(arguments: [
        "ذهب الطلاب إلى المدرسة صباحا مع معلمهم.",
        "يعمل الباحثون على دراسة اللغة العربية منذ سنوات طويلة، ويقولون إنها غنية بالمفردات؛ أليس كذلك؟",
        "قال المتحدث باسم الحكومة إن الميزانية الجديدة تركز على التعليم والصحة.",
    ])
    func detectsISO88596(_ sentence: String) {
        let bytes = encode(sentence, with: iso88596Bytes)
        let detected = LegacyEncodingDetector.detect(bytes)
        #expect(detected?.encoding == .iso88596)
        #expect(detected?.text == sentence)
    }

    // MARK: The real chardet corpus

    @Test func corpusIsPresent() {
        guard LegacyCorpus.isPresent else {
            withKnownIssue("\(LegacyCorpus.folder.path) is missing: the corpus detection tests were skipped") {
                Issue.record("legacy-encoding corpus not found")
            }
            return
        }
        #expect(LegacyCorpus.files().count == 11)
    }

    @Test(.enabled(if: LegacyCorpus.isPresent, "the chardet legacy-encoding corpus is missing"),
          arguments: LegacyCorpus.files())
    func detectsCorpusFile(_ file: LegacyCorpusFile) throws {
        let bytes = try LegacyCorpus.bytes(of: file)
        let readings = LegacyEncodingDetector.readings(bytes)
        let scores = readings.map { "\($0.encoding.rawValue) \($0.score)" }.joined(separator: ", ")
        let detected = LegacyEncodingDetector.detect(bytes)
        #expect(detected?.encoding.rawValue.lowercased() == file.encoding.lowercased(), "readings: \(scores)")
        let expectedText = try #require(LegacyEncoding.allCases
            .first { $0.rawValue.lowercased() == file.encoding.lowercased() }?.decode(bytes))
        #expect(detected?.text == expectedText)
    }

    /// The same text was written in several code pages; whichever is detected, the text agrees.
    @Test(.enabled(if: LegacyCorpus.isPresent, "the chardet legacy-encoding corpus is missing"),
          arguments: [
              ("windows-1256/_ude_1.txt", "iso-8859-6/_ude_1.txt"),
              ("iso-8859-6/culturax_OSCAR-2109_98639.txt", "cp720/culturax_OSCAR-2109_98639.txt"),
              ("iso-8859-6/culturax_mC4_98635.txt", "cp720/culturax_mC4_98635.txt"),
              ("iso-8859-6/culturax_mC4_98641.txt", "cp720/culturax_mC4_98641.txt"),
          ])
    func sameTextAcrossCodePages(_ first: String, _ second: String) throws {
        let one = LegacyEncodingDetector.detect(try LegacyCorpus.bytes(of: LegacyCorpusFile(path: first, encoding: "")))
        let other = LegacyEncodingDetector.detect(try LegacyCorpus.bytes(of: LegacyCorpusFile(path: second, encoding: "")))
        #expect(one != nil)
        #expect(one?.text == other?.text)
    }

    // MARK: Refusals

    @Test(arguments: [
        "L'élève était à côté de la fenêtre.",
        "élève à côté",
        "naïve café résumé",
        "Ça va? Très bien, merci.",
        "Über die Brücke gehen wir später.",
        "A educação é fundamental; não há solução sem ação.",
    ])
    func refusesLatin1(_ sentence: String) {
        let bytes = sentence.unicodeScalars.map { UInt8($0.value) }  // Latin-1: one byte per scalar
        #expect(LegacyEncodingDetector.detect(bytes) == nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func refusesRandomBinary(_ seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let random = (0..<512).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        #expect(LegacyEncodingDetector.detect(random) == nil)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        #expect(LegacyEncodingDetector.detect(png + random) == nil)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]
        #expect(LegacyEncodingDetector.detect(jpeg + random) == nil)
    }

    /// Printable bytes only (no controls to give them away), still no Arabic prose in any code page.
    @Test func refusesRandomPrintableBytes() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = [UInt8](0x20...0x7E) + [UInt8](0x80...0xFF)
        for length in [8, 64, 512] {
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            #expect(LegacyEncodingDetector.detect(bytes) == nil, "length \(length)")
        }
    }

    @Test func refusesUTF16WithoutBOM() {
        let text = "السلام عليكم ورحمة الله وبركاته، Hello"
        let littleEndian = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(LegacyEncodingDetector.detect(littleEndian) == nil)
        #expect(LegacyEncodingDetector.detect(bigEndian) == nil)
    }

    @Test(arguments: [
        [UInt8](),
        Array("plain ASCII text, no Arabic at all\n".utf8),
        [0x93, 0x51, 0x75, 0x6F, 0x74, 0x65, 0x94, 0x20, 0x80, 0x35, 0x20, 0x85],  // cp1256 “Quote” €5 …
        [0xA0, 0xA0, 0x20, 0xB0, 0xB1],                                              // no-break spaces, ° ±
    ] as [[UInt8]])
    func refusesTextWithoutArabic(_ bytes: [UInt8]) {
        #expect(LegacyEncodingDetector.detect(bytes) == nil)
    }

    // MARK: Plausibility

    @Test func plausibilityIsWithinBoundsAndRanksProseFirst() {
        let prose = "تقع مدينة القاهرة على ضفاف نهر النيل، وهي عاصمة مصر."
        let boxes = "╟╚╔╩╦ ░▒▓ │┤╡"
        #expect(LegacyEncodingDetector.plausibility(prose) > 0.8)
        #expect(LegacyEncodingDetector.plausibility(boxes) == 0)
        #expect(LegacyEncodingDetector.plausibility("ASCII only") == 0)
        #expect(LegacyEncodingDetector.plausibility("") == 0)
        #expect(LegacyEncodingDetector.plausibility("\u{064B}\u{064C} \u{064D}") == 0)  // lone diacritics
        #expect(LegacyEncodingDetector.plausibility("ﻻ ﺍﻟﺴﻼﻡ") == 0)                        // presentation forms
        // ISO-8859-6 bytes read as windows-1256 score lower than their own reading.
        let bytes = encode(prose, with: iso88596Bytes)
        let asWindows = LegacyEncoding.windows1256.decode(bytes) ?? ""
        #expect(LegacyEncodingDetector.plausibility(asWindows) < LegacyEncodingDetector.plausibility(prose))
    }
}
