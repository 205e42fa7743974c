import ArabicText
import Testing
import TestSupport

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

    @Test func profileVersionIsDefaultOne() {
        #expect(ArabicNormalizer.profileVersion == "default-1")
    }
}

/// The folding steps one at a time, the named profiles and their versions.
@Suite struct NormalizationProfileTests {
    /// Input, output of the default profile, output of the default profile without the folding under test.
    typealias Row = (input: String, withFolding: String, withoutFolding: String)

    static let diacritics: [Row] = [
        ("كتاب\u{064B}ا", "كتابا", "كتاب\u{064B}ا"),                // tanween fath
        ("كتاب\u{064C}", "كتاب", "كتاب\u{064C}"),                   // tanween damm
        ("كتاب\u{064D}", "كتاب", "كتاب\u{064D}"),                   // tanween kasr
        ("مدر\u{0651}سة", "مدرسه", "مدر\u{0651}سه"),                // shadda
        ("م\u{0650}ن\u{0652}", "من", "م\u{0650}ن\u{0652}"),         // kasra and sukun
        ("ه\u{0670}ذا", "هذا", "ه\u{0670}ذا"),                      // superscript alef
        ("العالمين\u{06D7}", "العالمين", "العالمين\u{06D7}"),       // Quranic pause mark
        ("ا\u{0654}حمد", "احمد", "ا\u{0654}حمد"),                  // decomposed hamza above
        ("\u{06DD}١", "1", "1"),                                    // end of ayah: also a format control
        ("ا \u{064E} ب", "ا ب", "ا \u{064E} ب"),                    // a lone mark between spaces
    ]

    static let tatweel: [Row] = [
        ("كتـــاب", "كتاب", "كتـــاب"),
        ("\u{0640}", "", "\u{0640}"),
        ("ا \u{0640} ب", "ا ب", "ا \u{0640} ب"),
    ]

    static let formatControls: [Row] = [
        ("كلمة\u{200C}\u{200F}", "كلمه", "كلمه\u{200C}\u{200F}"),  // zero-width non-joiner, RTL mark
        ("\u{FEFF}نص", "نص", "\u{FEFF}نص"),                         // byte order mark
        ("\u{061C}١", "1", "\u{061C}1"),                            // Arabic letter mark
        ("سو\u{00AD}ق", "سوق", "سو\u{00AD}ق"),                      // soft hyphen
        ("a\u{200B}b", "ab", "a\u{200B}b"),                          // zero-width space
        ("ا \u{200D} ب", "ا ب", "ا \u{200D} ب"),                    // zero-width joiner between spaces
        ("\u{200E}", "", "\u{200E}"),                               // a lone LTR mark
    ]

    static let alefForms: [Row] = [
        ("أحمد", "احمد", "أحمد"),
        ("إسلام", "اسلام", "إسلام"),
        ("آمن", "امن", "آمن"),
        ("\u{0671}لله", "الله", "\u{0671}لله"),                    // alef wasla
        ("\u{0672}\u{0673}", "اا", "\u{0672}\u{0673}"),             // wavy hamza above and below
        ("الأمن", "الامن", "الأمن"),
        ("ا\u{0654}", "ا", "ا"),                                    // decomposed: the mark goes with diacritics
    ]

    static let alefMaqsura: [Row] = [
        ("مستشفى", "مستشفي", "مستشفى"),
        ("على", "علي", "على"),
        ("\u{0649}", "\u{064A}", "\u{0649}"),
    ]

    static let taaMarbuta: [Row] = [
        ("مدرسة", "مدرسه", "مدرسة"),
        ("مدرسة\u{064F}", "مدرسه", "مدرسة"),                        // with damma, removed either way
        ("\u{0629}", "\u{0647}", "\u{0629}"),
    ]

    static let hamzaCarriers: [Row] = [
        ("مؤتمر", "موتمر", "مؤتمر"),
        ("رئيس", "رييس", "رئيس"),
        ("سماء", "سماء", "سماء"),                                  // lone hamza kept either way
        ("\u{0626}", "\u{064A}", "\u{0626}"),
    ]

    static let persianLetters: [Row] = [
        ("\u{06A9}تاب", "كتاب", "\u{06A9}تاب"),                    // keheh
        ("عل\u{06CC}", "علي", "عل\u{06CC}"),                        // Farsi yeh
        ("الل\u{06C1}", "الله", "الل\u{06C1}"),                     // heh goal
        ("خان\u{06C0}", "خانه", "خان\u{06C0}"),                     // heh with yeh above
        ("\u{06C2}", "ه", "\u{06C2}"),                              // heh goal with hamza above
        ("\u{067E}\u{06AF}\u{06D2}", "\u{067E}\u{06AF}\u{06D2}", "\u{067E}\u{06AF}\u{06D2}"), // پ گ ے kept
    ]

    static let digits: [Row] = [
        ("٢٫٥", "2.5", "٢٫٥"),
        ("۱۲۳", "123", "۱۲۳"),
        ("١٬٠٠٠", "1,000", "١٬٠٠٠"),
        ("٤/٦/٢٠٢٠", "4/6/2020", "٤/٦/٢٠٢٠"),
        ("٥٠٪", "50٪", "٥٠٪"),                                       // Arabic percent sign kept
        ("2.5", "2.5", "2.5"),
    ]

    static let lowercase: [Row] = [
        ("COVID-19", "covid-19", "COVID-19"),
        ("\u{00C9}T\u{00C9}", "\u{00E9}t\u{00E9}", "\u{00C9}T\u{00C9}"),
        ("أعلنت NATO", "اعلنت nato", "اعلنت NATO"),
        ("ΑΒΓ", "αβγ", "ΑΒΓ"),                                      // Greek
        ("nato", "nato", "nato"),
    ]

    static let whitespace: [Row] = [
        ("  كلمة   أخرى  ", "كلمه اخري", "  كلمه   اخري  "),
        ("كلمة\u{00A0}أخرى", "كلمه اخري", "كلمه\u{00A0}اخري"),     // no-break space
        ("a\u{2009}b", "a b", "a\u{2009}b"),                        // thin space
        ("a\u{202F}\u{3000}b", "a b", "a\u{202F}\u{3000}b"),        // narrow no-break and ideographic spaces
        ("سطر\n\tسطر", "سطر سطر", "سطر\n\tسطر"),
        (" \u{00A0}\n ", "", " \u{00A0}\n "),
        ("ا \u{064E} ب", "ا ب", "ا  ب"),                            // the mark goes, both spaces stay
    ]

    /// The table of a folding; the switch makes sure every folding has one.
    static func table(_ folding: ArabicFolding) -> [Row] {
        switch folding {
        case .diacritics: return diacritics
        case .tatweel: return tatweel
        case .formatControls: return formatControls
        case .alefForms: return alefForms
        case .alefMaqsura: return alefMaqsura
        case .taaMarbuta: return taaMarbuta
        case .hamzaCarriers: return hamzaCarriers
        case .persianLetters: return persianLetters
        case .digits: return digits
        case .lowercase: return lowercase
        case .whitespace: return whitespace
        }
    }

    static func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    static func profile(_ foldings: Set<ArabicFolding>, name: String = "test") -> NormalizationProfile {
        NormalizationProfile(name: name, foldings: foldings, revision: 1)
    }

    @Test(arguments: ArabicFolding.allCases)
    func eachFoldingByTable(_ folding: ArabicFolding) {
        let with = ArabicNormalizer()
        let without = ArabicNormalizer(profile: Self.profile(Set(ArabicFolding.allCases).subtracting([folding])))
        let rows = Self.table(folding)
        #expect(!rows.isEmpty)
        for row in rows {
            // Scalar for scalar: Swift's String == is canonical equivalence.
            #expect(Self.scalars(with.normalize(row.input)) == Self.scalars(row.withFolding),
                    "\(folding) on: \(Self.scalars(row.input))")
            #expect(Self.scalars(without.normalize(row.input)) == Self.scalars(row.withoutFolding),
                    "without \(folding): \(Self.scalars(row.input))")
        }
    }

    @Test func punctuationIsKeptByEveryProfile() {
        let text = "نعم، لا؛ لماذا؟ «قال» “هنا” - (1) ! ."
        for profile in Self.profilesUnderTest {
            #expect(Self.scalars(ArabicNormalizer(profile: profile).normalize(text)) == Self.scalars(text),
                    "profile: \(profile.foldings.map(\.rawValue).sorted())")
        }
    }

    @Test(arguments: [
        ("الْمَدْرَسَةُ", "المدرسة"),                   // diacritics removed, taa marbuta kept
        ("عَلَى", "على"),                               // alef maqsura kept
        ("أحمد إسلام آمن", "أحمد إسلام آمن"),          // alef forms kept
        ("مؤتمر رئيس", "مؤتمر رئيس"),                 // hamza carriers kept
        ("\u{06A9}تاب عل\u{06CC}", "\u{06A9}تاب عل\u{06CC}"), // Persian letters kept
        ("كتـــاب", "كتاب"),                            // tatweel removed
        ("كلمة\u{200C}\u{200F}", "كلمة"),               // format controls removed
        ("٢٫٥ و۱۲۳", "2.5 و123"),                       // digits folded
        ("  COVID\u{00A0} 19 ", "covid 19"),            // lower case, white space folded
    ])
    func conservativeKeepsLetters(_ input: String, _ expected: String) {
        let output = ArabicNormalizer(profile: .conservative).normalize(input)
        #expect(Self.scalars(output) == Self.scalars(expected), "input: \(input)")
    }

    @Test func profileVersions() {
        #expect(NormalizationProfile.default.version == "default-1")
        #expect(NormalizationProfile.default.name == "default")
        #expect(NormalizationProfile.default.foldings == Set(ArabicFolding.allCases))
        #expect(NormalizationProfile.conservative.version == "conservative-1")
        #expect(NormalizationProfile.conservative.foldings
                == [.diacritics, .tatweel, .formatControls, .digits, .lowercase, .whitespace])
        #expect(ArabicNormalizer.profileVersion == NormalizationProfile.default.version)
        #expect(ArabicNormalizer().profile == .default)
        #expect(NormalizationProfile(name: "headlines", foldings: [.tatweel], revision: 3).version == "headlines-3")
        #expect(ArabicNormalizer(profile: .conservative) != ArabicNormalizer())
    }

    @Test func everyFoldingIsDocumented() {
        #expect(ArabicFolding.allCases.count == 11)
        for folding in ArabicFolding.allCases {
            #expect(!folding.summary.isEmpty, "\(folding)")
            #expect(ArabicFolding(rawValue: folding.rawValue) == folding)
        }
        #expect(Set(ArabicFolding.allCases.map(\.summary)).count == ArabicFolding.allCases.count)
    }

    // MARK: Properties over a generated corpus

    /// Default, conservative, no folding, each folding alone and the default without each folding.
    static let profilesUnderTest: [NormalizationProfile] = {
        let all = Set(ArabicFolding.allCases)
        return [.default, .conservative, profile([])]
            + ArabicFolding.allCases.map { profile([$0], name: "only-\($0.rawValue)") }
            + ArabicFolding.allCases.map { profile(all.subtracting([$0]), name: "without-\($0.rawValue)") }
    }()

    /// Scalars the corpus is drawn from: Arabic and Persian letters and their variants, marks, tatweel,
    /// digits of three systems, Latin, spaces and controls of several kinds, punctuation.
    static let alphabet: [Unicode.Scalar] = {
        let pieces = [
            "ابتثجحخدذرسشصضطظعغفقكلمنهوي", "ءأإآٱؤئىة\u{0672}\u{0673}",
            "\u{06A9}\u{06CC}\u{06C1}\u{06C0}\u{06C2}\u{067E}\u{06AF}",
            "\u{064B}\u{064C}\u{064D}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\u{0653}\u{0654}\u{0670}\u{06D7}\u{06DD}",
            "\u{0640}", "0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "٫٬٪",
            "abcXYZ", "\u{00C9}\u{00E9}\u{0130}\u{00DF}\u{0391}",
            " \t\n\u{00A0}\u{2009}\u{202F}\u{3000}",
            "\u{200B}\u{200C}\u{200D}\u{200E}\u{200F}\u{061C}\u{00AD}\u{FEFF}",
            "،؛؟«»“”.,-",
        ]
        return pieces.flatMap { Array($0.unicodeScalars) }
    }()

    static let corpus: [String] = {
        var generator = SeededGenerator(seed: 0xB4_7A_2020)
        return (0..<400).map { _ in
            let length = Int.random(in: 0...24, using: &generator)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length {
                scalars.append(alphabet.randomElement(using: &generator)!)
            }
            return String(scalars)
        }
    }()

    @Test func everyProfileIsIdempotent() {
        for profile in Self.profilesUnderTest {
            let normalizer = ArabicNormalizer(profile: profile)
            for text in Self.corpus {
                let once = normalizer.normalize(text)
                #expect(Self.scalars(normalizer.normalize(once)) == Self.scalars(once),
                        "\(profile.version): \(Self.scalars(text))")
            }
        }
    }

    @Test func noFoldingLeavesTextAsIs() {
        let normalizer = ArabicNormalizer(profile: Self.profile([]))
        for text in Self.corpus {
            #expect(Self.scalars(normalizer.normalize(text)) == Self.scalars(text))
        }
    }

    /// FNV-1a over the scalars of the default profile's output for the whole corpus, separated by U+0000.
    static func digest(_ normalizer: ArabicNormalizer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for text in corpus {
            for value in normalizer.normalize(text).unicodeScalars.map(\.value) + [0] {
                hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    /// The output of `default-1` is frozen: a change to it needs a new revision of the default profile.
    @Test func defaultOutputIsFrozen() {
        #expect(String(Self.digest(ArabicNormalizer()), radix: 16) == "cb62642843fba4cc")
    }

    @Test func explicitDefaultProfileIsTheDefault() {
        let explicit = ArabicNormalizer(profile: NormalizationProfile(
            name: "default", foldings: Set(ArabicFolding.allCases), revision: 1))
        #expect(explicit == ArabicNormalizer())
        for text in Self.corpus {
            #expect(Self.scalars(explicit.normalize(text)) == Self.scalars(ArabicNormalizer().normalize(text)))
        }
    }
}
