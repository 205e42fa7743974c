/// Splits normalized text into tokens.
///
/// A token is a maximal run of letters (Arabic, Latin or any other script) or a maximal run of
/// decimal digits:
///
/// - combining marks and tatweel continue a run of letters but never start one;
/// - a number keeps `.` `,` `/` `:` `-` (and the Arabic separators ٫ ٬) that sit between two digits,
///   so `2.5`, `4/6/2020`, `12:30`, `1,000` and `2020-2021` are single tokens;
/// - letters and digits never share a token: `covid-19` gives `covid` and `19`, `mp3` gives `mp` and `3`;
/// - everything else (white space, punctuation, quotes, symbols, a sign before a number) separates
///   tokens and is not a token.
///
/// The intended input is ``ArabicNormalizer`` output, but any text is accepted.
///
/// ```swift
/// ArabicTokenizer.tokens("قال: «الاجتماع في 4/6/2020»") // ["قال", "الاجتماع", "في", "4/6/2020"]
/// ```
public enum ArabicTokenizer: Sendable {
    /// The tokens of `text`, in order.
    ///
    /// - Parameter text: Text to split, normally the output of ``ArabicNormalizer/normalize(_:)``.
    /// - Returns: The tokens; empty when `text` holds no letter and no digit.
    /// - Complexity: O(*n*) in the number of Unicode scalars of `text`.
    public static func tokens(_ text: String) -> [String] {
        UTF8Scalars.withUTF8(text) { utf8 in
            var tokens: [String] = []
            forEachToken(inUTF8: utf8) { range in
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self))
            }
            return tokens
        }
    }

    /// Calls `body` with the byte range of each token of `utf8`, in order: the tokens of ``tokens(_:)``
    /// without making a `String` of each.
    ///
    /// - Parameter utf8: Well-formed UTF-8 text (a `String`'s storage).
    /// - Complexity: O(*n*) in the bytes of `utf8`.
    public static func forEachToken(inUTF8 utf8: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) rethrows {
        var kind: Kind?
        var start = 0
        var index = 0
        while index < utf8.count {
            let (scalar, length) = UTF8Scalars.decode(utf8, at: index)
            if scalar.isDecimalDigit {
                if kind != .digits {
                    if kind != nil { try body(start..<index) }
                    start = index
                }
                kind = .digits
            } else if scalar.isCombiningMark || scalar.value == 0x0640 {
                // Marks and tatweel continue a word; anywhere else they end the token and start none.
                if kind != .letters {
                    if kind != nil { try body(start..<index) }
                    kind = nil
                }
            } else if scalar.isAlphabeticFast {
                if kind != .letters {
                    if kind != nil { try body(start..<index) }
                    start = index
                }
                kind = .letters
            } else if kind == .digits, isNumberSeparator(scalar),
                      index + length < utf8.count, UTF8Scalars.decode(utf8, at: index + length).scalar.isDecimalDigit {
                // Inside a number: 2.5, 4/6/2020.
            } else {
                if kind != nil { try body(start..<index) }
                kind = nil
            }
            index += length
        }
        if kind != nil { try body(start..<utf8.count) }
    }

    /// The kind of run a token is.
    private enum Kind {
        case letters
        case digits
    }

    /// Whether `scalar` may join two digits inside one number token.
    private static func isNumberSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", ",", "/", ":", "-", "\u{066B}", "\u{066C}":
            return true
        default:
            return false
        }
    }
}
