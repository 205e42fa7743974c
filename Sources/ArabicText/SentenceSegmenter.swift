/// Splits a paragraph into sentences.
///
/// Works on the original text (not normalized) with these rules:
///
/// - a sentence ends at `.` `!` `?` `؟` `…` `۔` and at a line break (`\n`, `\r`, U+2028, U+2029,
///   U+0085); a run of terminators (`ماذا؟!`, `...`) is one end;
/// - closing quotes and brackets right after the terminator stay with the sentence:
///   `” » " ' ’ › ) ] }` (`قال: “انتهى الأمر.” ثم غادر` gives two sentences, the first ending in `”`);
/// - a lone `.` is not an end when it sits between two digits (`2.5`, `4.6.2020`), between two ASCII
///   letters or digits with no space (`example.com`, `v1.2`), or right after a one-letter word, which is
///   taken as an abbreviation (`د.` for doctor, `م.`, `U.S.`, `J. Smith`);
/// - the Arabic comma `،` and semicolon `؛`, the colon and the slash never end a sentence;
/// - every sentence is trimmed of white space (U+00A0 included) and empty pieces are dropped, so a
///   paragraph with no terminator is one sentence and a blank one gives none.
///
/// - Warning: An abbreviation at the very end of a sentence (`… عام 2020 م. ثم`) does not end it.
public struct SentenceSegmenter: Sendable {
    /// Creates a segmenter with the default rules.
    public init() {}

    /// Sentences in order, trimmed, none empty.
    ///
    /// - Parameter paragraph: Original text of one paragraph; line breaks inside it end sentences.
    /// - Returns: The sentences of `paragraph`, each a trimmed slice of it.
    /// - Complexity: O(*n*) in the number of Unicode scalars of `paragraph`.
    public func sentences(in paragraph: String) -> [String] {
        let scalars = Array(paragraph.unicodeScalars)
        var sentences: [String] = []
        var start = 0
        var index = 0

        func emit(upTo end: Int) {
            var lower = start
            var upper = end
            while lower < upper, scalars[lower].isUnicodeWhitespace { lower += 1 }
            while upper > lower, scalars[upper - 1].isUnicodeWhitespace { upper -= 1 }
            if lower < upper {
                sentences.append(String(String.UnicodeScalarView(scalars[lower..<upper])))
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isLineBreak(scalar) {
                emit(upTo: index)
                index += 1
                start = index
                continue
            }
            guard Self.isTerminator(scalar) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, Self.isTerminator(scalars[end]) { end += 1 }
            if end == index + 1, scalar == ".", !endsSentence(periodAt: index, in: scalars) {
                index = end
                continue
            }
            while end < scalars.count, Self.isClosing(scalars[end]) { end += 1 }
            emit(upTo: end)
            start = end
            index = end
        }
        emit(upTo: scalars.count)
        return sentences
    }

    /// Whether a lone `.` at `index` ends its sentence.
    private func endsSentence(periodAt index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard index > 0 else { return true }
        let previous = scalars[index - 1]
        if index + 1 < scalars.count {
            let next = scalars[index + 1]
            if previous.isDecimalDigit && next.isDecimalDigit { return false }
            if Self.isASCIIAlphanumeric(previous) && Self.isASCIIAlphanumeric(next) { return false }
        }
        // A one-letter word before the period: walk back over its letters and marks.
        var letterCount = 0
        var position = index - 1
        while position >= 0 {
            let scalar = scalars[position]
            if scalar.isCombiningMark || scalar.value == 0x0640 {
                // Marks and tatweel belong to the letter before them.
            } else if scalar.isAlphabeticFast {
                letterCount += 1
                if letterCount > 1 { return true }
            } else {
                break
            }
            position -= 1
        }
        return letterCount != 1
    }

    /// Whether `scalar` ends a sentence: `.` `!` `?` `؟` `…` `۔` `‼` `⁇` `⁈` `⁉`.
    private static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", "\u{061F}", "\u{2026}", "\u{06D4}", "\u{203C}", "\u{2047}", "\u{2048}", "\u{2049}":
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` closes a quotation or bracket and stays with a sentence that ends just before it.
    private static func isClosing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{201D}", "\u{00BB}", "\"", "'", "\u{2019}", "\u{203A}", ")", "]", "}":
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` breaks a line.
    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
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
}
