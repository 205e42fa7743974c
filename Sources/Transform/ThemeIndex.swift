import ArabicText

/// A ``ThemeLexicon`` compiled for matching: stems interned to integers, and every entry, exclusion cue,
/// window term and near-veto cue indexed by its first stem.
///
/// Classifying a sentence is one pass over its stem ids: at each position, one array lookup gives the
/// entries and cues that start with that stem, and only those are compared, integer by integer. The cost
/// follows the sentence's length and the rules that share its stems, not the size of the lexicon. The
/// result is the one ``ThemeLexicon/assignments(for:stems:)`` gives for the same stems, in the same order
/// and with the same floating-point sums.
struct ThemeIndex: Sendable {
    /// An entry of a theme's `terms`.
    struct Entry: Sendable {
        var theme: Int32
        /// The entry's text, interned: entries with the same text count once per sentence.
        var label: Int32
        var weight: Double
        /// The entry's stems: `sequenceStems[stemStart..<stemStart + stemCount]`.
        var stemStart: Int32
        var stemCount: Int32
    }

    /// What finding a cue means.
    enum Usage: Sendable {
        /// The theme is not assigned to the sentence.
        case exclusion(theme: Int32)
        /// One of the two terms of window rule `rule` (side 0 or 1).
        case window(rule: Int32, side: Int32)
        /// A cue of near veto `veto`.
        case veto(Int32)
    }

    /// A stem sequence whose every occurrence counts (exclusions, window terms, near-veto cues).
    struct Cue: Sendable {
        var stemStart: Int32
        var stemCount: Int32
        var usage: Usage
    }

    struct Window: Sendable {
        var theme: Int32
        var label: Int32
        var weight: Double
        var within: Int32
        var firstCount: Int32
        var secondCount: Int32
    }

    struct NearVeto: Sendable {
        var within: Int32
        /// Labels of the entries the veto applies to; nil for all of the theme's.
        var labels: [Int32]?
    }

    /// A matched entry or window rule.
    struct Found: Sendable {
        var theme: Int32
        var label: Int32
        var weight: Double
        var start: Int32
        var end: Int32
    }

    /// Reusable buffers for classifying sentences one after another (one per thread).
    struct Scratch {
        var ids: [Int32] = []
        var found: [Found] = []
        var excluded: [Bool] = []
        var matchedThemes: [Bool] = []
        var windowHits: [(rule: Int32, side: Int32, position: Int32)] = []
        var vetoSpans: [(veto: Int32, start: Int32, end: Int32)] = []
        var labels: [Int32] = []
        var spans: [Range<Int>] = []

        init() {}
    }

    private(set) var stems = StemTable()
    /// The text of each label (an entry's or a window rule's text as written).
    private(set) var labelTexts: [String] = []
    private var entries: [Entry] = []
    /// Entries starting with stem id `s`: `entries[entryGroups[s]..<entryGroups[s + 1]]`, longest first.
    private var entryGroups: [Int32] = []
    private var cues: [Cue] = []
    /// Cues starting with stem id `s`: `cues[cueGroups[s]..<cueGroups[s + 1]]`.
    private var cueGroups: [Int32] = []
    private var sequenceStems: [Int32] = []
    private var windows: [Window] = []
    private var vetoes: [NearVeto] = []
    /// Near vetoes of each theme.
    private var themeVetoes: [[Int32]] = []
    private var thresholds: [Double] = []
    private var codes: [String] = []
    private var themeCount: Int { codes.count }

    init(themes: [ThemeLexicon.Theme]) {
        var labelIDs: [[UInt8]: Int32] = [:]
        func label(_ text: String) -> Int32 {
            let key = Array(text.utf8)
            if let id = labelIDs[key] { return id }
            let id = Int32(labelTexts.count)
            labelIDs[key] = id
            labelTexts.append(text)
            return id
        }
        func sequence(_ words: [String]) -> (start: Int32, count: Int32, first: Int32) {
            let start = Int32(sequenceStems.count)
            for word in words { sequenceStems.append(stems.intern(word)) }
            return (start, Int32(words.count), sequenceStems[Int(start)])
        }
        var entryLists: [(first: Int32, entry: Entry)] = []
        var cueLists: [(first: Int32, cue: Cue)] = []
        for (themeIndex, theme) in themes.enumerated() {
            let themeID = Int32(themeIndex)
            codes.append(theme.code)
            thresholds.append(theme.threshold)
            for term in theme.terms {
                let stems = sequence(term.stems)
                entryLists.append((stems.first, Entry(theme: themeID, label: label(term.text), weight: term.weight,
                                                      stemStart: stems.start, stemCount: stems.count)))
            }
            for exclusion in theme.exclusions {
                let stems = sequence(exclusion)
                cueLists.append((stems.first, Cue(stemStart: stems.start, stemCount: stems.count, usage: .exclusion(theme: themeID))))
            }
            for rule in theme.windows {
                let ruleID = Int32(windows.count)
                let first = sequence(rule.first), second = sequence(rule.second)
                cueLists.append((first.first, Cue(stemStart: first.start, stemCount: first.count, usage: .window(rule: ruleID, side: 0))))
                cueLists.append((second.first, Cue(stemStart: second.start, stemCount: second.count, usage: .window(rule: ruleID, side: 1))))
                windows.append(Window(theme: themeID, label: label(rule.text), weight: rule.weight, within: Int32(rule.within),
                                      firstCount: first.count, secondCount: second.count))
            }
            var ownVetoes: [Int32] = []
            for veto in theme.nearVetoes {
                let vetoID = Int32(vetoes.count)
                ownVetoes.append(vetoID)
                for cue in veto.cues {
                    let stems = sequence(cue)
                    cueLists.append((stems.first, Cue(stemStart: stems.start, stemCount: stems.count, usage: .veto(vetoID))))
                }
                // A listed name that is no entry's text cancels nothing.
                vetoes.append(NearVeto(within: Int32(veto.within), labels: veto.terms.map { $0.compactMap { labelIDs[Array($0.utf8)] } }))
            }
            themeVetoes.append(ownVetoes)
        }
        // Entries grouped by first stem in lexicon order, each group longest first, as matching tries them.
        var groups = [[Entry]](repeating: [], count: stems.count)
        for (first, entry) in entryLists { groups[Int(first)].append(entry) }
        entryGroups = [0]
        for var group in groups {
            group.sort { $0.stemCount > $1.stemCount }
            entries += group
            entryGroups.append(Int32(entries.count))
        }
        var cueGroupLists = [[Cue]](repeating: [], count: stems.count)
        for (first, cue) in cueLists { cueGroupLists[Int(first)].append(cue) }
        cueGroups = [0]
        for group in cueGroupLists {
            cues += group
            cueGroups.append(Int32(cues.count))
        }
    }

    /// The id of each stem (-1 for a stem no rule mentions), appended to `ids`.
    func appendIDs(of stems: [String], to ids: inout [Int32]) {
        for stem in stems { ids.append(self.stems.id(of: stem)) }
    }

    /// Appends to `ids` the id of each stem of `normalized`, text as ``ArabicNormalizer`` gives it:
    /// ``ArabicTokenizer`` tokens, ``ArabicLightStemmer`` stems, without making a `String` of either.
    /// `token` is called with the byte ranges in `utf8` of each token and of its stem.
    func appendIDs(ofNormalizedUTF8 utf8: UnsafeBufferPointer<UInt8>, to ids: inout [Int32],
                   token: (_ token: Range<Int>, _ stem: Range<Int>) -> Void = { _, _ in }) {
        ArabicTokenizer.forEachToken(inUTF8: utf8) { range in
            let word = UnsafeBufferPointer(rebasing: utf8[range])
            let stem = ArabicLightStemmer.stemRange(ofUTF8: word)
            token(range, (range.lowerBound + stem.lowerBound)..<(range.lowerBound + stem.upperBound))
            ids.append(stems.id(of: UnsafeBufferPointer(rebasing: word[stem])))
        }
    }

    /// Every entry found, then every window rule that holds, as ``ThemeLexicon/matches(stems:)`` defines
    /// them; also notes in `scratch` the themes excluded and where the near-veto cues are.
    func findMatches(_ scratch: inout Scratch) {
        scratch.found.removeAll(keepingCapacity: true)
        scratch.windowHits.removeAll(keepingCapacity: true)
        scratch.vetoSpans.removeAll(keepingCapacity: true)
        if scratch.excluded.count != themeCount {
            scratch.excluded = Array(repeating: false, count: themeCount)
            scratch.matchedThemes = Array(repeating: false, count: themeCount)
        } else {
            for theme in 0..<themeCount { scratch.excluded[theme] = false }
        }
        let stemIDs = scratch.ids
        let count = stemIDs.count
        stemIDs.withUnsafeBufferPointer { ids in
            sequenceStems.withUnsafeBufferPointer { sequences in
                /// Whether the sequence of `length` stems at `start` in `sequences` occurs at `position`
                /// (its first stem is known to).
                func occurs(_ start: Int32, _ length: Int32, at position: Int) -> Bool {
                    let length = Int(length)
                    guard position + length <= count else { return false }
                    var offset = 1
                    while offset < length {
                        if ids[position + offset] != sequences[Int(start) + offset] { return false }
                        offset += 1
                    }
                    return true
                }
                // Entries: at each position the longest win, their tokens are not matched again.
                var position = 0
                while position < count {
                    var advance = 1
                    let id = Int(ids[position])
                    if id >= 0 {
                        var matchedLength: Int32 = 0
                        for index in Int(entryGroups[id])..<Int(entryGroups[id + 1]) {
                            let entry = entries[index]
                            // Longest first: once one matched, only equally long ones may follow.
                            if matchedLength > 0 && entry.stemCount < matchedLength { break }
                            guard occurs(entry.stemStart, entry.stemCount, at: position) else { continue }
                            matchedLength = entry.stemCount
                            scratch.found.append(Found(theme: entry.theme, label: entry.label, weight: entry.weight,
                                                       start: Int32(position), end: Int32(position) + entry.stemCount))
                        }
                        advance = max(1, Int(matchedLength))
                    }
                    position += advance
                }
                // Cues: every occurrence, overlapping ones included.
                guard !cues.isEmpty else { return }
                for position in 0..<count {
                    let id = Int(ids[position])
                    guard id >= 0 else { continue }
                    for index in Int(cueGroups[id])..<Int(cueGroups[id + 1]) {
                        let cue = cues[index]
                        guard occurs(cue.stemStart, cue.stemCount, at: position) else { continue }
                        switch cue.usage {
                        case .exclusion(let theme):
                            scratch.excluded[Int(theme)] = true
                        case .window(let rule, let side):
                            scratch.windowHits.append((rule, side, Int32(position)))
                        case .veto(let veto):
                            scratch.vetoSpans.append((veto, Int32(position), Int32(position) + cue.stemCount))
                        }
                    }
                }
            }
        }
        if !scratch.windowHits.isEmpty { appendWindowMatches(&scratch) }
    }

    /// Adds a match for each window rule whose two terms lie close enough, in rule order (the lexicon's order).
    private func appendWindowMatches(_ scratch: inout Scratch) {
        // Occurrences by rule, then side, then position (each is listed once).
        scratch.windowHits.sort { ($0.rule, $0.side, $0.position) < ($1.rule, $1.side, $1.position) }
        let hits = scratch.windowHits
        var start = 0
        while start < hits.count {
            let rule = hits[start].rule
            var end = start
            while end < hits.count && hits[end].rule == rule { end += 1 }
            var split = start
            while split < end && hits[split].side == 0 { split += 1 }
            defer { start = end }
            guard split > start && split < end else { continue }
            let window = windows[Int(rule)]
            // The pair that starts first; of equal starts, the first found (firsts in order, then seconds).
            var best: (start: Int32, end: Int32)?
            for a in hits[start..<split] {
                for b in hits[split..<end] where a.position != b.position && abs(a.position - b.position) <= window.within {
                    let spanStart = min(a.position, b.position)
                    if best == nil || spanStart < best!.start {
                        best = (spanStart, max(a.position + window.firstCount, b.position + window.secondCount))
                    }
                }
            }
            if let best {
                scratch.found.append(Found(theme: window.theme, label: window.label, weight: window.weight, start: best.start, end: best.end))
            }
        }
    }

    /// The themes the sentence whose ids are in `scratch.ids` takes, as ``ThemeLexicon/classify(stems:)``.
    func classify(_ scratch: inout Scratch) -> [ThemeLexicon.Assignment] {
        findMatches(&scratch)
        guard !scratch.found.isEmpty else { return [] }
        let found = scratch.found.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        for theme in 0..<themeCount { scratch.matchedThemes[theme] = false }
        for match in found { scratch.matchedThemes[Int(match.theme)] = true }
        var assignments: [ThemeLexicon.Assignment] = []
        for theme in 0..<themeCount where scratch.matchedThemes[theme] && !scratch.excluded[theme] {
            var score = 0.0
            scratch.labels.removeAll(keepingCapacity: true)
            scratch.spans.removeAll(keepingCapacity: true)
            for match in found where Int(match.theme) == theme && !scratch.labels.contains(match.label)
                && !isVetoed(match, scratch: scratch) {
                scratch.labels.append(match.label)
                scratch.spans.append(Int(match.start)..<Int(match.end))
                score += match.weight
            }
            if score > 0 && score >= thresholds[theme] {
                assignments.append(ThemeLexicon.Assignment(code: codes[theme], score: score,
                                                           matchedTerms: scratch.labels.map { labelTexts[Int($0)] },
                                                           matchedSpans: scratch.spans))
            }
        }
        return assignments
    }

    /// The matches of ``findMatches(_:)`` as ``ThemeLexicon/Match`` values, in the order found.
    func matches(_ scratch: inout Scratch) -> [ThemeLexicon.Match] {
        findMatches(&scratch)
        return scratch.found.map { found in
            ThemeLexicon.Match(themeCode: codes[Int(found.theme)], term: labelTexts[Int(found.label)], weight: found.weight,
                               start: Int(found.start), end: Int(found.end))
        }
    }

    /// Whether a cue of a near veto of the match's theme that applies to it lies within the veto's distance.
    private func isVetoed(_ match: Found, scratch: Scratch) -> Bool {
        for vetoID in themeVetoes[Int(match.theme)] {
            let veto = vetoes[Int(vetoID)]
            if let labels = veto.labels, !labels.contains(match.label) { continue }
            for span in scratch.vetoSpans where span.veto == vetoID {
                let gap = span.start >= match.end ? span.start - match.end : match.start >= span.end ? match.start - span.end : 0
                if gap <= veto.within { return true }
            }
        }
        return false
    }
}
