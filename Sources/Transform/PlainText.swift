import ArabicText
import Foundation

/// Text whose `String` comparisons can be made on its bytes.
///
/// `String`'s `==`, hashing and `hasPrefix` compare by canonical equivalence, one `Character` (grapheme
/// cluster) at a time, normalizing non-ASCII text on every call; for Arabic lines that costs more than
/// everything else done with them. A scalar is *plain* when it has no canonical decomposition, combines
/// with nothing (combining class 0, not a mark, control or format character) and is a `Character` of its
/// own next to letters: printable ASCII, Arabic letters, digits and punctuation, most of Latin-1 to
/// Arabic Supplement and the general punctuation block. A plain text is its own canonical decomposition and
/// each of its scalars is one `Character`, so:
///
/// - a plain text equals another plain text exactly when their bytes are equal;
/// - a plain text equals a text `t` exactly when its bytes are those of ``equivalent(of:)`` of `t`;
/// - a plain text has `t` as a prefix exactly when it starts with the bytes of ``equivalent(of:)`` of `t`.
///
/// Text that is not plain is compared as `String`s, as before.
enum PlainText {
    /// Whether every scalar of the well-formed UTF-8 `utf8` is plain.
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x80 {
                guard byte >= 0x20 && byte < 0x7F else { return false }
                index += 1
                continue
            }
            let (scalar, length) = UTF8Scalars.decode(utf8, at: index)
            guard isPlain(scalar) else { return false }
            index += length
        }
        return true
    }

    /// Whether `scalar` is plain.
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value >= 0x20 && value < 0x7F }
        if value < 0x800 { return lowTable[Int(value) - 0x80] }
        if value >= 0x2000 && value < 0x2070 { return punctuationTable[Int(value) - 0x2000] }
        return false
    }

    /// The plain text whose `Character`s are equal, one by one, to those of `text` (its canonical composition,
    /// checked with `Character`'s own `==`); nil when there is none.
    static func equivalent(of text: String) -> [UInt8]? {
        let composed = text.precomposedStringWithCanonicalMapping
        let characters = Array(text)
        let scalars = Array(composed.unicodeScalars)
        guard characters.count == scalars.count, scalars.allSatisfy(isPlain) else { return nil }
        for (character, scalar) in zip(characters, scalars) where character != Character(scalar) { return nil }
        return Array(composed.utf8)
    }

    /// The scalars U+0080…U+07FF that are plain.
    private static let lowTable: [Bool] = (0x80..<0x800).map(computeIsPlain)

    /// The scalars U+2000…U+206F (general punctuation) that are plain.
    private static let punctuationTable: [Bool] = (0x2000..<0x2070).map(computeIsPlain)

    private static func computeIsPlain(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        guard properties.canonicalCombiningClass == .notReordered else { return false }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator:
            return false
        default:
            break
        }
        let text = String(scalar)
        guard text.decomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([scalar]) else { return false }
        // Not joined to a neighbour into one grapheme cluster (prepended, extending, a spacing mark).
        return ("a" + text + "a").count == 3
    }
}
