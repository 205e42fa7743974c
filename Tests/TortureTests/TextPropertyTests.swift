import ArabicText
import Dispatch
import Foundation
import Synchronization
import Testing
import TestSupport
import Transform

/// Seeded properties of the pure text algorithms over random Unicode (see ``RandomText``).
@Suite struct TextPropertyTests {
    static let trials = Torture.scale(3_000, long: 100_000)

    /// Every shipped profile, and one profile per folding step, so each step is idempotent alone too.
    static let profiles: [NormalizationProfile] = [.default, .conservative]
        + ArabicFolding.allCases.map { NormalizationProfile(name: "only-\($0.rawValue)", foldings: [$0], revision: 1) }

    /// The scalars of `text` as `U+XXXX`, to paste into a table test.
    static func escaped(_ text: String) -> String {
        text.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
    }

    @Test(arguments: profiles)
    func normalizationIsIdempotentAndTotal(_ profile: NormalizationProfile) {
        let normalizer = ArabicNormalizer(profile: profile)
        var generator = SeededGenerator(seed: Torture.seed)
        var failures = 0
        for trial in 0..<Self.trials {
            let input = RandomText.string(maxLength: 48, using: &generator)
            let once = normalizer.normalize(input)
            let twice = normalizer.normalize(once)
            if once != twice {
                failures += 1
                if failures <= 3 {
                    Issue.record("""
                        \(profile.version) is not idempotent, trial \(trial), \(Torture.replay(Torture.seed))
                          input  \(Self.escaped(input))
                          once   \(Self.escaped(once))
                          twice  \(Self.escaped(twice))
                        """)
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.trials) inputs, \(Torture.replay(Torture.seed))")
    }

    /// Normalization is linear whatever the text: capitals that lowercase to other scalars were appended in a
    /// way that copied the whole output each time.
    @Test(arguments: [
        ("Д", 200_000, "Cyrillic capitals"),
        ("É ", 150_000, "accented Latin capitals and spaces"),
        ("İ", 100_000, "a capital whose lowercase is two scalars"),
        ("كَتَبَ ", 100_000, "Arabic with harakat"),
    ])
    func normalizationIsLinear(_ unit: String, _ count: Int, _ label: String) {
        let text = String(repeating: unit, count: count)
        for profile in [NormalizationProfile.default, .conservative] {
            let started = Date()
            let normalized = ArabicNormalizer(profile: profile).normalize(text)
            let seconds = Date().timeIntervalSince(started)
            #expect(!normalized.isEmpty)
            #expect(seconds < 10, "\(label), \(profile.version): \(seconds) s")
        }
    }

    /// Sentence spans cover every non-space scalar of the paragraph exactly once, in order, and their text is
    /// the paragraph's own scalars between their offsets.
    @Test func segmentationCoversEveryNonSpaceScalarOnceInOrder() {
        var generator = SeededGenerator(seed: Torture.seed)
        let segmenter = SentenceSegmenter(maxWords: 12)
        var failures = 0
        for trial in 0..<Self.trials {
            let paragraph = RandomText.string(maxLength: 80, using: &generator)
            let scalars = Array(paragraph.unicodeScalars)
            let spans = segmenter.spans(in: paragraph)
            var problems: [String] = []
            var covered = [Int](repeating: 0, count: scalars.count)
            var previousEnd = 0
            for span in spans {
                if span.start < previousEnd || span.start >= span.end || span.end > scalars.count {
                    problems.append("span \(span.start)..<\(span.end) out of order or empty (previous end \(previousEnd))")
                    continue
                }
                previousEnd = span.end
                for index in span.start..<span.end { covered[index] += 1 }
                if span.text.unicodeScalars.elementsEqual(scalars[span.start..<span.end]) == false {
                    problems.append("span \(span.start)..<\(span.end) text differs from the paragraph's scalars")
                }
                if let first = span.text.unicodeScalars.first, first.properties.isWhitespace {
                    problems.append("span \(span.start) starts with white space")
                }
            }
            for (index, scalar) in scalars.enumerated() where !scalar.properties.isWhitespace && covered[index] != 1 {
                problems.append("scalar \(index) (\(Self.escaped(String(scalar)))) covered \(covered[index]) times")
            }
            if !problems.isEmpty {
                failures += 1
                if failures <= 3 {
                    Issue.record("""
                        segmentation, trial \(trial), \(Torture.replay(Torture.seed))
                          input \(Self.escaped(paragraph))
                          \(problems.prefix(5).joined(separator: "\n  "))
                        """)
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.trials) paragraphs, \(Torture.replay(Torture.seed))")
    }

    /// Cleanup-shaped input, long: 10,000 paragraphs in one article segment in linear time.
    @Test func tenThousandParagraphsSegmentQuickly() {
        let segmenter = SentenceSegmenter()
        let paragraphs = (0..<10_000).map { "هذه الفقرة رقم \($0) من المقال. وفيها جملة ثانية؟" }
        let started = Date()
        let counts = paragraphs.map { segmenter.spans(in: $0).count }
        let seconds = Date().timeIntervalSince(started)
        #expect(counts.allSatisfy { $0 == 2 })
        #expect(seconds < 20, "10,000 paragraphs took \(seconds) s")
    }

    /// The shipped lexicon gives the same themes for the same sentence, run after run and across threads.
    @Test func classificationIsDeterministicAcrossThreads() throws {
        let configuration = try TransformConfiguration.load(from: TestPostgres.repositoryRoot.appendingPathComponent("config"))
        let lexicon = configuration.themes
        let terms = lexicon.themes.flatMap { $0.terms.map(\.text) }
        var generator = SeededGenerator(seed: Torture.seed)
        let sentences: [String] = (0..<Torture.scale(2_000, long: 20_000)).map { _ in
            var words: [String] = []
            for _ in 0..<Int.random(in: 1...14, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0, 1: words.append(terms.randomElement(using: &generator) ?? "قتل")
                case 2: words.append(RandomText.words.randomElement(using: &generator)!)
                default: words.append(RandomText.string(maxLength: 6, using: &generator))
                }
            }
            return words.joined(separator: " ")
        }
        @Sendable func classify(_ sentence: String) -> [ThemeLexicon.Assignment] { lexicon.classify(stems: ThemeLexicon.stems(of: sentence)) }
        let first = sentences.map(classify)
        let second = sentences.map(classify)
        #expect(first == second, Comment(rawValue: Torture.replay(Torture.seed)))
        #expect(first.contains { !$0.isEmpty }, "the generated sentences hit some theme")

        let threads = 4
        let results = Mutex<[[ThemeLexicon.Assignment]]>(Array(repeating: [], count: sentences.count * threads))
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            // Each worker goes through the sentences in its own order.
            for offset in 0..<sentences.count {
                let base = worker % 2 == 0 ? offset : sentences.count - 1 - offset
                let index = (base + worker * 7) % sentences.count
                let assignment = classify(sentences[index])
                results.withLock { $0[worker * sentences.count + index] = assignment }
            }
        }
        let parallel = results.withLock { $0 }
        var mismatches = 0
        for worker in 0..<threads {
            for index in sentences.indices where parallel[worker * sentences.count + index] != first[index] {
                mismatches += 1
                if mismatches <= 3 { Issue.record("thread \(worker) differs on \(sentences[index].debugDescription), \(Torture.replay(Torture.seed))") }
            }
        }
        #expect(mismatches == 0)
    }
}
