import ArabicText
import Foundation
import Testing
@testable import Transform

/// The shipped lexicon against the project's own labelled sentences (Tests/Fixtures/themes-gold.tsv, written
/// and labelled by the codebook). A guard against regressions, not a target to tune the lexicon to.
@Suite struct ThemeRegressionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func shippedLexiconKeepsItsScoresOnTheLabelledSet() throws {
        let lexicon = try TransformConfiguration.load(from: Self.repository.appendingPathComponent("config")).themes
        let text = try String(contentsOf: Self.repository.appendingPathComponent("Tests/Fixtures/themes-gold.tsv"), encoding: .utf8)
        var gold: [Set<String>] = [], predicted: [Set<String>] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(parts.count == 2, "line: \(line)")
            gold.append(Set(parts[1].split(separator: ",").map(String.init)))
            predicted.append(Set(lexicon.classify(stems: ThemeLexicon.stems(of: String(parts[0]))).map(\.code)))
        }
        let evaluation = ThemeEvaluation(codes: lexicon.themes.map(\.code), gold: gold, predicted: predicted)
        #expect(gold.count >= 200)
        #expect(gold.filter(\.isEmpty).count >= 60, "off-topic sentences")
        #expect(lexicon.themes.allSatisfy { theme in gold.contains { $0.contains(theme.code) } }, "every theme labelled")
        // Levels reached by the shipped lexicon and stemmer (macro-F1 0.6597, false-positive rate 0.042).
        #expect(evaluation.macroF1 >= 0.655, "macro-F1 \(evaluation.macroF1)")
        #expect(evaluation.falsePositiveRate <= 0.05, "false-positive rate \(evaluation.falsePositiveRate)")
    }
}
