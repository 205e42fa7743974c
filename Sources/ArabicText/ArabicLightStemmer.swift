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
        UTF8Scalars.withUTF8(token) { utf8 in
            let kept = stemRange(ofUTF8: utf8)
            return kept.count == utf8.count ? token : String(decoding: UnsafeBufferPointer(rebasing: utf8[kept]), as: UTF8.self)
        }
    }

    /// The stem of the token whose UTF-8 bytes are `token`, as the range of those bytes it keeps: stemming
    /// only ever removes letters at either end, so the stem is a slice of the token.
    ///
    /// - Parameter token: One token of normalized text, as well-formed UTF-8.
    /// - Returns: The bytes of ``stem(_:)``'s result within `token`; all of them when nothing is removed.
    public static func stemRange(ofUTF8 token: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        // Every Arabic letter (U+0620…U+06FF, U+0750…U+077F) takes two bytes: letter i is bytes 2i and 2i+1.
        guard !token.isEmpty, token.count % 2 == 0 else { return 0..<token.count }
        var index = 0
        while index < token.count {
            let lead = token[index]
            guard lead >= 0xC0 && lead < 0xE0 else { return 0..<token.count }
            let value = UInt32(lead & 0x1F) << 6 | UInt32(token[index + 1] & 0x3F)
            guard Unicode.Scalar(value).unsafelyUnwrapped.isArabicLetter else { return 0..<token.count }
            index += 2
        }
        let letters = Letters(token)
        var lower = 0
        var upper = token.count / 2

        var hadArticle = false
        let article = articleLength(letters, count: upper)
        if article > 0, upper - lower - article >= 2 {
            lower += article
            hadArticle = true
        }
        // The accusative of an indefinite noun ends in alef (هجوما, تهديدا, اجتماعا): a noun with the article never
        // does, so only a word without it loses a final alef, and only when 3 letters remain after the suffix step.
        if !hadArticle, upper - lower - 2 >= 3, letters.has(pluralVerbEnding, at: upper - 2, upper: upper) {
            upper -= 2
        } else if !hadArticle, upper - lower >= 5, letters[upper - 1] == 0x0627 {
            upper -= 1
        }
        if isProclitic(letters[lower]), upper - lower - 1 >= 3 {
            lower += 1
        }
        let suffixes = Self.suffixes
        if let suffix = suffixes.first(where: { upper - lower - $0.letters.count >= 3 && letters.has($0.letters, at: upper - $0.letters.count, upper: upper) }) {
            upper -= suffix.letters.count
            // A pronoun may follow a plural or a taa marbuta (written ت before it): قواتها, حكومته.
            if suffix.isPronoun {
                if upper - lower >= 2, letters.has(feminineSoundPlural, at: upper - 2, upper: upper) {
                    if upper - lower - 2 >= 3 { upper -= 2 }
                } else if upper - lower - 1 >= 3, letters[upper - 1] == 0x062A {
                    upper -= 1
                }
            }
        }
        return 2 * lower..<2 * upper
    }

    /// The letters of an all-Arabic token, read from its two-byte UTF-8 sequences.
    private struct Letters {
        let bytes: UnsafeBufferPointer<UInt8>

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        /// The code point of letter `index`.
        subscript(index: Int) -> UInt32 {
            UInt32(bytes[2 * index] & 0x1F) << 6 | UInt32(bytes[2 * index + 1] & 0x3F)
        }

        /// Whether `letters` are the letters at `start` and after, before `upper`.
        func has(_ letters: [UInt32], at start: Int, upper: Int) -> Bool {
            guard start >= 0, start + letters.count <= upper else { return false }
            for (offset, letter) in letters.enumerated() where self[start + offset] != letter { return false }
            return true
        }
    }

    private static func codePoints(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    /// The length of the article prefix the token starts with, 0 for none: the first of `وال` `بال` `كال`
    /// `فال` `ولل` `فلل` `لل` `ال` it starts with (no two of them start a word alike, so the first is the
    /// longest).
    private static func articleLength(_ letters: Letters, count: Int) -> Int {
        guard count >= 2 else { return 0 }
        let first = letters[0], second = letters[1]
        if count >= 3 {
            let third = letters[2]
            // وال بال كال فال
            if second == 0x0627 && third == 0x0644 && (first == 0x0648 || first == 0x0628 || first == 0x0643 || first == 0x0641) { return 3 }
            // ولل فلل
            if second == 0x0644 && third == 0x0644 && (first == 0x0648 || first == 0x0641) { return 3 }
        }
        if first == 0x0644 && second == 0x0644 { return 2 }  // لل
        if first == 0x0627 && second == 0x0644 { return 2 }  // ال
        return 0
    }

    /// Single-letter proclitics: and (و), so (ف), with (ب), for (ل), like (ك).
    private static func isProclitic(_ letter: UInt32) -> Bool {
        letter == 0x0648 || letter == 0x0641 || letter == 0x0628 || letter == 0x0644 || letter == 0x0643
    }

    /// The plural ending of a past-tense verb (قتلوا, اعتقلوا).
    private static let pluralVerbEnding: [UInt32] = codePoints("وا")

    /// The feminine sound plural ending, stripped again when a pronoun followed it.
    private static let feminineSoundPlural: [UInt32] = codePoints("ات")

    /// Possessive pronoun suffixes, after which a plural or a taa marbuta (ت) may remain.
    private static let pronouns: Set<String> = ["ها", "هم", "هن", "كم", "نا", "ه"]

    /// Suffixes, longest first, each marked when it is a possessive pronoun.
    private static let suffixes: [(letters: [UInt32], isPronoun: Bool)] =
        ["يين", "يون", "يات",
         "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه",
         "ه", "ي"].map { (codePoints($0), pronouns.contains($0)) }
}
