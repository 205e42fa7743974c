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
        let scalars = Array(text.unicodeScalars)
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var kind: Kind?

        func flush() {
            if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
            kind = nil
        }

        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar.isDecimalDigit {
                if kind != .digits { flush() }
                kind = .digits
                current.append(scalar)
            } else if scalar.isCombiningMark || scalar.value == 0x0640 {
                if kind == .letters {
                    current.append(scalar)
                } else {
                    flush()
                }
            } else if scalar.isAlphabeticFast {
                if kind != .letters { flush() }
                kind = .letters
                current.append(scalar)
            } else if kind == .digits, isNumberSeparator(scalar),
                      index + 1 < scalars.count, scalars[index + 1].isDecimalDigit {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return tokens
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
