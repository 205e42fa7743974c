import ArabicText
import Foundation
import Testing
@testable import Transform

/// The shipped lexicon against labelled sentences. Guards against regressions, not targets to tune the lexicon to.
///
/// - Tests/Fixtures/themes-gold.tsv: sentences written for the project and labelled by the codebook.
/// - Tests/Fixtures/themes-dev.tsv: real sentences from the news corpus (ANT multi-source, JawharaFM,
///   SaudiNewsNet), drawn at random, from off-topic sections and around theme vocabulary, and labelled by the
///   codebook before any classifier output was looked at.
/// - Tests/Fixtures/themes-holdout.tsv: real sentences from other articles, labelled the same way and kept out of
///   lexicon work; it is read by `bayan eval themes` to report how the lexicon generalises, not by these tests.
/// - Tests/Fixtures/themes-holdout2.tsv: random sentences from random articles of all sections and sources (most
///   have no theme), from articles used by neither set above (themes-holdout2-articles.txt lists the article of
///   each line), labelled before classification; measured before and after a change of the lexicon, never tuned on.
/// - Tests/Fixtures/themes-dev3.tsv: random sentences from unused articles, plus a sample of the first sentences of
///   articles chosen (by their titles) for the themes random sampling leaves thin; labelled before classification,
///   tuned on. Tests/Fixtures/README-themes3.md says how both were drawn.
/// - Tests/Fixtures/themes-holdout3.tsv: the other random half, measured before and after a change, never tuned on.
@Suite struct ThemeRegressionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped lexicon's scores on a fixture, with the fixture's gold labels.
    static func evaluate(_ fixture: String) throws -> (evaluation: ThemeEvaluation, gold: [Set<String>], codes: [String]) {
        let lexicon = try TransformConfiguration.load(from: repository.appendingPathComponent("config")).themes
        let text = try String(contentsOf: repository.appendingPathComponent("Tests/Fixtures/\(fixture)"), encoding: .utf8)
        var gold: [Set<String>] = [], predicted: [Set<String>] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(parts.count == 2, "line: \(line)")
            gold.append(Set(parts[1].split(separator: ",").map(String.init)))
            predicted.append(Set(lexicon.classify(stems: ThemeLexicon.stems(of: String(parts[0]))).map(\.code)))
        }
        let codes = lexicon.themes.map(\.code)
        return (ThemeEvaluation(codes: codes, gold: gold, predicted: predicted), gold, codes)
    }

    @Test func shippedLexiconKeepsItsScoresOnTheLabelledSet() throws {
        let (evaluation, gold, codes) = try Self.evaluate("themes-gold.tsv")
        #expect(gold.count >= 200)
        #expect(gold.filter(\.isEmpty).count >= 60, "off-topic sentences")
        #expect(codes.allSatisfy { code in gold.contains { $0.contains(code) } }, "every theme labelled")
        // Levels reached by the shipped lexicon and stemmer (macro-F1 0.878, false-positive rate 0.011).
        #expect(evaluation.macroF1 >= 0.86, "macro-F1 \(evaluation.macroF1)")
        #expect(evaluation.falsePositiveRate <= 0.025, "false-positive rate \(evaluation.falsePositiveRate)")
    }

    @Test func shippedLexiconKeepsItsScoresOnRealNewsSentences() throws {
        let (evaluation, gold, codes) = try Self.evaluate("themes-dev.tsv")
        #expect(gold.count >= 400)
        #expect(gold.filter(\.isEmpty).count >= 120, "off-topic sentences")
        #expect(gold.filter { $0.count > 1 }.count >= 50, "multi-theme sentences")
        for code in codes {
            #expect(gold.filter { $0.contains(code) }.count >= 30, "positives for \(code)")
        }
        // Levels reached by the shipped lexicon and stemmer (macro-F1 0.810, false-positive rate 0.040,
        // lowest theme F1 0.72).
        #expect(evaluation.macroF1 >= 0.80, "macro-F1 \(evaluation.macroF1)")
        #expect(evaluation.falsePositiveRate <= 0.048, "false-positive rate \(evaluation.falsePositiveRate)")
        for (code, scores) in evaluation.perTheme {
            #expect(scores.f1 >= 0.70, "F1 of \(code): \(scores.f1)")
        }
    }

    @Test func shippedLexiconKeepsItsScoresOnTheThirdRealNewsSet() throws {
        let (evaluation, gold, codes) = try Self.evaluate("themes-dev3.tsv")
        #expect(gold.count >= 450)
        #expect(gold.filter(\.isEmpty).count >= 200, "off-topic sentences")
        for code in codes {
            #expect(gold.filter { $0.contains(code) }.count >= 20, "positives for \(code)")
        }
        // Levels reached by the shipped lexicon and stemmer (macro-F1 0.718, false-positive rate 0.069).
        #expect(evaluation.macroF1 >= 0.70, "macro-F1 \(evaluation.macroF1)")
        #expect(evaluation.falsePositiveRate <= 0.08, "false-positive rate \(evaluation.falsePositiveRate)")
    }

    /// The held-out halves are read here only to check that they stay well-formed; their scores are reported by
    /// `bayan eval themes`, not held to floors a lexicon change could be tuned against.
    @Test func heldOutSetsAreWellFormed() throws {
        for fixture in ["themes-holdout2.tsv", "themes-holdout3.tsv"] {
            let (_, gold, codes) = try Self.evaluate(fixture)
            #expect(gold.count >= 280, "\(fixture)")
            #expect(gold.allSatisfy { $0.isSubset(of: Set(codes)) }, "\(fixture): unknown codes")
        }
    }

    /// Two entries of one theme with the same stems would count one phrase twice.
    @Test func noThemeListsTheSameStemsTwice() throws {
        let lexicon = try TransformConfiguration.load(from: Self.repository.appendingPathComponent("config")).themes
        for theme in lexicon.themes {
            var seen: [[String]: String] = [:]
            for term in theme.terms {
                if let earlier = seen[term.stems] {
                    Issue.record("\(theme.code): '\(term.text)' has the stems of '\(earlier)'")
                }
                seen[term.stems] = term.text
            }
        }
    }
}
