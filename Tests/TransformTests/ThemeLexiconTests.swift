import Testing
@testable import Transform

/// A small codebook: a phrase that contains another theme's term, a clitic-heavy term, half-weight terms.
let sampleThemesYAML = """
    themes:
      - code: civilians
        name_ar: المدنيون
        name_en: Civilians
        description: Harm to and protection of civilians
        terms:
          - المدنيين
          - ممر آمن
      - code: diplomacy
        name_ar: الدبلوماسية
        name_en: Diplomacy
        description: The Security Council and ceasefire talks
        terms:
          - مجلس الأمن
          - وقف إطلاق النار
      - code: security
        name_ar: الأمن
        name_en: Security
        description: Security forces and operations
        terms:
          - الأمن
      - code: aid
        name_ar: المساعدات
        name_en: Aid
        description: Humanitarian aid
        threshold: 1
        terms:
          - {term: المساعدات, weight: 0.5}
          - {term: الإغاثة, weight: "0.5"}
    """

/// One theme whose `terms` value is `terms`; `extra` is appended after its description line.
private func oneThemeYAML(terms: String, extra: String = "") -> String {
    """
    themes:
      - code: civilians
        name_ar: المدنيون
        name_en: Civilians
        description: Harm to civilians\(extra)
        terms: \(terms)
    """
}

@Suite struct ThemeLexiconParsingTests {
    @Test func readsThemesInOrder() throws {
        let lexicon = try ThemeLexicon.parse(yaml: sampleThemesYAML, file: "themes.yaml", version: "v-test")
        #expect(lexicon.version == "v-test")
        #expect(lexicon.themes.map(\.code) == ["civilians", "diplomacy", "security", "aid"])
        #expect(lexicon.themes.map(\.threshold) == [1.0, 1.0, 1.0, 1.0])   // 1 when not given
        #expect(lexicon.themes[0].nameArabic == "المدنيون")
        #expect(lexicon.themes[0].nameEnglish == "Civilians")
        #expect(lexicon.themes[3].description == "Humanitarian aid")

        let aid = lexicon.themes[3].terms
        #expect(aid.map(\.text) == ["المساعدات", "الإغاثة"])
        #expect(aid.map(\.weight) == [0.5, 0.5])       // a number, and a number written as a string
        #expect(aid.map(\.stems) == [["مساعد"], ["اغاث"]])
        // Phrases keep their words in order, each normalized and stemmed.
        #expect(lexicon.themes[1].terms.map(\.stems) == [["مجلس", "امن"], ["وقف", "اطلاق", "نار"]])
        #expect(lexicon.themes[0].terms.map(\.stems) == [["مدن"], ["ممر", "امن"]])
    }

    @Test(arguments: [
        // missing code
        ("""
        themes:
          - name_ar: المدنيون
            name_en: Civilians
            description: x
            terms: [المدنيين]
        """, "'code' is missing"),
        // duplicate code
        ("""
        themes:
          - {code: civilians, name_ar: أ, name_en: A, description: x, terms: [المدنيين]}
          - {code: civilians, name_ar: ب, name_en: B, description: y, terms: [النازحين]}
        """, "'civilians' appears twice"),
        // code not in lower-case ASCII
        ("""
        themes:
          - {code: Civilians, name_ar: أ, name_en: A, description: x, terms: [المدنيين]}
        """, "must be lower-case ASCII"),
        (oneThemeYAML(terms: "[{term: المدنيين, weight: -1}]"), "weight must be a positive number"),   // negative weight
        (oneThemeYAML(terms: "[{term: المدنيين, weight: 0}]"), "weight must be a positive number"),    // zero weight
        (oneThemeYAML(terms: "[{term: المدنيين, weight: heavy}]"), "weight must be a positive number"), // weight not a number
        (oneThemeYAML(terms: "[]"), "'terms' must be a non-empty list"),                              // empty terms
        (oneThemeYAML(terms: "المدنيين"), "'terms' must be a non-empty list"),                        // terms not a list
        (oneThemeYAML(terms: "[\"!!\"]"), "has no words"),                                            // term without words
        (oneThemeYAML(terms: "[{weight: 1}]"), "write a string or {term: …, weight: …}"),             // mapping without term
        (oneThemeYAML(terms: "[12]"), "write a string or {term: …, weight: …}"),                      // number as a term
        (oneThemeYAML(terms: "[المدنيين]", extra: "\n    threshold: 0"), "threshold must be a positive number"), // zero threshold
        // missing English name
        ("""
        themes:
          - {code: civilians, name_ar: أ, description: x, terms: [المدنيين]}
        """, "'name_en' is missing"),
        ("themes: []", "'themes' must be a non-empty list"),          // no themes
        ("version: 1", "'themes' must be a non-empty list"),          // themes key missing
        ("- civilians", "the top level must be a mapping"),           // a list at the top
        ("themes: [", "not valid YAML"),                              // broken YAML
    ])
    func refusesBadLexicon(_ yaml: String, _ fragment: String) {
        do {
            _ = try ThemeLexicon.parse(yaml: yaml, file: "config/themes.yaml", version: "v")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.file == "config/themes.yaml", "yaml: \(yaml)")
            #expect(error.reason.contains(fragment), "yaml: \(yaml) reason: \(error.reason)")
        }
    }

    @Test func thresholdThatIsNotANumberIsRefused() {
        let yaml = oneThemeYAML(terms: "[المدنيين]", extra: "\n    threshold: high")
        #expect(throws: ConfigurationError.self, "yaml: \(yaml)") {
            try ThemeLexicon.parse(yaml: yaml, file: "config/themes.yaml", version: "v")
        }
    }
}

@Suite struct ThemeLexiconClassificationTests {
    private let lexicon: ThemeLexicon

    init() throws {
        lexicon = try ThemeLexicon.parse(yaml: sampleThemesYAML, file: "themes.yaml", version: "v-test")
    }

    /// Assignments written `code score term|term`, in codebook order.
    private func classify(_ sentence: String) -> [String] {
        lexicon.classify(stems: ThemeLexicon.stems(of: sentence)).map { assignment in
            "\(assignment.code) \(assignment.score) \(assignment.matchedTerms.joined(separator: "|"))"
        }
    }

    @Test(arguments: [
        ("دعا البيان إلى حماية المدنيين", ["civilians 1.0 المدنيين"]),              // the term as written
        ("قصف استهدف للمدنيين", ["civilians 1.0 المدنيين"]),                        // لل clitic
        ("والمدنيين", ["civilians 1.0 المدنيين"]),                                  // وال clitic
        ("اجتمع مجلس الأمن أمس", ["diplomacy 1.0 مجلس الأمن"]),                     // phrase beats its last word
        ("عززت القوات الأمن في العاصمة", ["security 1.0 الأمن"]),                   // the single word alone
        ("فتح ممر آمن", ["civilians 1.0 ممر آمن"]),                                 // آمن folds to امن, taken by the phrase
        ("أعلن الطرفان وقف إطلاق النار", ["diplomacy 1.0 وقف إطلاق النار"]),        // three-word phrase
        ("ووقف إطلاق النار", ["diplomacy 1.0 وقف إطلاق النار"]),                    // clitic on the phrase's first word
        ("سمع إطلاق النار في المدينة", [String]()),                                 // phrase without its first word
        ("المدنيين ثم المدنيين مرة أخرى", ["civilians 1.0 المدنيين"]),              // repeated entry counts once
        ("وصلت المساعدات", [String]()),                                             // 0.5 is below the threshold of 1
        ("وصلت المساعدات والمساعدات", [String]()),                                  // a repeat does not reach it either
        ("وصلت المساعدات وفرق الإغاثة", ["aid 1.0 المساعدات|الإغاثة"]),             // two half-weight terms reach 1
        ("فاز الفريق بالمباراة النهائية بثلاثة أهداف", [String]()),                 // sports: no theme
        ("", [String]()),                                                           // empty sentence
        ("طالب مجلس الأمن بحماية المدنيين ووقف إطلاق النار",                        // multi-label, codebook order
         ["civilians 1.0 المدنيين", "diplomacy 2.0 مجلس الأمن|وقف إطلاق النار"]),
    ])
    func classifies(_ sentence: String, _ expected: [String]) {
        #expect(classify(sentence) == expected, "sentence: \(sentence)")
    }

    @Test func stemsOfASentence() {
        // normalize (hamza, taa marbuta, alef maqsura), tokenize, light-stem each token.
        #expect(ThemeLexicon.stems(of: "دعا مجلسُ الأمنِ إلى حماية المدنيين!") == ["دعا", "مجلس", "امن", "الي", "حما", "مدن"])
    }
}

/// `veto_near`: a cue cancels the theme's entries found close to it, and only those.
@Suite struct ThemeLexiconNearVetoTests {
    static let yaml = """
        themes:
          - code: diplomacy
            name_ar: الدبلوماسية
            name_en: Diplomacy
            description: Meetings between states
            terms:
              - نظيره
              - {term: القمة, weight: 0.5}
              - {term: زيارة, weight: 0.5}
            veto_near:
              - {cues: [المنتخب], within: 2, terms: [نظيره, القمة]}
          - code: civilians
            name_ar: المدنيون
            name_en: Civilians
            description: Protection of civilians
            terms:
              - حماية المدنيين
            veto_near:
              - {cues: [مصدر من, إخماد], within: 0}
        """

    private func classify(_ sentence: String) throws -> [String] {
        let lexicon = try ThemeLexicon.parse(yaml: Self.yaml, file: "themes.yaml", version: "v-test")
        return lexicon.classify(stems: ThemeLexicon.stems(of: sentence)).map { "\($0.code) \($0.score)" }
    }

    @Test(arguments: [
        ("التقى الوزير نظيره الفرنسي", ["diplomacy 1.0"]),                           // no cue: the entry counts
        ("فاز المنتخب على نظيره السويدي", [String]()),                               // cue one token before
        ("فاز المنتخب الإنجليزي على نظيره السويدي", [String]()),                     // cue two tokens before (within 2)
        ("لعب المنتخب ثم بعد ساعات طويلة التقى الوزير نظيره", ["diplomacy 1.0"]),   // cue too far away
        ("حسم المنتخب القمة أمام نظيره", [String]()),                                // both listed entries cancelled
        ("زيارة المنتخب والقمة", [String]()),                                        // القمة cancelled: 0.5 left
        ("زيارة المنتخب ثم بعد أيام القمة العربية", ["diplomacy 1.0"]),              // القمة 3 tokens away; زيارة not listed
        ("دعا البيان إلى حماية المدنيين", ["civilians 1.0"]),                        // no cue near the phrase
        ("قال مصدر من الحماية المدنية", [String]()),                                 // adjacent phrase cue (within 0)
        ("تدخلت الحماية المدنية لإخماد الحريق", [String]()),                         // adjacent after
    ])
    func cancelsOnlyNearbyEntries(_ sentence: String, _ expected: [String]) throws {
        #expect(try classify(sentence) == expected, "sentence: \(sentence)")
    }

    @Test(arguments: [
        ("veto_near: [{within: 2}]", "write {cues: [A, B], within: N}"),
        ("veto_near: [{cues: [المنتخب]}]", "'within' must be a whole number"),
        ("veto_near: [{cues: [المنتخب], within: -1}]", "'within' must be a whole number"),
        ("veto_near: [{cues: [المنتخب], within: 1, terms: [القمة]}]", "'القمة' is not an entry of the theme"),
        ("veto_near: المنتخب", "'veto_near' must be a list"),
    ])
    func refusesBadVetoes(_ extra: String, _ fragment: String) {
        let yaml = """
            themes:
              - code: civilians
                name_ar: المدنيون
                name_en: Civilians
                description: Harm to civilians
                terms: [المدنيين]
                \(extra)
            """
        do {
            _ = try ThemeLexicon.parse(yaml: yaml, file: "config/themes.yaml", version: "v")
            Issue.record("accepted: \(extra)")
        } catch {
            #expect(error.reason.contains(fragment), "reason: \(error.reason)")
        }
    }
}
