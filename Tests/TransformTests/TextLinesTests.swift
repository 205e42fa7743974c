import ArabicText
import Foundation
import Testing
import TestSupport
@testable import Transform

/// Lines found on bytes, and lines compared on bytes, against `String`'s own operations.
@Suite struct TextLinesTests {
    static let alphabet: [String] = ["ا", "ب", "ة", "أ", "ا\u{0654}", "\u{064E}", " ", "\t", "\u{00A0}", "\u{200B}", "\u{2003}", "\u{3000}",
                                     "\n", "\r", "\r\n", "x", "K", "\u{212A}", ";", "\u{037E}", "e\u{0301}", "é", "\u{1F600}", "«", "»", "2", ":"]

    static func randomText(_ generator: inout SeededGenerator, maxLength: Int) -> String {
        (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }

    @Test func linesSplitAndTrimAsStringDoes() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<5_000 {
            let text = Self.randomText(&generator, maxLength: 30)
            let expected = text.split(separator: "\n", omittingEmptySubsequences: false)
            var copy = text
            let lines = copy.withUTF8 { utf8 in
                TextLines.lines(utf8).map { line in
                    (TextLines.string(utf8, line.bytes), TextLines.string(utf8, line.trimmed), TextLines.scalarCount(utf8, line.bytes), line.number)
                }
            }
            #expect(lines.count == expected.count, "text: \(text.debugDescription)")
            for (line, (raw, trimmed, scalars, number)) in zip(expected, lines) {
                #expect(Array(raw.utf8) == Array(line.utf8), "text: \(text.debugDescription)")
                #expect(Array(trimmed.utf8) == Array(line.trimmingCharacters(in: .whitespaces).utf8), "line: \(line.debugDescription)")
                #expect(scalars == line.unicodeScalars.count)
                #expect(number >= 1)
            }
        }
    }

    @Test func boilerplateMatchesAsStringsCompare() {
        // Entries and lines where canonical equivalence and bytes part ways: a Kelvin sign, a Greek question
        // mark, a decomposed hamza, a combining accent.
        let lines = ["تابعونا", "\u{212A}", "a;b", "ا\u{0654}ظهر", "e\u{0301}", "x"]
        let prefixes = ["اقرا", "\u{037E}", "é", "K"]
        let list = BoilerplateList(lines: lines, prefixes: prefixes)
        var generator = SeededGenerator(seed: 9)
        var candidates = ["تابعونا", "a\u{037E}b", "a;b", "أظهر", "é", "e\u{0301}", "K", "k", "اقرا ايضا", "; x", "\u{037E} x", "é x", "Kx", "x"]
        for _ in 0..<3_000 { candidates.append(ArabicNormalizer().normalize(Self.randomText(&generator, maxLength: 8))) }
        for line in candidates {
            let expected = Self.referenceMatch(list, lines: lines, prefixes: prefixes, line: line)
            #expect(list.match(normalizedLine: line)?.text == expected, "line: \(line.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// What `BoilerplateList.match` is defined as: a `String`-keyed lookup, then `hasPrefix` longest first
    /// with the word-boundary check.
    static func referenceMatch(_ list: BoilerplateList, lines: [String], prefixes: [String], line: String) -> String? {
        let normalizer = ArabicNormalizer()
        var byLine: [String: String] = [:]
        for text in lines where byLine[normalizer.normalize(text)] == nil { byLine[normalizer.normalize(text)] = text }
        if let text = byLine[line] { return text }
        var seen: [String] = []
        var ordered: [(normalized: String, text: String)] = []
        for text in prefixes where !seen.contains(normalizer.normalize(text)) {
            seen.append(normalizer.normalize(text))
            ordered.append((normalizer.normalize(text), text))
        }
        ordered.sort { $0.normalized.utf8.count > $1.normalized.utf8.count }
        for prefix in ordered where line.hasPrefix(prefix.normalized) {
            let rest = line.unicodeScalars.dropFirst(prefix.normalized.unicodeScalars.count)
            if let next = rest.first, let last = prefix.normalized.unicodeScalars.last,
               BoilerplateList.isWordScalar(next), BoilerplateList.isWordScalar(last) {
                continue
            }
            return prefix.text
        }
        return nil
    }
}
