import ArabicText
import Testing
import Transform

@Suite struct BoilerplateListTests {
    private let list = BoilerplateList(
        lines: ["اظهر المزيد", "زر الذهاب إلى الأعلى", "ليست هناك تعليقات"],
        prefixes: ["اقرأ أيضا"])

    private func rule(for line: String) -> String? {
        list.match(normalizedLine: ArabicNormalizer().normalize(line))?.rule
    }

    @Test(arguments: [
        ("اظهر المزيد", "line"),                        // as configured
        ("أظهر المزيد", "line"),                        // hamza on alef folded
        ("اظهـــر المزيد", "line"),                     // tatweel removed
        ("أَظْهِرِ الْمَزِيدَ", "line"),                 // diacritics removed
        ("  أظهر    المزيد \u{00A0}", "line"),          // white space collapsed and trimmed
        ("زر الذهاب الى الاعلى", "line"),               // إ and ى written without marks
        ("ليست هناك تعليقات", "line"),                  // third line entry
        ("اقرأ أيضاً: عنوان آخر", "prefix"),            // prefix with tanween and a title after it
        ("اقرأ أيضا", "prefix"),                        // prefix as the whole line
        ("إقرأ ايضاً", "prefix"),                       // other hamza spelling
    ])
    func matchesChrome(_ line: String, _ expected: String) {
        #expect(rule(for: line) == expected, "line: \(line)")
    }

    @Test(arguments: [
        "وذكر التقرير أن المزيد من المساعدات وصل إلى المدنيين",   // news sentence with "المزيد من" inside
        "أظهر المزيد من الصور",                                  // a line entry does not match a longer line
        "اضغط هنا لـ أظهر المزيد",                               // nor a line that ends with it
        "للمزيد اقرأ أيضا",                                      // a prefix only matches at the start
        "أظهر",                                                  // part of a line entry
        "",                                                      // empty line
    ])
    func keepsText(_ line: String) {
        #expect(rule(for: line) == nil, "line: \(line)")
    }

    @Test func entriesKeepTextNormalizedFormAndHash() {
        let entry = list.match(normalizedLine: "اظهر المزيد")
        #expect(entry?.text == "اظهر المزيد")
        #expect(entry?.normalized == "اظهر المزيد")
        // SHA-256 of the normalized entry's UTF-8 bytes, from sha256sum.
        #expect(entry?.hash == "137cc32b47e774eb4007a1b088577853a53ad3cc456baa079d55b30e5900fea2")
        let prefix = list.match(normalizedLine: "اقرا ايضا: خبر")
        #expect(prefix?.text == "اقرأ أيضا")
        #expect(prefix?.normalized == "اقرا ايضا")
        #expect(prefix?.hash == "c37df89e048257d2d2ece2c5afaeb12a0b1108b334680c98cf59be135eb5d83b")
    }

    @Test func entriesEqualAfterNormalizationAreKeptOnce() {
        let list = BoilerplateList(lines: ["اظهر المزيد", "أظهر المزيد", ""], prefixes: ["اقرأ أيضا", "اقرا ايضاً"])
        #expect(list.entries.map(\.text) == ["اظهر المزيد", "اقرأ أيضا"])
        #expect(list.entries.map(\.rule) == ["line", "prefix"])
    }

    @Test func longestPrefixIsTheOneRecorded() {
        let list = BoilerplateList(lines: [], prefixes: ["اقرأ", "اقرأ أيضا"])
        #expect(list.match(normalizedLine: "اقرا ايضا: خبر")?.text == "اقرأ أيضا")
        #expect(list.match(normalizedLine: "اقرا التقرير")?.text == "اقرأ")
    }

    @Test func prefixMatchesWholeWordsOnly() {
        // "المصدر:" (source line) is chrome; a paragraph opening with "المصدرون" (the exporters) is news.
        let list = BoilerplateList(lines: [], prefixes: ["المصدر"])
        #expect(list.match(normalizedLine: "المصدر: وكالات")?.rule == "prefix")
        #expect(list.match(normalizedLine: "المصدرون يطالبون بخفض الرسوم") == nil)
    }
}
