import ArabicText
import RunArtifacts
import Foundation

/// The themes and their lexicons, compiled for matching on normalized, light-stemmed tokens.
public struct ThemeLexicon: Sendable {
    /// One theme of the codebook.
    public struct Theme: Sendable, Equatable {
        public var code: String
        public var nameArabic: String
        public var nameEnglish: String
        public var description: String
        public var threshold: Double
        public var terms: [Term]
        /// Cues that veto the theme: when one occurs in a sentence, the theme is not assigned (stem sequences).
        public var exclusions: [[String]] = []
        /// Pairs of terms that count when they occur within a few tokens of each other.
        public var windows: [WindowRule] = []
        /// Cues that cancel only the entries found near them, not the whole theme.
        public var nearVetoes: [NearVeto] = []
    }

    /// A matched entry of the theme does not count when one of `cues` occurs within `within` tokens of it
    /// (overlapping included). With `terms`, only those entries (as written in the configuration) are cancelled.
    /// Used where an entry has an everyday sense that its neighbours give away (نظيره next to a national team,
    /// الحماية المدنية for civil defence) and a whole-sentence veto would also drop real uses elsewhere in it.
    public struct NearVeto: Sendable, Equatable {
        public var cues: [[String]]
        public var within: Int
        /// Entries the veto applies to; nil for every entry of the theme.
        public var terms: Set<String>?
    }

    /// Two terms within `within` tokens of each other (either order) add `weight`.
    public struct WindowRule: Sendable, Equatable {
        /// Shown in explanations: `first … second (≤ within)`.
        public var text: String
        public var first: [String]
        public var second: [String]
        public var within: Int
        public var weight: Double
    }

    /// A lexicon entry: a word or phrase and its weight.
    public struct Term: Sendable, Equatable {
        /// As written in the configuration (what explanations show).
        public var text: String
        public var weight: Double
        /// The stems the entry matches, in order.
        public var stems: [String]
    }

    public var themes: [Theme]
    /// Identifies the lexicon (a prefix of the configuration hash), stored with every assignment.
    public var version: String
    /// The lexicon compiled for matching.
    let index: ThemeIndex

    public init(themes: [Theme], version: String) {
        self.themes = themes
        self.version = version
        self.index = ThemeIndex(themes: themes)
    }

    /// Stems of a text as matching sees them (normalize, tokenize, stem).
    public static func stems(of text: String) -> [String] {
        ArabicTokenizer.tokens(ArabicNormalizer().normalize(text)).map(ArabicLightStemmer.stem)
    }

    /// A theme a sentence takes, with its evidence.
    public struct Assignment: Sendable, Equatable {
        public var code: String
        public var score: Double
        /// Matched entries, as written in the configuration, in order of first appearance.
        public var matchedTerms: [String]
        /// Token positions [start, end) of each matched entry's first occurrence, parallel to ``matchedTerms``.
        public var matchedSpans: [Range<Int>] = []
    }

    /// Scores a sentence given its stems. Multi-label and deterministic: every theme whose score reaches its
    /// threshold, in codebook order. At each position the longest matching entry wins and its tokens are not
    /// matched again; an entry counts once per sentence however often it occurs. The result is
    /// `assignments(for: matches(stems: stems), stems: stems)`, computed in one indexed pass.
    ///
    /// - Complexity: O(tokens × entries and cues sharing a stem), one table lookup per token, whatever the
    ///   size of the lexicon.
    public func classify(stems: [String]) -> [Assignment] {
        var scratch = ThemeIndex.Scratch()
        index.appendIDs(of: stems, to: &scratch.ids)
        return index.classify(&scratch)
    }

    /// Classifies a sentence normalized by ``ArabicNormalizer``, tokenizing and stemming it on the way:
    /// `classify(stems: ArabicTokenizer.tokens(normalized).map(ArabicLightStemmer.stem))` without making a
    /// `String` of any token or stem. `scratch` is reused from one sentence to the next.
    func classify(normalized: String, scratch: inout ThemeIndex.Scratch) -> [Assignment] {
        scratch.ids.removeAll(keepingCapacity: true)
        var normalized = normalized
        normalized.withUTF8 { index.appendIDs(ofNormalizedUTF8: $0, to: &scratch.ids) }
        return index.classify(&scratch)
    }

    /// A lexicon entry found in a sentence.
    public struct Match: Sendable, Equatable {
        public var themeCode: String
        /// As written in the configuration.
        public var term: String
        public var weight: Double
        /// Token positions [start, end) in the sentence.
        public var start: Int
        public var end: Int
    }

    /// Every entry found, left to right: at each position the longest entries win (one per theme when several
    /// themes share a phrase), and their tokens are not matched again.
    public func matches(stems: [String]) -> [Match] {
        var scratch = ThemeIndex.Scratch()
        index.appendIDs(of: stems, to: &scratch.ids)
        return index.matches(&scratch)
    }

    /// Start positions of a stem sequence in a sentence's stems.
    static func occurrences(of sequence: [String], in stems: [String]) -> [Int] {
        guard !sequence.isEmpty, sequence.count <= stems.count else { return [] }
        return (0...(stems.count - sequence.count)).filter { equal(stems[$0..<$0 + sequence.count], sequence) }
    }

    static func equal(_ a: ArraySlice<String>, _ b: [String]) -> Bool {
        guard a.count == b.count else { return false }
        var index = a.startIndex
        for item in b {
            guard a[index].hasSameBytes(as: item) else { return false }
            index += 1
        }
        return true
    }

    /// The themes the matches give: an entry counts once per sentence however often it occurs; every theme
    /// whose score reaches its threshold, in codebook order.
    public func assignments(for matches: [Match], stems: [String] = []) -> [Assignment] {
        var assignments: [Assignment] = []
        for theme in themes {
            if theme.exclusions.contains(where: { !Self.occurrences(of: $0, in: stems).isEmpty }) { continue }
            var score = 0.0
            var terms: [String] = []
            var spans: [Range<Int>] = []
            let vetoSpans: [(veto: NearVeto, spans: [Range<Int>])] = theme.nearVetoes.map { veto in
                (veto, veto.cues.flatMap { cue in Self.occurrences(of: cue, in: stems).map { $0..<$0 + cue.count } })
            }
            for match in matches.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) })
            where match.themeCode == theme.code && !terms.contains(where: { $0.hasSameBytes(as: match.term) })
                && !Self.isVetoed(match, by: vetoSpans) {
                terms.append(match.term)
                spans.append(match.start..<match.end)
                score += match.weight
            }
            if score > 0 && score >= theme.threshold {
                assignments.append(Assignment(code: theme.code, score: score, matchedTerms: terms, matchedSpans: spans))
            }
        }
        return assignments
    }

    /// Whether a cue of a near veto that applies to the match lies within its distance of the match.
    static func isVetoed(_ match: Match, by vetoes: [(veto: NearVeto, spans: [Range<Int>])]) -> Bool {
        vetoes.contains { veto, spans in
            guard veto.terms?.contains(where: { $0.hasSameBytes(as: match.term) }) ?? true else { return false }
            return spans.contains { cue in
                let gap = cue.lowerBound >= match.end ? cue.lowerBound - match.end
                    : match.start >= cue.upperBound ? match.start - cue.upperBound : 0
                return gap <= veto.within
            }
        }
    }

    static func parse(yaml: String, file: String, version: String) throws(ConfigurationError) -> ThemeLexicon {
        let document = try YAMLDocument.load(yaml, file: file)
        guard let list = document["themes"] as? [Any], !list.isEmpty else {
            throw ConfigurationError(file: file, reason: "'themes' must be a non-empty list")
        }
        var themes: [Theme] = []
        for (position, item) in list.enumerated() {
            let label = "theme \(position + 1)"
            guard let mapping = item as? [String: Any] else { throw ConfigurationError(file: file, reason: "\(label) must be a mapping") }
            func text(_ key: String) throws(ConfigurationError) -> String {
                guard let value = mapping[key] as? String, !value.isEmpty else {
                    throw ConfigurationError(file: file, reason: "\(label): '\(key)' is missing or not a string")
                }
                return value
            }
            let code = try text("code")
            guard code.wholeMatch(of: /[a-z][a-z0-9_]*/) != nil else {
                throw ConfigurationError(file: file, reason: "\(label): code '\(code)' must be lower-case ASCII letters, digits and _")
            }
            guard !themes.contains(where: { $0.code == code }) else {
                throw ConfigurationError(file: file, reason: "theme code '\(code)' appears twice")
            }
            var threshold = 1.0
            if let value = mapping["threshold"] {
                guard let number = Self.number(value), number > 0 else {
                    throw ConfigurationError(file: file, reason: "theme \(code): threshold must be a positive number")
                }
                threshold = number
            }
            guard let rawTerms = mapping["terms"] as? [Any], !rawTerms.isEmpty else {
                throw ConfigurationError(file: file, reason: "theme \(code): 'terms' must be a non-empty list")
            }
            var terms: [Term] = []
            for (termPosition, rawTerm) in rawTerms.enumerated() {
                let termText: String
                var weight = 1.0
                if let plain = rawTerm as? String {
                    termText = plain
                } else if let termMapping = rawTerm as? [String: Any], let plain = termMapping["term"] as? String {
                    termText = plain
                    if let value = termMapping["weight"] {
                        guard let number = Self.number(value), number > 0 else {
                            throw ConfigurationError(file: file, reason: "theme \(code), term \(termPosition + 1) (\(plain)): weight must be a positive number")
                        }
                        weight = number
                    }
                } else {
                    throw ConfigurationError(file: file, reason: "theme \(code), term \(termPosition + 1): write a string or {term: …, weight: …}")
                }
                let stems = Self.stems(of: termText)
                guard !stems.isEmpty else {
                    throw ConfigurationError(file: file, reason: "theme \(code), term \(termPosition + 1) ('\(termText)') has no words")
                }
                terms.append(Term(text: termText, weight: weight, stems: stems))
            }
            var exclusions: [[String]] = []
            if let raw = mapping["exclude"] {
                guard let list = raw as? [Any] else { throw ConfigurationError(file: file, reason: "theme \(code): 'exclude' must be a list of words or phrases") }
                for (position, item) in list.enumerated() {
                    guard let phrase = item as? String, !Self.stems(of: phrase).isEmpty else {
                        throw ConfigurationError(file: file, reason: "theme \(code), exclude \(position + 1): write a word or phrase")
                    }
                    exclusions.append(Self.stems(of: phrase))
                }
            }
            var windows: [WindowRule] = []
            if let raw = mapping["windows"] {
                guard let list = raw as? [Any] else { throw ConfigurationError(file: file, reason: "theme \(code): 'windows' must be a list") }
                for (position, item) in list.enumerated() {
                    let label = "theme \(code), window \(position + 1)"
                    guard let rule = item as? [String: Any], let pair = rule["terms"] as? [String], pair.count == 2,
                          !Self.stems(of: pair[0]).isEmpty, !Self.stems(of: pair[1]).isEmpty else {
                        throw ConfigurationError(file: file, reason: "\(label): write {terms: [A, B], within: N, weight: W}")
                    }
                    guard let within = rule["within"] as? Int, within >= 1 else {
                        throw ConfigurationError(file: file, reason: "\(label): 'within' must be a whole number of tokens ≥ 1")
                    }
                    let weight = rule["weight"].map { Self.number($0) } ?? 1.0
                    guard let weight, weight > 0 else { throw ConfigurationError(file: file, reason: "\(label): weight must be a positive number") }
                    windows.append(WindowRule(text: "\(pair[0]) … \(pair[1]) (≤\(within))", first: Self.stems(of: pair[0]),
                                              second: Self.stems(of: pair[1]), within: within, weight: weight))
                }
            }
            var nearVetoes: [NearVeto] = []
            if let raw = mapping["veto_near"] {
                guard let list = raw as? [Any] else { throw ConfigurationError(file: file, reason: "theme \(code): 'veto_near' must be a list") }
                for (position, item) in list.enumerated() {
                    let label = "theme \(code), veto_near \(position + 1)"
                    guard let rule = item as? [String: Any], let cues = rule["cues"] as? [String], !cues.isEmpty,
                          cues.allSatisfy({ !Self.stems(of: $0).isEmpty }) else {
                        throw ConfigurationError(file: file, reason: "\(label): write {cues: [A, B], within: N} and optionally terms: [entries]")
                    }
                    guard let within = rule["within"] as? Int, within >= 0 else {
                        throw ConfigurationError(file: file, reason: "\(label): 'within' must be a whole number of tokens ≥ 0")
                    }
                    var vetoed: Set<String>?
                    if let raw = rule["terms"] {
                        guard let names = raw as? [String], !names.isEmpty else {
                            throw ConfigurationError(file: file, reason: "\(label): 'terms' must be a list of the theme's entries")
                        }
                        if let unknown = names.first(where: { name in !terms.contains { $0.text == name } }) {
                            throw ConfigurationError(file: file, reason: "\(label): '\(unknown)' is not an entry of the theme")
                        }
                        vetoed = Set(names)
                    }
                    nearVetoes.append(NearVeto(cues: cues.map { Self.stems(of: $0) }, within: within, terms: vetoed))
                }
            }
            themes.append(Theme(code: code, nameArabic: try text("name_ar"), nameEnglish: try text("name_en"),
                                description: try text("description"), threshold: threshold, terms: terms,
                                exclusions: exclusions, windows: windows, nearVetoes: nearVetoes))
        }
        return ThemeLexicon(themes: themes, version: version)
    }

    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as Double: value
        case let value as Int: Double(value)
        case let value as String: Double(value)
        default: nil
        }
    }
}
