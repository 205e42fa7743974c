/// Folds Arabic text for matching (the original is always kept elsewhere).
///
/// What is folded is set by a ``NormalizationProfile``, a set of ``ArabicFolding`` steps. The default
/// profile, ``NormalizationProfile/default``, applies every step; it removes what varies between
/// spellings of the same word and keeps the rest:
///
/// - Arabic diacritics are removed: U+064B…U+065F (tanween, fatha, damma, kasra, shadda, sukun,
///   combining hamza and maddah, …), U+0670 superscript alef and the Quranic marks U+06D6…U+06ED
///   (``ArabicFolding/diacritics``);
/// - tatweel U+0640 is removed (``ArabicFolding/tatweel``), and so is every format control (general
///   category Cf: zero-width space and joiners, direction marks, U+061C Arabic letter mark, soft hyphen,
///   byte order mark; ``ArabicFolding/formatControls``);
/// - alef forms أ إ آ ٱ (and the wavy-hamza alefs U+0672, U+0673) become ا (``ArabicFolding/alefForms``);
///   ى becomes ي (``ArabicFolding/alefMaqsura``); ة becomes ه (``ArabicFolding/taaMarbuta``);
///   ؤ becomes و and ئ becomes ي (``ArabicFolding/hamzaCarriers``);
/// - Persian and Urdu letters meet their Arabic counterparts: ک → ك, ی → ي, ہ ۀ ۂ → ه
///   (``ArabicFolding/persianLetters``);
/// - Arabic-Indic digits ٠…٩ and Extended Arabic-Indic digits ۰…۹ become ASCII 0…9, the Arabic decimal
///   separator ٫ becomes `.` and the Arabic thousands separator ٬ becomes `,` (``ArabicFolding/digits``);
/// - letters with a lower-case form are lower-cased (Latin, and any other cased script;
///   ``ArabicFolding/lowercase``);
/// - every run of white space (line breaks, U+00A0 and the other Unicode spaces) becomes one ASCII
///   space, and leading and trailing white space is dropped (``ArabicFolding/whitespace``).
///
/// A step left out of the profile leaves its scalars as they are. Punctuation, Arabic or not
/// (، ؛ ؟ « » “ ”), is kept as is by every profile. The folding is idempotent for every profile:
/// `normalize(normalize(x)) == normalize(x)`.
///
/// ```swift
/// ArabicNormalizer().normalize("الْمُسَاءَلَةُ  ٢٠٢٠")                         // "المساءله 2020"
/// ArabicNormalizer(profile: .conservative).normalize("الْمُسَاءَلَةُ  ٢٠٢٠") // "المساءلة 2020"
/// ```
public struct ArabicNormalizer: Sendable, Hashable {
    /// Version of the default folding profile, ``NormalizationProfile/default``; stored with the data it
    /// produced.
    ///
    /// - Important: The default profile's revision must be bumped whenever the output of
    ///   ``normalize(_:)`` changes for any input, so that stored normalized text can be told apart from
    ///   text the new profile would produce.
    public static let profileVersion: String = NormalizationProfile.default.version

    /// The folding steps applied, with the version to store alongside the output.
    public let profile: NormalizationProfile

    // One flag per folding, read from `profile` once so that the per-scalar switch tests a stored Bool
    // rather than a set.
    private let removesDiacritics: Bool
    private let removesTatweel: Bool
    private let removesFormatControls: Bool
    private let foldsAlefForms: Bool
    private let foldsAlefMaqsura: Bool
    private let foldsTaaMarbuta: Bool
    private let foldsHamzaCarriers: Bool
    private let foldsPersianLetters: Bool
    private let foldsDigits: Bool
    private let lowercases: Bool
    private let foldsWhitespace: Bool
    /// What ``fold(_:)`` gives for each scalar of the Arabic block U+0600…U+06FF, where most text is: 0 to
    /// remove it, `noEntry` to ask ``fold(_:)``, else the replacement scalar.
    private var arabicBlock: [UInt16] = []
    private static let noEntry: UInt16 = 0xFFFF

    /// Creates a normalizer.
    ///
    /// - Parameter profile: The folding steps to apply; all of them by default.
    public init(profile: NormalizationProfile = .default) {
        self.profile = profile
        let foldings = profile.foldings
        removesDiacritics = foldings.contains(.diacritics)
        removesTatweel = foldings.contains(.tatweel)
        removesFormatControls = foldings.contains(.formatControls)
        foldsAlefForms = foldings.contains(.alefForms)
        foldsAlefMaqsura = foldings.contains(.alefMaqsura)
        foldsTaaMarbuta = foldings.contains(.taaMarbuta)
        foldsHamzaCarriers = foldings.contains(.hamzaCarriers)
        foldsPersianLetters = foldings.contains(.persianLetters)
        foldsDigits = foldings.contains(.digits)
        lowercases = foldings.contains(.lowercase)
        foldsWhitespace = foldings.contains(.whitespace)
        arabicBlock = (0x0600..<0x0700).map { value in
            switch fold(Unicode.Scalar(UInt32(value))!) {
            case .remove: 0
            case .replace(let replacement): UInt16(replacement.value)
            case .lowercase: Self.noEntry
            }
        }
    }

    /// Folds `text` with the normalizer's profile.
    ///
    /// - Parameter text: Any text; the original is not changed.
    /// - Returns: The folded text; with ``ArabicFolding/whitespace`` in the profile, with single ASCII
    ///   spaces between words and none at either end.
    /// - Complexity: O(*n*) in the number of Unicode scalars of `text`.
    public func normalize(_ text: String) -> String {
        UTF8Scalars.withUTF8(text) { normalize(utf8: $0) }
    }

    /// Folds the well-formed UTF-8 text `input` (a `String`'s storage), writing UTF-8 bytes.
    ///
    /// Works on bytes rather than on a `String.UnicodeScalarView`: appending scalar by scalar to a view, and
    /// iterating one, cost several times the folding itself.
    public func normalize(utf8 input: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var pendingSpace = false
        var index = 0
        while index < input.count {
            let byte = input[index]
            // ASCII other than white space folds to itself or, for capitals, to its lower case.
            if byte < 0x80, !(byte == 0x20 || byte >= 0x09 && byte <= 0x0D) || !foldsWhitespace {
                if pendingSpace {
                    output.append(0x20)
                    pendingSpace = false
                }
                output.append(lowercases && byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                index += 1
                continue
            }
            // The Arabic block (lead bytes D8…DB) holds no white space: its folding is in the table.
            if byte >= 0xD8 && byte <= 0xDB {
                let entry = arabicBlock[Int(byte & 0x03) << 6 | Int(input[index + 1] & 0x3F)]
                if entry == 0 {
                    index += 2
                    continue
                }
                if entry != Self.noEntry {
                    if pendingSpace {
                        output.append(0x20)
                        pendingSpace = false
                    }
                    UTF8Scalars.append(Unicode.Scalar(entry)!, to: &output)
                    index += 2
                    continue
                }
            }
            let (scalar, length) = UTF8Scalars.decode(input, at: index)
            index += length
            if foldsWhitespace && scalar.isUnicodeWhitespace {
                pendingSpace = !output.isEmpty
                continue
            }
            switch fold(scalar) {
            case .remove:
                continue
            case .replace(let replacement):
                if pendingSpace {
                    output.append(0x20)
                    pendingSpace = false
                }
                UTF8Scalars.append(replacement, to: &output)
            case .lowercase:
                if pendingSpace {
                    output.append(0x20)
                    pendingSpace = false
                }
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { UTF8Scalars.append(lower, to: &output) }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What the profile does with one scalar (white space included only when the profile keeps it).
    private enum Folding {
        case remove
        case replace(Unicode.Scalar)
        case lowercase
    }

    /// The profile for one scalar that ``ArabicFolding/whitespace`` does not handle.
    ///
    /// Every replacement is a scalar that no step changes, which keeps every profile idempotent.
    private func fold(_ scalar: Unicode.Scalar) -> Folding {
        let value = scalar.value
        if value < 0x80 {
            if lowercases && value >= 0x41 && value <= 0x5A {
                return .replace(Unicode.Scalar(UInt8(value + 0x20)))
            }
            return .replace(scalar)
        }
        switch value {
        case 0x064B...0x065F, 0x0670, 0x06D6...0x06ED:
            if removesDiacritics { return .remove }
            // U+06DD end of ayah is also a format control.
            return value == 0x06DD ? foldByProperties(scalar) : .replace(scalar)
        case 0x0640:
            return removesTatweel ? .remove : .replace(scalar)
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673:
            return foldsAlefForms ? .replace("\u{0627}") : .replace(scalar)  // ا
        case 0x0649:
            return foldsAlefMaqsura ? .replace("\u{064A}") : .replace(scalar)  // ي
        case 0x0626:
            return foldsHamzaCarriers ? .replace("\u{064A}") : .replace(scalar)  // ي
        case 0x06CC:
            return foldsPersianLetters ? .replace("\u{064A}") : .replace(scalar)  // ي
        case 0x0629:
            return foldsTaaMarbuta ? .replace("\u{0647}") : .replace(scalar)  // ه
        case 0x06C0, 0x06C1, 0x06C2:
            return foldsPersianLetters ? .replace("\u{0647}") : .replace(scalar)  // ه
        case 0x0624:
            return foldsHamzaCarriers ? .replace("\u{0648}") : .replace(scalar)  // و
        case 0x06A9:
            return foldsPersianLetters ? .replace("\u{0643}") : .replace(scalar)  // ك
        case 0x0660...0x0669:
            return foldsDigits ? .replace(Unicode.Scalar(UInt8(0x30 + value - 0x0660))) : .replace(scalar)
        case 0x06F0...0x06F9:
            return foldsDigits ? .replace(Unicode.Scalar(UInt8(0x30 + value - 0x06F0))) : .replace(scalar)
        case 0x066B:
            return foldsDigits ? .replace(".") : .replace(scalar)
        case 0x066C:
            return foldsDigits ? .replace(",") : .replace(scalar)
        case 0x0621...0x063F, 0x0641...0x064A:
            // Arabic letters are neither format characters nor cased: no property lookup needed.
            return .replace(scalar)
        default:
            return foldByProperties(scalar)
        }
    }

    /// The profile for a scalar known only by its Unicode properties: format controls and cased letters.
    private func foldByProperties(_ scalar: Unicode.Scalar) -> Folding {
        guard removesFormatControls || lowercases else { return .replace(scalar) }
        let properties = scalar.properties
        if removesFormatControls && properties.generalCategory == .format {
            return .remove
        }
        if lowercases && properties.changesWhenLowercased {
            return .lowercase
        }
        return .replace(scalar)
    }
}
