/// A light stemmer: strips common proclitics and suffixes so inflected, cliticised forms meet their lexicon entry.
///
/// The input is a normalized token (``ArabicNormalizer`` output, so alef forms are bare and taa marbuta
/// is already `ه`). Lexicon entries and text tokens go through the same function, and the rules aim at
/// making the forms of one word meet, not at finding the linguistic root. The steps, each optional:
///
/// 1. At most one article prefix, longest first: `وال` `بال` `كال` `فال` `ولل` `فلل` `لل` `ال`,
///    when at least 2 letters remain (`الله` → `له`, `والمساءله` → `مساءله`).
/// 1b. A word without the article that ends in the plural verb ending `وا` loses it when at least 3
///    letters remain (`قتلوا` → `قتل`, `اعتقلوا` → `اعتقل`, `استشهدوا` → `استشهد`; `دعوا` keeps it).
///    Otherwise, a word without the article that has at least 5 letters loses a final `ا`: the accusative
///    of an indefinite noun (`هجوما` → `هجوم`, `تهديدا` → `تهديد`), which a noun with the article never takes.
/// 2. Then at most one single-letter proclitic `و` `ف` `ب` `ل` `ك`, when at least 3 letters remain
///    (`وحمايه` → `حمايه`; `ولد` keeps its `و`). This step also runs after step 1, so that a word
///    whose first letter is one of these meets its form with the article: `البيان` and `بيان` both
///    give `يان`, `الوزراء` and `وزراء` both give `زراء`.
/// 3. Then at most one suffix, longest first: `يين` `يون` `يات`, then `ات` `ون` `ين` `ان` `ها` `هم`
///    `هن` `كم` `نا` `يه`, then `ه` `ي`, when at least 3 letters remain. The three-letter plural and
///    nisba endings let `المدني`, `المدنيه`, `المدنيين` and `المدنيون` all meet at `مدن`.
/// 3b. When the suffix removed in step 3 was a possessive pronoun (`ها` `هم` `هن` `كم` `نا` `ه`), the
///    word it was attached to may still carry a plural or a taa marbuta, which is written `ت` before a
///    pronoun: a final `ات` goes when 3 letters remain (and stays otherwise), else a final `ت` goes when
///    3 letters remain (`سلطاتها` → `سلط` like `السلطات`, `قواتها` → `قوات` like `القوات`,
///    `مساعداتها` → `مساعد` like `المساعدات`, `حكومته` → `حكوم` like `الحكومه`; `صوته` → `صوت` and
///    `موتهم` → `موت` keep their `ت`).
///
/// Tokens that are not made only of Arabic letters (Latin words, numbers, mixed tokens) are returned
/// unchanged.
///
/// - Warning: Light stemming conflates some unrelated words (`الانسان` and `انس` both give `انس`) and
///   cannot join broken plurals to their singular (`سجون` and `سجن` stay apart). Match on stems for
///   recall and keep the matched surface terms to explain each match.
public enum ArabicLightStemmer: Sendable {
    /// The stem of `token`.
    ///
    /// - Parameter token: One token of normalized text.
    /// - Returns: The stem, or `token` itself when it is not purely Arabic or too short to strip.
    public static func stem(_ token: String) -> String {
        var letters = Array(token.unicodeScalars)
        guard !letters.isEmpty, letters.allSatisfy(\.isArabicLetter) else { return token }

        var hadArticle = false
        if let prefix = articlePrefixes.first(where: { letters.starts(with: $0) }),
           letters.count - prefix.count >= 2 {
            letters.removeFirst(prefix.count)
            hadArticle = true
        }
        // The accusative of an indefinite noun ends in alef (هجوما, تهديدا, اجتماعا): a noun with the article never
        // does, so only a word without it loses a final alef, and only when 3 letters remain after the suffix step.
        if !hadArticle, letters.count - 2 >= 3, letters.ends(with: pluralVerbEnding) {
            letters.removeLast(2)
        } else if !hadArticle, letters.count >= 5, letters.last == "\u{0627}" {
            letters.removeLast()
        }
        if let first = letters.first, proclitics.contains(first), letters.count - 1 >= 3 {
            letters.removeFirst()
        }
        if let suffix = suffixes.first(where: { letters.count - $0.count >= 3 && letters.ends(with: $0) }) {
            letters.removeLast(suffix.count)
            // A pronoun may follow a plural or a taa marbuta (written ت before it): قواتها, حكومته.
            if pronouns.contains(suffix) {
                if letters.ends(with: feminineSoundPlural) {
                    if letters.count - 2 >= 3 { letters.removeLast(2) }
                } else if letters.count - 1 >= 3, letters.last == "\u{062A}" {
                    letters.removeLast()
                }
            }
        }
        return String(String.UnicodeScalarView(letters))
    }

    /// Article prefixes, longest first.
    private static let articlePrefixes: [[Unicode.Scalar]] =
        ["وال", "بال", "كال", "فال", "ولل", "فلل", "لل", "ال"].map { Array($0.unicodeScalars) }

    /// Single-letter proclitics: and, so, with, for, like.
    private static let proclitics: Set<Unicode.Scalar> = ["و", "ف", "ب", "ل", "ك"]

    /// The plural ending of a past-tense verb (قتلوا, اعتقلوا).
    private static let pluralVerbEnding: [Unicode.Scalar] = Array("وا".unicodeScalars)

    /// The feminine sound plural ending, stripped again when a pronoun followed it.
    private static let feminineSoundPlural: [Unicode.Scalar] = Array("ات".unicodeScalars)

    /// Possessive pronoun suffixes, after which a plural or a taa marbuta (ت) may remain.
    private static let pronouns: Set<[Unicode.Scalar]> =
        Set(["ها", "هم", "هن", "كم", "نا", "ه"].map { Array($0.unicodeScalars) })

    /// Suffixes, longest first.
    private static let suffixes: [[Unicode.Scalar]] =
        ["يين", "يون", "يات",
         "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه",
         "ه", "ي"].map { Array($0.unicodeScalars) }
}

extension Array where Element == Unicode.Scalar {
    /// Whether the array ends with `suffix`.
    fileprivate func ends(with suffix: [Unicode.Scalar]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
