import ArabicText
import Testing

@Suite struct ArabicTokenizerTests {
    @Test(arguments: [
        ("قال الوزير", ["قال", "الوزير"]),                              // two Arabic words
        ("نعم، لا؛ لماذا؟", ["نعم", "لا", "لماذا"]),                     // Arabic punctuation is not a token
        ("«الامن» “الدولي”", ["الامن", "الدولي"]),                      // quotes are not tokens
        ("بلغ 2.5 مليون", ["بلغ", "2.5", "مليون"]),                     // decimal number whole
        ("في 4/6/2020 الساعه 12:30", ["في", "4/6/2020", "الساعه", "12:30"]), // date and time whole
        ("1,000 دولار", ["1,000", "دولار"]),                            // thousands separator kept
        ("2020-2021", ["2020-2021"]),                                   // range between digits kept
        ("2020.", ["2020"]),                                            // a trailing period is dropped
        ("1..2", ["1", "2"]),                                           // two periods are not inside a number
        ("12:", ["12"]),                                                // colon not followed by a digit
        ("-5 درجات", ["5", "درجات"]),                                  // a sign is not part of the number
        ("covid-19", ["covid", "19"]),                                  // letters and digits never share a token
        ("mp3", ["mp", "3"]),                                           // letters then digits split
        ("الناتو nato و un", ["الناتو", "nato", "و", "un"]),            // mixed scripts, one-letter word kept
        ("ابو-ظبي", ["ابو", "ظبي"]),                                   // hyphen between letters splits
        ("ص.ب 12", ["ص", "ب", "12"]),                                  // abbreviation letters split
        ("٤/٦/٢٠٢٠", ["٤/٦/٢٠٢٠"]),                                    // Arabic-Indic date (not normalized) whole
        ("٢٫٥", ["٢٫٥"]),                                               // Arabic decimal separator between digits
        ("ك\u{064E}ت\u{064E}ب\u{064E}", ["ك\u{064E}ت\u{064E}ب\u{064E}"]), // marks stay inside a word
        ("\u{064E}كتب", ["كتب"]),                                       // a leading mark starts nothing
        ("\u{0640}\u{0640}", [String]()),                               // tatweel alone is no token
        ("a\u{0000}b", ["a", "b"]),                                     // control character separates
        ("", [String]()),                                               // empty
        ("  ، . ! ", [String]()),                                       // punctuation and spaces only
    ])
    func splitsIntoTokens(_ input: String, _ expected: [String]) {
        #expect(ArabicTokenizer.tokens(input) == expected, "input: \(input)")
    }

    @Test func tokenizesNormalizedNewsText() {
        let text = ArabicNormalizer().normalize("كما تخلل البيان استذكار بيانهم الصادر في ٤ حزيران / يونيو 2020 ، والالتزام.")
        #expect(ArabicTokenizer.tokens(text) == [
            "كما", "تخلل", "البيان", "استذكار", "بيانهم", "الصادر", "في", "4", "حزيران", "يونيو", "2020", "والالتزام",
        ])
    }
}
