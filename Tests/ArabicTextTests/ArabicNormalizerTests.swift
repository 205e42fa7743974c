import ArabicText
import Testing

@Suite struct ArabicNormalizerTests {
    /// Inputs and their folding by hand; combining marks and look-alike letters are spelled as escapes.
    static let cases: [(String, String)] = [
        // Alef and hamza forms
        ("أحمد", "احمد"),                                   // hamza above alef → bare alef
        ("إسلام", "اسلام"),                                 // hamza below alef → bare alef
        ("آمن", "امن"),                                     // alef with madda → bare alef
        ("\u{0671}لله", "الله"),                            // alef wasla → bare alef
        ("ا\u{0654}حمد", "احمد"),                          // decomposed hamza above is a mark: removed
        ("مؤتمر", "موتمر"),                                 // waw with hamza → waw
        ("رئيس", "رييس"),                                   // yaa with hamza → yaa
        ("سماء", "سماء"),                                   // lone hamza stays
        ("مستشفى", "مستشفي"),                               // alef maqsura → yaa
        ("مدرسة", "مدرسه"),                                 // taa marbuta → haa
        // Diacritics and tatweel
        ("ك\u{064E}ت\u{064E}ب\u{064E}", "كتب"),            // fatha on every letter
        ("كتاب\u{064B}ا", "كتابا"),                         // tanween fath removed, its alef kept
        ("كتاب\u{064C}", "كتاب"),                           // tanween damm
        ("مدر\u{0651}سة", "مدرسه"),                         // shadda
        ("م\u{0650}ن\u{0652}", "من"),                       // kasra and sukun
        ("ه\u{0670}ذا", "هذا"),                             // superscript alef
        ("الر\u{0651}\u{064E}ح\u{0652}م\u{064E}\u{0670}ن\u{0650}", "الرحمن"), // stacked marks
        ("العالمين\u{06D7}", "العالمين"),                   // Quranic pause mark
        ("كتـــاب", "كتاب"),                                // tatweel
        ("ا \u{064E} ب", "ا ب"),                            // a lone mark between spaces leaves one space
        // Persian and Urdu letters
        ("\u{06A9}تاب", "كتاب"),                            // keheh → kaf
        ("عل\u{06CC}", "علي"),                              // Farsi yeh → yaa
        ("الل\u{06C1}", "الله"),                            // heh goal → haa
        ("خان\u{06C0}", "خانه"),                            // heh with yeh above → haa
        // Digits and numbers
        ("٢٠٢٠", "2020"),                                   // Arabic-Indic digits
        ("۱۴۰۲", "1402"),                                   // Extended Arabic-Indic digits
        ("٢٫٥", "2.5"),                                     // Arabic decimal separator → period
        ("١٬٠٠٠", "1,000"),                                 // Arabic thousands separator → comma
        ("٤/٦/٢٠٢٠", "4/6/2020"),                           // date in Arabic-Indic digits
        ("2.5", "2.5"),                                     // ASCII decimal unchanged
        ("4/6/2020", "4/6/2020"),                           // ASCII date unchanged
        // Latin
        ("COVID-19", "covid-19"),                           // ASCII upper case lowered, hyphen kept
        ("\u{00C9}T\u{00C9}", "\u{00E9}t\u{00E9}"),         // Latin-1 letters lowered too
        ("أعلنت NATO اليوم", "اعلنت nato اليوم"),           // mixed Arabic and Latin
        // White space and invisible controls
        ("  كلمة   أخرى  ", "كلمه اخري"),                   // runs collapsed, ends trimmed
        ("كلمة\u{00A0}أخرى", "كلمه اخري"),                  // no-break space
        ("سطر\n\tسطر", "سطر سطر"),                          // line break and tab
        ("a\u{2009}\u{202F}\u{3000}b", "a b"),              // thin, narrow no-break and ideographic spaces
        ("كلمة\u{200C}\u{200F}", "كلمه"),                   // zero-width non-joiner and RTL mark removed
        ("\u{FEFF}نص", "نص"),                               // byte order mark removed
        ("", ""),                                           // empty
        (" \u{00A0}\n ", ""),                               // white space only
        // Punctuation is kept
        ("نعم، لا؛ لماذا؟", "نعم، لا؛ لماذا؟"),              // Arabic comma, semicolon, question mark
        ("«الأمن»", "«الامن»"),                             // guillemets
        ("“انتهى”", "“انتهي”"),                             // curly quotes
        // News text
        ("وكرر البيان التأكيد على أهمية ضمان المساءلة", "وكرر البيان التاكيد علي اهميه ضمان المساءله"),
    ]

    @Test(arguments: cases)
    func normalizesForMatching(_ input: String, _ expected: String) {
        let output = ArabicNormalizer().normalize(input)
        #expect(output == expected, "input: \(input.unicodeScalars.map { String($0.value, radix: 16) })")
        // Swift's String == is canonical equivalence; the folding must also match scalar for scalar.
        #expect(Array(output.unicodeScalars) == Array(expected.unicodeScalars), "input: \(input)")
    }

    @Test(arguments: cases.map(\.0))
    func isIdempotent(_ input: String) {
        let normalizer = ArabicNormalizer()
        let once = normalizer.normalize(input)
        #expect(normalizer.normalize(once) == once, "input: \(input)")
    }

    @Test func profileVersionIsOne() {
        #expect(ArabicNormalizer.profileVersion == "1")
    }
}
