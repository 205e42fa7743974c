import ArabicText
import Foundation
import Testing
import TestSupport
@testable import Extract

/// Cleanup and dateline search skip work on bytes (NFKC when the text passes Unicode's quick check, the
/// lines after the first ones); these tests hold them to what they are defined as, on seeded random text
/// with harakat in and out of canonical order, presentation forms, ligatures and every kind of line end.
@Suite struct ByteLevelCleanupTests {
    static let alphabet: [String] = [
        "ا", "ب", "ل", "م", "ه", "ي", "أ", "ا\u{0654}", "\u{064E}", "\u{0651}", "\u{0650}", "\u{0651}\u{064E}", "\u{064E}\u{0651}",
        "\u{0670}", "\u{0653}", "\u{FEFB}", "\u{FE8D}", "\u{FDF2}", "ﻻ", "٢", "5", " ", "\t", "\u{00A0}", "\u{2003}", "\u{200B}",
        "\u{200F}", "\u{FEFF}", "\r", "\n", "\r\n", "\u{000B}", "\u{0085}", "\u{2028}", "\u{2029}", "e", "\u{0301}", "\u{0323}",
        "é", "ﬁ", "²", "…", "«", "»", "“", "—", "\u{212B}", "\u{1F600}", "/", "-", "يونيو", "2020", "4/6/2020", "حزيران",
    ]

    static func randomText(_ generator: inout SeededGenerator, maxLength: Int) -> String {
        (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }

    @Test func cleanupIsNFKCThenLineUnification() {
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<5_000 {
            let text = Self.randomText(&generator, maxLength: 24)
            let expected = Self.referenceUnify(text.precomposedStringWithCompatibilityMapping)
            #expect(Array(TextCleanup.clean(text).utf8) == Array(expected.utf8), "text: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func quickCheckNeverPassesTextThatNFKCChanges() {
        var generator = SeededGenerator(seed: 23)
        var passed = 0
        for _ in 0..<5_000 {
            let text = Self.randomText(&generator, maxLength: 12)
            let passes = text.utf8.withContiguousStorageIfAvailable { TextCleanup.passesNFKCQuickCheck($0) } ?? false
            if passes {
                passed += 1
                #expect(Array(text.precomposedStringWithCompatibilityMapping.utf8) == Array(text.utf8),
                        "text: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
        #expect(passed > 100, "some random text passes")
    }

    @Test func datelinesAreSearchedInTheFirstLinesAsDefined() {
        var generator = SeededGenerator(seed: 29)
        for _ in 0..<3_000 {
            let text = Self.randomText(&generator, maxLength: 30)
            let expected = Self.referenceFind(text: text, path: "x/y.txt")
            #expect(PublicationDateFinder.find(text: text, path: "x/y.txt") == expected, "text: \(text.debugDescription)")
        }
    }

    /// Lines split at newline `Character`s, folded, the first short one holding a date.
    static func referenceFind(text: String, path: String, lineLimit: Int = 5) -> PublicationDate? {
        var linesSeen = 0
        for line in text.split(whereSeparator: \.isNewline) {
            let folded = ArabicNormalizer().normalize(String(line))
            if folded.isEmpty { continue }
            if folded.split(separator: " ").count <= 10, let date = PublicationDateFinder.dates(in: String(line)).first {
                return PublicationDate(year: date.year, month: date.month, day: date.day, origin: .text)
            }
            linesSeen += 1
            if linesSeen >= lineLimit { break }
        }
        return PublicationDateFinder.dates(in: path, isPath: true).first.map {
            PublicationDate(year: $0.year, month: $0.month, day: $0.day, origin: .path)
        }
    }

    /// Line unification as defined, scalar by scalar.
    static func referenceUnify(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pending: [Unicode.Scalar] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if TextCleanup.isInvisibleControl(scalar) { continue }
            switch scalar {
            case "\r", "\n":
                if scalar == "\r", index < scalars.count, scalars[index] == "\n" { index += 1 }
                pending.removeAll()
                output.append("\n")
            case " ", "\t":
                pending.append(scalar)
            case _ where TextCleanup.isOtherSpace(scalar):
                pending.append(" ")
            default:
                output.append(contentsOf: pending)
                pending.removeAll()
                output.append(scalar)
            }
        }
        return String(output)
    }

}
