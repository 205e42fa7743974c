/// One folding step of Arabic normalization for matching.
///
/// Each step acts on single Unicode scalars (``whitespace`` on runs of them) and never looks at the
/// result of another step, so any set of steps gives an idempotent normalization. A
/// ``NormalizationProfile`` names the set of steps an ``ArabicNormalizer`` applies.
public enum ArabicFolding: String, CaseIterable, Sendable, Hashable {
    /// Removes Arabic diacritics: U+064B…U+065F (tanween ً ٌ ٍ, fatha, damma, kasra, shadda, sukun,
    /// the combining maddah and hamza above and below, …), U+0670 superscript alef and the Quranic
    /// marks U+06D6…U+06ED.
    ///
    /// The combining hamza and maddah go too, so a decomposed أ (ا followed by U+0654) becomes ا even
    /// when ``alefForms`` is off and the precomposed أ is kept. The Quranic end-of-ayah sign U+06DD is
    /// also a format character: without this step it is still removed by ``formatControls``.
    case diacritics
    /// Removes tatweel (kashida) U+0640, the elongation stroke: كتـــاب → كتاب.
    case tatweel
    /// Removes every format control (general category Cf): zero-width space, non-joiner and joiner,
    /// left-to-right and right-to-left marks and embeddings, U+061C Arabic letter mark, soft hyphen
    /// U+00AD, byte order mark U+FEFF, the Arabic number signs U+0600…U+0605, …
    case formatControls
    /// Folds the alef forms أ إ آ ٱ and the wavy-hamza alefs U+0672, U+0673 to bare alef ا.
    case alefForms
    /// Folds alef maqsura ى to yaa ي (على and علي meet).
    case alefMaqsura
    /// Folds taa marbuta ة to haa ه (مدرسة → مدرسه).
    case taaMarbuta
    /// Folds the hamza carriers ؤ to waw و and ئ to yaa ي; the lone hamza ء is kept.
    case hamzaCarriers
    /// Folds Persian and Urdu letters to their Arabic counterparts: keheh ک → ك, Farsi yeh ی → ي,
    /// heh goal ہ, heh with yeh above ۀ and heh goal with hamza above ۂ → ه.
    ///
    /// Other Persian and Urdu letters (پ چ ژ گ, yeh barree ے, …) have no Arabic counterpart and are kept.
    case persianLetters
    /// Folds Arabic-Indic digits ٠…٩ and Extended Arabic-Indic digits ۰…۹ to ASCII 0…9, the Arabic
    /// decimal separator ٫ to `.` and the Arabic thousands separator ٬ to `,`; the Arabic percent sign
    /// ٪ is kept.
    case digits
    /// Lower-cases every letter that has a lower-case form (Latin, Greek, Cyrillic, …), by Unicode's
    /// full lower-case mapping.
    case lowercase
    /// Folds every run of white space (line breaks, tabs, U+00A0 no-break space and the other Unicode
    /// spaces) to one ASCII space and drops white space at either end.
    case whitespace

    /// What the step does, one line, for docs and `bayan` output.
    public var summary: String {
        switch self {
        case .diacritics:
            return "remove harakat, tanween, shadda, sukun, superscript alef and Quranic marks"
        case .tatweel:
            return "remove tatweel (kashida) U+0640"
        case .formatControls:
            return "remove format controls: zero-width characters, direction marks, U+061C, soft hyphen, BOM"
        case .alefForms:
            return "fold alef forms أ إ آ ٱ (and U+0672, U+0673) to ا"
        case .alefMaqsura:
            return "fold alef maqsura ى to ي"
        case .taaMarbuta:
            return "fold taa marbuta ة to ه"
        case .hamzaCarriers:
            return "fold hamza carriers ؤ to و and ئ to ي"
        case .persianLetters:
            return "fold Persian and Urdu letters ک to ك, ی to ي, ہ ۀ ۂ to ه"
        case .digits:
            return "fold Arabic-Indic and Extended Arabic-Indic digits to ASCII, ٫ to . and ٬ to ,"
        case .lowercase:
            return "lower-case cased letters"
        case .whitespace:
            return "fold runs of white space to one space and trim both ends"
        }
    }
}

/// A named set of foldings with a version.
///
/// The ``version`` is stored with every row of normalized text, so that text folded by different
/// profiles, or by different revisions of one profile, is never compared as if alike.
///
/// ```swift
/// let profile = NormalizationProfile(name: "headlines", foldings: [.diacritics, .tatweel], revision: 1)
/// profile.version                                    // "headlines-1"
/// ArabicNormalizer(profile: profile).normalize("كتـاب") // "كتاب"
/// ```
public struct NormalizationProfile: Sendable, Hashable {
    /// Name of the profile, such as `default`; the first part of ``version``.
    public var name: String
    /// The folding steps applied.
    public var foldings: Set<ArabicFolding>
    /// Revision of the profile under its name; the last part of ``version``.
    ///
    /// - Important: Increase it whenever the output of the profile changes for any input.
    public var revision: Int

    /// `name` plus a version: "default-1". Stored with every normalized row.
    public var version: String { "\(name)-\(revision)" }

    /// Every folding, named `default`, version `default-1`: the profile of ``ArabicNormalizer/init(profile:)``
    /// when none is given.
    public static let `default` = NormalizationProfile(
        name: "default", foldings: Set(ArabicFolding.allCases), revision: 1)

    /// Only orthographic variants, keeping letters like ة/ى apart: version `conservative-1`.
    ///
    /// It removes what does not change which letters a word is spelled with (``ArabicFolding/diacritics``,
    /// ``ArabicFolding/tatweel``, ``ArabicFolding/formatControls``), writes numbers in ASCII digits
    /// (``ArabicFolding/digits``), lower-cases (``ArabicFolding/lowercase``) and folds white space
    /// (``ArabicFolding/whitespace``). Letters are kept as written: أ إ آ stay apart from ا (أن, إن),
    /// ة from ه, ى from ي (على, علي), ؤ ئ from و ي, and Persian letters are kept too, since a Persian
    /// keyboard's ی is written for both ي and ى.
    ///
    /// ```swift
    /// ArabicNormalizer(profile: .conservative).normalize("عَلَى المدرسةِ") // "على المدرسة"
    /// ```
    public static let conservative = NormalizationProfile(
        name: "conservative",
        foldings: [.diacritics, .tatweel, .formatControls, .digits, .lowercase, .whitespace],
        revision: 1)

    /// Creates a profile.
    ///
    /// - Parameters:
    ///   - name: Name of the profile; the first part of ``version``.
    ///   - foldings: The folding steps to apply.
    ///   - revision: Revision of the profile under `name`, from 1; increase it whenever the output changes.
    public init(name: String, foldings: Set<ArabicFolding>, revision: Int) {
        self.name = name
        self.foldings = foldings
        self.revision = revision
    }
}
