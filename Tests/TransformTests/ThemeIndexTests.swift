import ArabicText
import Foundation
import Testing
import TestSupport
@testable import Transform

/// The indexed matcher against the rules as defined: every entry compared at every position, every
/// exclusion, window and near veto scanned per theme (``referenceMatches(_:stems:)`` plus
/// ``ThemeLexicon/assignments(for:stems:)``), over the shipped lexicon and a small one with every kind of rule.
@Suite struct ThemeIndexTests {
    /// Every kind of rule, an entry shared by two themes, an entry listed twice, a window over the same term
    /// twice, and a veto naming the entry listed twice.
    static let rulesYAML = """
        themes:
          - code: security
            name_ar: الأمن
            name_en: Security
            description: x
            threshold: 1
            terms:
              - الأمن
              - {term: قوات الأمن, weight: 2}
              - {term: هجوم, weight: 0.5}
              - {term: هجوم, weight: 0.5}
              - اعتقال
            exclude: [كرة القدم, المباراة]
            windows:
              - {terms: [هجوم, مسلح], within: 3, weight: 1}
              - {terms: [اعتقال, اعتقال], within: 4, weight: 0.25}
            veto_near:
              - {cues: [المنتخب, نادي], within: 1, terms: [الأمن, هجوم]}
              - {cues: [مجلس], within: 0}
          - code: diplomacy
            name_ar: الدبلوماسية
            name_en: Diplomacy
            description: y
            threshold: 1.5
            terms:
              - مجلس الأمن
              - قوات الأمن
              - {term: وزير الخارجية, weight: 0.75}
              - {term: زيارة, weight: 0.75}
            windows:
              - {terms: [وزير, زيارة], within: 2, weight: 0.5}
        """

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Sentences of words drawn from the lexicon's entries and cues and from ordinary words.
    static func sentences(for lexicon: ThemeLexicon, count: Int, seed: UInt64) -> [String] {
        var words = ["في", "قال", "المدينة", "أمس", "الذي", "على", "من", "2020", "وزير", "مسلح", "نادي", "covid"]
        for theme in lexicon.themes {
            words += theme.terms.map(\.text)
            words += theme.exclusions.map { $0.joined(separator: " ") }
            words += theme.windows.flatMap { [$0.first.joined(separator: " "), $0.second.joined(separator: " ")] }
            words += theme.nearVetoes.flatMap { $0.cues.map { $0.joined(separator: " ") } }
        }
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...16, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
        }
    }

    @Test(arguments: ["rules", "shipped"])
    func classifiesAsTheRulesDefine(_ which: String) throws {
        let lexicon = which == "rules"
            ? try ThemeLexicon.parse(yaml: Self.rulesYAML, file: "themes.yaml", version: "v")
            : try TransformConfiguration.load(from: Self.repository.appendingPathComponent("config")).themes
        var scratch = ThemeIndex.Scratch()
        var assigned = 0
        for sentence in Self.sentences(for: lexicon, count: which == "rules" ? 4_000 : 3_000, seed: 5) {
            let stems = ThemeLexicon.stems(of: sentence)
            let expectedMatches = Self.referenceMatches(lexicon, stems: stems)
            #expect(lexicon.matches(stems: stems) == expectedMatches, "sentence: \(sentence)")
            let expected = lexicon.assignments(for: expectedMatches, stems: stems)
            #expect(lexicon.classify(stems: stems) == expected, "sentence: \(sentence)")
            // The transform's path: tokens and stems found on the normalized bytes, buffers reused.
            let normalized = ArabicNormalizer().normalize(sentence)
            #expect(lexicon.classify(normalized: normalized, scratch: &scratch) == expected, "sentence: \(sentence)")
            if !expected.isEmpty { assigned += 1 }
        }
        #expect(assigned > 100, "the sentences reach some theme")
    }

    /// Entries, longest first at each position, then window rules theme by theme: the definition of
    /// ``ThemeLexicon/matches(stems:)``.
    static func referenceMatches(_ lexicon: ThemeLexicon, stems: [String]) -> [ThemeLexicon.Match] {
        func occurrences(_ sequence: [String]) -> [Int] {
            guard !sequence.isEmpty, sequence.count <= stems.count else { return [] }
            return (0...(stems.count - sequence.count)).filter { start in
                zip(stems[start..<start + sequence.count], sequence).allSatisfy { Array($0.utf8) == Array($1.utf8) }
            }
        }
        var found: [ThemeLexicon.Match] = []
        var position = 0
        while position < stems.count {
            var candidates: [(theme: ThemeLexicon.Theme, term: ThemeLexicon.Term)] = []
            for theme in lexicon.themes {
                for term in theme.terms where Array(term.stems[0].utf8) == Array(stems[position].utf8) { candidates.append((theme, term)) }
            }
            candidates.sort { $0.term.stems.count > $1.term.stems.count }
            var matchedLength = 0
            for (theme, term) in candidates {
                if matchedLength > 0 && term.stems.count < matchedLength { break }
                guard occurrences(term.stems).contains(position) else { continue }
                matchedLength = term.stems.count
                found.append(ThemeLexicon.Match(themeCode: theme.code, term: term.text, weight: term.weight,
                                                start: position, end: position + term.stems.count))
            }
            position += max(1, matchedLength)
        }
        for theme in lexicon.themes {
            for rule in theme.windows {
                var best: (Int, Int)?
                for a in occurrences(rule.first) {
                    for b in occurrences(rule.second) where a != b && abs(a - b) <= rule.within {
                        let span = (min(a, b), max(a + rule.first.count, b + rule.second.count))
                        if best == nil || span.0 < best!.0 { best = span }
                    }
                }
                if let best {
                    found.append(ThemeLexicon.Match(themeCode: theme.code, term: rule.text, weight: rule.weight, start: best.0, end: best.1))
                }
            }
        }
        return found
    }

}
