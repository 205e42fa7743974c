/// Splits a paragraph into sentences, with their places in the paragraph.
///
/// Works on the original text (not normalized) with these rules:
///
/// - a sentence ends at `.` `!` `?` `؟` `…` `۔` (and `‼` `⁇` `⁈` `⁉`) and at a line break (`\n`, `\r`,
///   U+000B, U+000C, U+0085, U+2028, U+2029); a run of terminators (`ماذا؟!`, `...`) is one end;
/// - the Arabic comma `،` and semicolon `؛`, the colon and the slash never end a sentence;
/// - closing quotes and brackets right after the terminator stay with the sentence:
///   `” » " ' ’ › ) ] }` (`قال: “انتهى الأمر.” ثم غادر` gives two sentences, the first ending in `”`);
///   a closing quote that pairs with an opening one on the same line also stays when spaces come
///   between it and the terminator, and a `"` that opens a quotation never does;
/// - a terminator never ends a sentence that has no letter or digit yet, so a leading `...` or `!!`
///   starts the sentence that follows it;
/// - a lone `.` is not an end:
///   - between two digits of any script: decimals and numeric dates (`2.5`, `3.14`, `٣.٧`, `4.6.2020`,
///     `2020.06.04`, `٢٠٢٠.٠٦.٠٤`); `٫` and `/` (`٢٫٥`, `4/6/2020`) never end a sentence anyway;
///   - between two ASCII letters or digits with no space (`example.com`, `v1.2`, the first `.` of `U.S.`);
///   - after an abbreviation, see below;
/// - inside a link: in a run of non-space characters that holds `://`, starts with `www.`, is an e-mail
///   address (`name@host.tld`) or starts `host.tld/`, no `.` `?` `!` ends a sentence
///   (`https://example.com/a.b?x=1`); terminators, closing marks and `،` `,` `؛` `;` `:` at the run's end are
///   not part of the link, and a `.` right after a link ends the sentence as usual
///   (`زوروا موقعنا www.example.com. ثم` gives two sentences);
/// - an ellipsis (`…`, or two or more periods) inside a quotation (`“…”`, `„…”`, `«…»`, `"…"`, paired on
///   the same line, nested or not) is not an end when more text of the quotation follows it:
///   `قال: “نحن... سنواصل العمل.” وغادر` gives `قال: “نحن... سنواصل العمل.”` and `وغادر`; any other
///   terminator inside a quotation ends a sentence, so a quoted paragraph of several sentences is split
///   inside its quotes;
/// - every sentence is trimmed of white space (U+00A0 included) and empty pieces are dropped, so a
///   paragraph with no terminator is one sentence and a blank one gives none;
/// - a sentence of more than `maxWords` white-space-separated words is kept whole and flagged
///   ``SentenceSpan/isOverlong``.
///
/// Abbreviations: a `.` right after a word is not an end when the word is
///
/// - one letter, Arabic or Latin, with any marks or tatweel (`د.` doctor, `أ.` professor, `م.` engineer,
///   `ص.` page, `ج.` part, `ق.` century, `ت.` telephone, `U.S.`, `J. Smith`), except the calendar era
///   marks `م.` and `هـ.` (or `ه.`) right after a number, which end the sentence
///   (`ولد عام 1950 م. في بغداد` gives two sentences, `عام 300 ق.م. ثم` one);
/// - a Latin title before a name, in any letter case: `Dr` `Mr` `Mrs` `Ms` `Prof` `Gen` `Col` `Lt`
///   `Capt` `Gov` `Sen` `Rep` `Rev`, and `vs`;
/// - `No` (number) when a digit follows (`No. 5`).
///
/// Words that often end a sentence are not abbreviations: `إلخ.` `الخ.` `etc.` `Inc.` `Jr.`. Every
/// abbreviation still ends the sentence when only white space follows it up to the line's end.
///
/// - Warning: An abbreviation at the end of a sentence (`… التقى المدير أ. ثم`), or a sentence that ends
///   with `ق.م.`, does not end there.
public struct SentenceSegmenter: Sendable {
    /// Words above which a sentence is flagged ``SentenceSpan/isOverlong``.
    public var maxWords: Int

    /// Creates a segmenter.
    ///
    /// - Parameter maxWords: Words above which a sentence is flagged ``SentenceSpan/isOverlong``.
    public init(maxWords: Int = 120) {
        self.maxWords = maxWords
    }

    /// Sentences in order, trimmed, none empty.
    ///
    /// - Parameter paragraph: Original text of one paragraph; line breaks inside it end sentences.
    /// - Returns: The texts of ``spans(in:)``.
    /// - Complexity: O(*n*) in the number of Unicode scalars of `paragraph`.
    public func sentences(in paragraph: String) -> [String] {
        spans(in: paragraph).map(\.text)
    }

    /// Sentences in order, with their offsets in Unicode scalars of `paragraph`.
    ///
    /// - Parameter paragraph: Original text of one paragraph; line breaks inside it end sentences.
    /// - Returns: One span per sentence, trimmed, none empty, in order and not overlapping.
    /// - Complexity: O(*n*) in the number of Unicode scalars of `paragraph`, plus O(*q*) for each ellipsis
    ///   inside quotes, *q* the number of quotations.
    public func spans(in paragraph: String) -> [SentenceSpan] {
        UTF8Scalars.withUTF8(paragraph) { spans(inUTF8: $0) }
    }

    /// ``spans(in:)`` over the paragraph's UTF-8 bytes: each sentence's text is a slice of them.
    private func spans(inUTF8 utf8: UnsafeBufferPointer<UInt8>) -> [SentenceSpan] {
        // The scalars, and where each starts in the bytes (one more offset: the end).
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(utf8.count)
        offsets.reserveCapacity(utf8.count + 1)
        var byte = 0
        while byte < utf8.count {
            let (scalar, length) = UTF8Scalars.decode(utf8, at: byte)
            scalars.append(scalar)
            offsets.append(byte)
            byte += length
        }
        offsets.append(utf8.count)
        let count = scalars.count
        let quotations = Quotations(scalars)
        var links = LinkCursor(ranges: Self.linkRanges(in: scalars))
        var spans: [SentenceSpan] = []
        var start = 0
        var index = 0
        var hasContent = false

        func emit(upTo end: Int) {
            var lower = start
            var upper = end
            while lower < upper, scalars[lower].isUnicodeWhitespace { lower += 1 }
            while upper > lower, scalars[upper - 1].isUnicodeWhitespace { upper -= 1 }
            guard lower < upper else { return }
            spans.append(SentenceSpan(
                text: String(decoding: UnsafeBufferPointer(rebasing: utf8[offsets[lower]..<offsets[upper]]), as: UTF8.self),
                start: lower,
                end: upper,
                isOverlong: Self.hasMoreWords(than: maxWords, in: scalars[lower..<upper])
            ))
        }

        while index < count {
            let scalar = scalars[index]
            if Self.isLineBreak(scalar) {
                emit(upTo: index)
                index += 1
                start = index
                hasContent = false
                continue
            }
            guard Self.isTerminator(scalar) else {
                if !hasContent, scalar.isAlphabeticFast || scalar.isDecimalDigit { hasContent = true }
                index += 1
                continue
            }
            let place = links.place(of: index)
            if place == .inside {
                index += 1
                continue
            }
            var end = index + 1
            while end < count, Self.isTerminator(scalars[end]) { end += 1 }
            if !hasContent {
                index = end
                continue
            }
            if end == index + 1, scalar == ".", place != .rightAfter,
               !endsSentence(periodAt: index, in: scalars) {
                index = end
                continue
            }
            if Self.isEllipsis(scalars[index..<end]),
               quotations.continues(afterEllipsis: index..<end, in: scalars) {
                index = end
                continue
            }
            end = closingEnd(after: end, in: scalars, quotations: quotations)
            emit(upTo: end)
            start = end
            index = end
            hasContent = false
        }
        emit(upTo: count)
        return spans
    }

    // MARK: - Periods and abbreviations

    /// Latin titles and short words that a `.` follows without ending the sentence, lowercased.
    private static let latinAbbreviations: Set<String> = [
        "dr", "mr", "mrs", "ms", "prof", "gen", "col", "lt", "capt", "gov", "sen", "rep", "rev", "vs",
    ]

    /// Letters in the longest entry of `latinAbbreviations`.
    private static let longestLatinAbbreviation = 4

    /// Whether a lone `.` at `index` ends its sentence.
    private func endsSentence(periodAt index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard index > 0 else { return true }
        let previous = scalars[index - 1]
        if index + 1 < scalars.count {
            let next = scalars[index + 1]
            if previous.isDecimalDigit && next.isDecimalDigit { return false }
            if Self.isASCIIAlphanumeric(previous) && Self.isASCIIAlphanumeric(next) { return false }
        }
        // The word before the period: its letters, with marks and tatweel.
        var letterCount = 0
        var letter: Unicode.Scalar = " "
        var position = index - 1
        while position >= 0 {
            let scalar = scalars[position]
            if scalar.isCombiningMark || scalar.value == 0x0640 {
                // Marks and tatweel belong to the letter before them.
            } else if scalar.isAlphabeticFast {
                letterCount += 1
                if letterCount > Self.longestLatinAbbreviation { return true }
                letter = scalar
            } else {
                break
            }
            position -= 1
        }
        let wordStart = position + 1
        let isAbbreviation: Bool
        switch letterCount {
        case 0:
            return true
        case 1:
            // `م.` (AD) and `هـ.` (AH) after a year close the sentence that dates something.
            if letter == "\u{0645}" || letter == "\u{0647}", Self.isNumber(before: wordStart, in: scalars) {
                return true
            }
            isAbbreviation = true
        default:
            guard scalars[wordStart..<index].allSatisfy(\.isASCII) else { return true }
            let word = String(String.UnicodeScalarView(scalars[wordStart..<index])).lowercased()
            if word == "no" {
                isAbbreviation = Self.isDigit(after: index, in: scalars)
            } else {
                isAbbreviation = Self.latinAbbreviations.contains(word)
            }
        }
        return !isAbbreviation || Self.isLineEnd(after: index, in: scalars)
    }

    /// Whether a number ends right before `position`, white space aside (`2020 م`, `2020م`).
    private static func isNumber(before position: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = position - 1
        while position >= 0, scalars[position].isUnicodeWhitespace, !isLineBreak(scalars[position]) {
            position -= 1
        }
        return position >= 0 && scalars[position].isDecimalDigit
    }

    /// Whether a digit comes after `position`, white space aside (`No. 5`).
    private static func isDigit(after position: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = position + 1
        while position < scalars.count, scalars[position].isUnicodeWhitespace, !isLineBreak(scalars[position]) {
            position += 1
        }
        return position < scalars.count && scalars[position].isDecimalDigit
    }

    /// Whether only white space follows `position` up to a line break or the end of the paragraph.
    private static func isLineEnd(after position: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = position + 1
        while position < scalars.count, scalars[position].isUnicodeWhitespace, !isLineBreak(scalars[position]) {
            position += 1
        }
        return position == scalars.count || isLineBreak(scalars[position])
    }

    // MARK: - Closing marks

    /// Where a sentence whose terminators end before `end` ends once its closing marks are taken in.
    private func closingEnd(after end: Int, in scalars: [Unicode.Scalar], quotations: Quotations) -> Int {
        var end = end
        while end < scalars.count, Self.isClosing(scalars[end]), !quotations.opens(at: end) { end += 1 }
        var next = end
        while next < scalars.count, scalars[next].isUnicodeWhitespace, !Self.isLineBreak(scalars[next]) {
            next += 1
        }
        if next > end, next < scalars.count, quotations.closes(at: next) {
            end = next + 1
            while end < scalars.count, Self.isClosing(scalars[end]), !quotations.opens(at: end) { end += 1 }
        }
        return end
    }

    // MARK: - Words

    /// Whether `scalars` hold more than `limit` white-space-separated words.
    private static func hasMoreWords(than limit: Int, in scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var words = 0
        var inWord = false
        for scalar in scalars {
            if scalar.isUnicodeWhitespace {
                inWord = false
            } else if !inWord {
                inWord = true
                words += 1
                if words > limit { return true }
            }
        }
        return false
    }

    // MARK: - Links

    /// Where a terminator sits with respect to the links of a paragraph.
    private enum LinkPlace {
        /// Inside a link: not an end.
        case inside
        /// Right after a link's last character: an end, never an abbreviation's period.
        case rightAfter
        /// Elsewhere.
        case outside
    }

    /// The links of a paragraph, asked about in increasing positions.
    private struct LinkCursor {
        /// Scalar ranges of the links, in order, not overlapping.
        let ranges: [Range<Int>]
        /// The first range that does not end before the last position asked about.
        var current = 0

        /// Where `position` sits; `position` must not be less than in the previous call.
        mutating func place(of position: Int) -> LinkPlace {
            while current < ranges.count, ranges[current].upperBound < position { current += 1 }
            guard current < ranges.count else { return .outside }
            if ranges[current].upperBound == position { return .rightAfter }
            return ranges[current].contains(position) ? .inside : .outside
        }
    }

    /// Scalar ranges of the links (URLs and e-mail addresses) of a paragraph, in order.
    private static func linkRanges(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < scalars.count {
            while index < scalars.count, scalars[index].isUnicodeWhitespace { index += 1 }
            let runStart = index
            var hasPeriod = false
            while index < scalars.count, !scalars[index].isUnicodeWhitespace {
                if scalars[index] == "." { hasPeriod = true }
                index += 1
            }
            guard hasPeriod else { continue }
            var lower = runStart
            while lower < index, isOpening(scalars[lower]) || isTerminator(scalars[lower]) { lower += 1 }
            var upper = index
            while upper > lower, isLinkTrailer(scalars[upper - 1]) { upper -= 1 }
            if isLink(scalars[lower..<upper]) { ranges.append(lower..<upper) }
        }
        return ranges
    }

    /// Whether `scalars`, a run with no white space, its edges stripped, is a URL or an e-mail address.
    private static func isLink(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let lower = scalars.startIndex
        let upper = scalars.endIndex
        guard upper - lower >= 4 else { return false }
        // A scheme: `https://`, `ftp://`.
        if (lower..<(upper - 2)).contains(where: {
            scalars[$0] == ":" && scalars[$0 + 1] == "/" && scalars[$0 + 2] == "/"
        }) {
            return true
        }
        // `www.` at the start, in any letter case.
        if upper - lower > 4,
           scalars[lower..<(lower + 3)].allSatisfy({ $0 == "w" || $0 == "W" }),
           scalars[lower + 3] == "." {
            return true
        }
        // An e-mail address: a name character, `@`, then a host with a period between two letters or digits.
        if let at = scalars.firstIndex(of: "@"), at > lower, isEmailCharacter(scalars[at - 1]),
           at + 2 < upper - 1,
           ((at + 2)..<(upper - 1)).contains(where: {
               scalars[$0] == "." && isASCIIAlphanumeric(scalars[$0 - 1]) && isASCIIAlphanumeric(scalars[$0 + 1])
           }) {
            return true
        }
        // `host.tld/`: starts with an ASCII letter or digit, then a period, two ASCII letters or more and `/`.
        if isASCIIAlphanumeric(scalars[lower]), let slash = scalars.firstIndex(of: "/") {
            var position = slash - 1
            while position > lower, isASCIILetter(scalars[position]) { position -= 1 }
            if slash - 1 - position >= 2, scalars[position] == "." { return true }
        }
        return false
    }

    /// Whether `scalar` may end the name part of an e-mail address.
    private static func isEmailCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIIAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-" || scalar == "+"
    }

    /// Whether `scalar` may stand at the end of a link's run without belonging to the link: terminators,
    /// closing marks and list punctuation.
    private static func isLinkTrailer(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ",", ";", ":", ">", "\u{060C}", "\u{061B}":
            return true
        default:
            return isTerminator(scalar) || isClosing(scalar)
        }
    }

    // MARK: - Scalar classes

    /// Whether the terminators `scalars` are an ellipsis: `…` or periods, with a `…` or two periods or more.
    private static func isEllipsis(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard scalars.allSatisfy({ $0 == "." || $0 == "\u{2026}" }) else { return false }
        return scalars.count >= 2 || scalars.first == "\u{2026}"
    }

    /// Whether `scalar` ends a sentence: `.` `!` `?` `؟` `…` `۔` `‼` `⁇` `⁈` `⁉`.
    static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", "\u{061F}", "\u{2026}", "\u{06D4}", "\u{203C}", "\u{2047}", "\u{2048}", "\u{2049}":
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` closes a quotation or bracket and stays with a sentence that ends just before it.
    static func isClosing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{201D}", "\u{00BB}", "\"", "'", "\u{2019}", "\u{203A}", ")", "]", "}":
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` opens a quotation or bracket.
    private static func isOpening(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{201C}", "\u{201E}", "\u{00AB}", "\"", "'", "\u{2018}", "\u{2039}", "(", "[", "{", "<":
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` breaks a line.
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029:
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` is an ASCII letter or digit.
    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` is an ASCII letter.
    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A:
            return true
        default:
            return false
        }
    }
}

/// The quotations of a paragraph: each opening quote paired with its closing one on the same line.
///
/// `“` and `„` pair with `”`, `«` with `»`, and `"` with the next `"`. A closing quote pairs with the
/// innermost open quotation of its kind, and quotations opened inside it and left open are dropped; quotes
/// left open at a line break or at the end pair with nothing.
private struct Quotations {
    /// Scalar offsets of each quotation's opening and closing quotes.
    private var pairs: [(open: Int, close: Int)] = []
    /// Offsets of the opening quotes of `pairs`.
    private var openers: Set<Int> = []
    /// Offsets of the closing quotes of `pairs`.
    private var closers: Set<Int> = []

    /// Kinds of quotation marks.
    private enum Kind {
        case curly, guillemet, straight
    }

    /// Pairs the quotes of `scalars`.
    init(_ scalars: [Unicode.Scalar]) {
        var open: [(kind: Kind, index: Int)] = []
        var pairs: [(open: Int, close: Int)] = []

        func close(_ kind: Kind, at index: Int) {
            guard let last = open.lastIndex(where: { $0.kind == kind }) else { return }
            pairs.append((open[last].index, index))
            open.removeSubrange(last...)
        }

        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\u{201C}", "\u{201E}":
                open.append((.curly, index))
            case "\u{201D}":
                close(.curly, at: index)
            case "\u{00AB}":
                open.append((.guillemet, index))
            case "\u{00BB}":
                close(.guillemet, at: index)
            case "\"":
                if open.contains(where: { $0.kind == .straight }) {
                    close(.straight, at: index)
                } else {
                    open.append((.straight, index))
                }
            default:
                if !open.isEmpty, SentenceSegmenter.isLineBreak(scalar) { open.removeAll() }
            }
        }
        self.pairs = pairs
        if !pairs.isEmpty {
            openers = Set(pairs.map(\.open))
            closers = Set(pairs.map(\.close))
        }
    }

    /// Whether the scalar at `index` opens a quotation that is closed later.
    func opens(at index: Int) -> Bool {
        !openers.isEmpty && openers.contains(index)
    }

    /// Whether the scalar at `index` closes a quotation.
    func closes(at index: Int) -> Bool {
        !closers.isEmpty && closers.contains(index)
    }

    /// Whether the quotation around the ellipsis `run` goes on after it: whether, past white space and
    /// closing marks, some text comes before the closing quote of the outermost quotation holding `run`.
    func continues(afterEllipsis run: Range<Int>, in scalars: [Unicode.Scalar]) -> Bool {
        var outerClose = -1
        for pair in pairs where pair.open < run.lowerBound && pair.close >= run.upperBound {
            outerClose = max(outerClose, pair.close)
        }
        guard outerClose >= 0 else { return false }
        var position = run.upperBound
        while position < outerClose,
              scalars[position].isUnicodeWhitespace || SentenceSegmenter.isClosing(scalars[position]) {
            position += 1
        }
        return position < outerClose
    }
}
