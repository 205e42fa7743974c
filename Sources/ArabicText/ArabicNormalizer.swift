/// Folds Arabic text for matching (the original is always kept elsewhere).
///
/// The default profile removes what varies between spellings of the same word and keeps the rest:
///
/// - Arabic diacritics are removed: U+064B…U+065F (tanween, fatha, damma, kasra, shadda, sukun,
///   combining hamza and maddah, …), U+0670 superscript alef and the Quranic marks U+06D6…U+06ED;
/// - tatweel U+0640 is removed, and so is every format control (general category Cf: zero-width
///   space and joiners, direction marks, U+061C Arabic letter mark, soft hyphen, byte order mark);
/// - alef forms أ إ آ ٱ (and the wavy-hamza alefs U+0672, U+0673) become ا; ى becomes ي;
///   ة becomes ه; ؤ becomes و; ئ becomes ي;
/// - Persian and Urdu letters meet their Arabic counterparts: ک → ك, ی → ي, ہ ۀ ۂ → ه;
/// - Arabic-Indic digits ٠…٩ and Extended Arabic-Indic digits ۰…۹ become ASCII 0…9, the Arabic decimal
///   separator ٫ becomes `.` and the Arabic thousands separator ٬ becomes `,`;
/// - letters with a lower-case form are lower-cased (Latin, and any other cased script);
/// - every run of white space (line breaks, U+00A0 and the other Unicode spaces) becomes one ASCII
///   space, and leading and trailing white space is dropped.
///
/// Punctuation, Arabic or not (، ؛ ؟ « » “ ”), is kept as is. The folding is idempotent:
/// `normalize(normalize(x)) == normalize(x)`.
///
/// ```swift
/// ArabicNormalizer().normalize("الْمُسَاءَلَةُ  ٢٠٢٠") // "المساءله 2020"
/// ```
public struct ArabicNormalizer: Sendable, Hashable {
    /// Version of the default folding profile; stored with the data it produced.
    ///
    /// - Important: Bump it whenever the output of ``normalize(_:)`` changes for any input, so that
    ///   stored normalized text can be told apart from text the new profile would produce.
    public static let profileVersion: String = "1"

    /// Creates a normalizer with the default profile.
    public init() {}

    /// Folds `text` with the default profile.
    ///
    /// - Parameter text: Any text; the original is not changed.
    /// - Returns: The folded text, with single ASCII spaces between words and none at either end.
    /// - Complexity: O(*n*) in the number of Unicode scalars of `text`.
    public func normalize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isUnicodeWhitespace {
                pendingSpace = !output.isEmpty
                continue
            }
            switch Self.fold(scalar) {
            case .remove:
                continue
            case .replace(let replacement):
                if pendingSpace {
                    output.append(" ")
                    pendingSpace = false
                }
                output.append(replacement)
            case .lowercase:
                if pendingSpace {
                    output.append(" ")
                    pendingSpace = false
                }
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(output)
    }

    /// What the default profile does with one non-white-space scalar.
    private enum Folding {
        case remove
        case replace(Unicode.Scalar)
        case lowercase
    }

    /// The default profile for one non-white-space scalar.
    private static func fold(_ scalar: Unicode.Scalar) -> Folding {
        let value = scalar.value
        if value < 0x80 {
            if value >= 0x41 && value <= 0x5A {
                return .replace(Unicode.Scalar(UInt8(value + 0x20)))
            }
            return .replace(scalar)
        }
        switch value {
        case 0x064B...0x065F, 0x0670, 0x06D6...0x06ED, 0x0640:
            return .remove
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673:
            return .replace("\u{0627}")  // ا
        case 0x0649, 0x0626, 0x06CC:
            return .replace("\u{064A}")  // ي
        case 0x0629, 0x06C0, 0x06C1, 0x06C2:
            return .replace("\u{0647}")  // ه
        case 0x0624:
            return .replace("\u{0648}")  // و
        case 0x06A9:
            return .replace("\u{0643}")  // ك
        case 0x0660...0x0669:
            return .replace(Unicode.Scalar(UInt8(0x30 + value - 0x0660)))
        case 0x06F0...0x06F9:
            return .replace(Unicode.Scalar(UInt8(0x30 + value - 0x06F0)))
        case 0x066B:
            return .replace(".")
        case 0x066C:
            return .replace(",")
        case 0x0621...0x063F, 0x0641...0x064A:
            // Arabic letters are neither format characters nor cased: no property lookup needed.
            return .replace(scalar)
        default:
            let properties = scalar.properties
            if properties.generalCategory == .format {
                return .remove
            }
            if properties.changesWhenLowercased {
                return .lowercase
            }
            return .replace(scalar)
        }
    }
}
