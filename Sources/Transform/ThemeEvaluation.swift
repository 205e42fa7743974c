/// Precision, recall and F1 of the classifier against sentences labelled by hand.
public struct ThemeEvaluation: Sendable, Equatable {
    /// Scores of one theme.
    public struct Scores: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Gold sentences that have the theme.
        public var support: Int
        /// Sentences the classifier gave the theme.
        public var predicted: Int
    }

    /// Per theme, in codebook order.
    public var perTheme: [(code: String, scores: Scores)]
    /// Mean F1 over the themes that occur in the gold set or in the predictions.
    public var macroF1: Double
    /// Share of gold no-theme sentences that got at least one theme.
    public var falsePositiveRate: Double
    public var sentences: Int
    public var noThemeSentences: Int

    public static func == (lhs: ThemeEvaluation, rhs: ThemeEvaluation) -> Bool {
        lhs.perTheme.map(\.code) == rhs.perTheme.map(\.code) && lhs.perTheme.map(\.scores) == rhs.perTheme.map(\.scores)
            && lhs.macroF1 == rhs.macroF1 && lhs.falsePositiveRate == rhs.falsePositiveRate
            && lhs.sentences == rhs.sentences && lhs.noThemeSentences == rhs.noThemeSentences
    }

    /// Scores predictions against gold labels (each a set of theme codes per sentence, same order).
    public init(codes: [String], gold: [Set<String>], predicted: [Set<String>]) {
        precondition(gold.count == predicted.count, "one prediction per gold sentence")
        var perTheme: [(code: String, scores: Scores)] = []
        var f1s: [Double] = []
        for code in codes {
            var truePositives = 0, falsePositives = 0, falseNegatives = 0
            for (expected, actual) in zip(gold, predicted) {
                switch (expected.contains(code), actual.contains(code)) {
                case (true, true): truePositives += 1
                case (false, true): falsePositives += 1
                case (true, false): falseNegatives += 1
                case (false, false): break
                }
            }
            let precision = truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
            let recall = truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            let support = truePositives + falseNegatives
            let predictedCount = truePositives + falsePositives
            perTheme.append((code, Scores(precision: precision, recall: recall, f1: f1, support: support, predicted: predictedCount)))
            if support > 0 || predictedCount > 0 { f1s.append(f1) }
        }
        self.perTheme = perTheme
        macroF1 = f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count)
        let noTheme = zip(gold, predicted).filter { $0.0.isEmpty }
        noThemeSentences = noTheme.count
        falsePositiveRate = noTheme.isEmpty ? 0 : Double(noTheme.filter { !$0.1.isEmpty }.count) / Double(noTheme.count)
        sentences = gold.count
    }
}
