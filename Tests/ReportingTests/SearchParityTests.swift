import ArabicText
import Foundation
import Postgres
import Testing
import TestSupport

/// The SQL folding, tokens and stems of migration 0006 give what the Swift code gives, on a real server.
@Suite struct SearchParityTests {
    /// Inputs for normalization: each row one spelling problem.
    static let normalizationCases: [String] = [
        "أحمد إبراهيم آمنة ٱلله",          // hamza forms أ إ آ and wasla ٱ
        "ٲٳ",                               // wavy-hamza alefs U+0672, U+0673
        "على مستشفى",                      // alef maqsura ى
        "مدرسة الجامعة",                   // taa marbuta ة
        "مؤتمر رئيس",                      // hamza carriers ؤ ئ
        "الْمُسَاءَلَةُ وَالشَّفَافِيَّةُ",           // harakat, shadda, sukun, tanween
        "كتـــاب الـمـديـنـة",             // tatweel
        "هٰذا",                             // superscript alef U+0670
        "بِسْمِ ۖ اللَّهِ ۝",                     // Quranic marks and the end-of-ayah sign (also a format control)
        "ا\u{0654}",                        // decomposed hamza above
        "زر\u{200C}الذهاب\u{200D} \u{200F}إلى\u{061C} \u{FEFF}الأعلى\u{00AD}", // ZWNJ, ZWJ, RLM, ALM, BOM, soft hyphen
        "کتاب یوم ۀ ہ",                    // Persian keheh, Farsi yeh, heh forms
        "٢٠٢٠ ۱۹۹۸ ٣٫٥ ١٬٠٠٠",             // Arabic-Indic and Extended digits, separators
        "  بداية\t\tو\nنهاية\u{00A0}\u{2003}النص  ", // tabs, line breaks, no-break and em spaces, ends trimmed
        "COVID-19 UN Security Council",      // Latin upper case
        "Élysée ÀÉÎÕÜ",                      // Latin-1 letters
        "«قال»: ؟ ، ؛ ٪",                    // Arabic punctuation kept
        "عربي\u{0610}نص",                    // Arabic sign sallallahou (a mark the normalizer keeps)
        "",                                  // empty
        "   ",                               // only spaces
        "中文 日本語 한국어",                   // wide scripts
        "😀 emoji",                           // symbols kept
    ]

    /// Tokens for the stemmer: the rules and their limits.
    static let stemCases: [String] = [
        "الله", "والمساءله", "هجوما", "تهديدا", "اجتماعا", "وحمايه", "ولد", "البيان", "بيان", "الوزراء", "وزراء",
        "المدني", "المدنيه", "المدنيين", "المدنيون", "الانسان", "انس", "سجون", "بالمدرسه", "كالبحر", "فالامر",
        "وللشعب", "فللوطن", "للشعب", "ال", "الا", "الى", "وال", "للا", "كتبا", "مدرستها", "معلماتهم", "فلسطينيات",
        "مقاتلين", "طالبان", "كم", "هم", "يه", "و", "covid", "2020", "4/6/2020", "عربيabc", "ی", "ٮٯ", "ڤيديو",
    ]

    static var sampleTexts: [String] {
        let root = TestPostgres.repositoryRoot.appendingPathComponent("samples")
        let files = (FileManager.default.subpaths(atPath: root.path) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        return files.compactMap { try? String(contentsOf: root.appendingPathComponent($0), encoding: .utf8) }
    }

    /// Sends `inputs` as one text[] and applies `expression` (of `x`) to each, in order.
    static func sql(_ expression: String, _ inputs: [String], on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            "SELECT coalesce((\(expression))::text, '<null>') AS out FROM unnest($1::text[]) WITH ORDINALITY AS u(x, n) ORDER BY n",
            [PostgresArrayLiteral.text(inputs)]
        ).map { try $0.decode("out", as: String.self) }
    }

    @Test func normalizationMatchesSwift() throws {
        let lines = Self.sampleTexts.flatMap { $0.components(separatedBy: "\n") }
        let inputs = Self.normalizationCases + lines
        #expect(lines.count > 20, "the samples give lines")
        try TestPostgres.withDatabase { connection in
            let fromSQL = try Self.sql("bayan_normalize(x)", inputs, on: connection)
            #expect(fromSQL.count == inputs.count)
            for (input, output) in zip(inputs, fromSQL) {
                #expect(output == ArabicNormalizer().normalize(input), "input: \(input.debugDescription)")
            }
        }
    }

    @Test func stemsMatchSwift() throws {
        let sampleTokens = Array(Set(Self.sampleTexts.flatMap { ArabicTokenizer.tokens(ArabicNormalizer().normalize($0)) })).sorted()
        let inputs = Self.stemCases + sampleTokens
        #expect(sampleTokens.count > 200, "the samples give words")
        try TestPostgres.withDatabase { connection in
            let fromSQL = try Self.sql("bayan_stem(x)", inputs, on: connection)
            for (input, output) in zip(inputs, fromSQL) {
                #expect(output == ArabicLightStemmer.stem(input), "token: \(input)")
            }
        }
    }

    @Test func lexemesOfSentencesMatchSwift() throws {
        let lines = (Self.normalizationCases + Self.sampleTexts.flatMap { $0.components(separatedBy: "\n") })
            .map { ArabicNormalizer().normalize($0) }
        try TestPostgres.withDatabase { connection in
            let fromSQL = try Self.sql("array_to_string(bayan_lexemes(x), ' ')", lines, on: connection)
            for (line, output) in zip(lines, fromSQL) {
                let expected = ArabicTokenizer.tokens(line).map(ArabicLightStemmer.stem)
                #expect(output == expected.joined(separator: " "), "normalized: \(line)")
            }
        }
    }

    /// Queries in other spellings than the stored text find it.
    @Test(arguments: [
        ("اجتماع مجلس الأمن الدولي", "إجتماع مَجْلِسِ الامن"),       // hamza and harakat in the query
        ("عقد المؤتمر في مدرسة القرية", "مدرسه"),                     // taa marbuta written as haa
        ("وصل الوفد إلى العاصمة", "الى العاصمه"),                    // ى written as ي, ة as ه
        ("أعلنت الحكومة عن خطة جديدة", "الحكـــومة"),                // tatweel in the query
        ("قتل المدنيين في القصف", "مدني"),                           // an inflected form finds the plural
        ("تحدث الرئيس عن الاجتماعات", "والاجتماع"),                  // proclitic and article on the query word
    ])
    func queriesInAnySpellingFindTheSentence(stored: String, query: String) throws {
        try TestPostgres.withDatabase { connection in
            try SampleRows.insertSentence(stored, on: connection)
            let found = try connection.query("SELECT text FROM search_sentences($1)", [query]).map { try $0.decode("text", as: String.self) }
            #expect(found == [stored], "query \(query)")
            let other = try connection.query("SELECT count(*) AS n FROM search_sentences($1)", ["كلمةغائبة"])[0].decode("n", as: Int.self)
            #expect(other == 0)
        }
    }

    @Test func searchUsesTheIndex() throws {
        try TestPostgres.withDatabase { connection in
            try connection.execute("SET enable_seqscan = off")
            let plan = try connection.query("EXPLAIN SELECT * FROM search_sentences('الأمم المتحدة')").map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
            #expect(plan.contains("sentences_search_idx"), "\(plan)")
        }
    }
}

/// A text[] value in PostgreSQL's array literal syntax.
enum PostgresArrayLiteral {
    static func text(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }
}
