import ArabicText

/// Where a publication date was found.
public enum PublicationDateOrigin: String, Sendable, Equatable {
    /// In the first non-empty lines of the article text.
    case text
    /// In the file's relative path.
    case path
}

/// A calendar date found in an article, as `YYYY-MM-DD`.
public struct PublicationDate: Sendable, Equatable {
    /// The year, 1900…2100 when found by ``PublicationDateFinder``.
    public var year: Int
    /// The month, 1…12.
    public var month: Int
    /// The day of the month, 1…31.
    public var day: Int
    /// Where the date was found.
    public var origin: PublicationDateOrigin

    /// `YYYY-MM-DD`.
    public var iso: String {
        Self.padded(year, to: 4) + "-" + Self.padded(month, to: 2) + "-" + Self.padded(day, to: 2)
    }

    /// Creates a date as is; no calendar check is made.
    public init(year: Int, month: Int, day: Int, origin: PublicationDateOrigin) {
        self.year = year
        self.month = month
        self.day = day
        self.origin = origin
    }

    /// `value` in decimal, with leading zeros up to `width` digits (a minus sign stays in front).
    private static func padded(_ value: Int, to width: Int) -> String {
        let digits = String(value.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + zeros + digits
    }
}

/// Finds the publication date of an article from its first lines or, failing that, its file path.
///
/// Text is folded with ``ArabicNormalizer`` first, so Western digits 0-9, Arabic-Indic digits
/// (U+0660…U+0669) and Extended Arabic-Indic digits (U+06F0…U+06F9) are read alike, and hamza, alef and taa marbuta variants of month
/// names match the same month. Recognised forms:
///
/// - year first: `2020-06-04`, `2020/06/04`, `2020.06.04`, `2020-6-4`, and the date part of
///   `2020-06-04T10:30:00Z`;
/// - day first (the Arabic news convention): `04/06/2020`, `4/6/2020`, `04-06-2020`, `4.6.2020`,
///   all 4 June 2020; the year must have four digits;
/// - day, month name, year, with Levantine, Egyptian/Gulf and Maghreb month names, an optional
///   comma (Arabic or Latin) before the year, and optionally a second name for the same month after
///   `/` or `-` or in brackets (the Levantine and Egyptian names side by side); when two names are
///   given they must name the same month;
/// - in paths only, a compact `YYYYMMDD` (or, failing that, `DDMMYYYY`) run of exactly eight digits with a year
///   in 1990…2100.
///
/// The two separators of a numeric date must be the same character. A date must exist in the
/// Gregorian calendar (leap years included) with a year in 1900…2100; anything else is skipped and
/// scanning goes on. Numbers without a full date (`2.5`, `12:30`, `4/6`, `2020`, a phone number, a
/// month name without a year) are never dates.
public enum PublicationDateFinder {
    /// Looks in the first `lineLimit` non-empty lines of `text` (default 5) that are short enough to be datelines,
    /// then in `path`; returns the first valid date found
    /// (text wins over path). Nil when there is none.
    ///
    /// A line counts as empty when nothing but white space and invisible format characters is left on it.
    /// Lines longer than this many words are sentences, not datelines: their dates are not taken.
    static let datelineMaxWords = 10

    public static func find(text: String, path: String, lineLimit: Int = 5) -> PublicationDate? {
        var linesSeen = 0
        if lineLimit > 0 {
            // The lines of `text.split(whereSeparator: \.isNewline)`, read only as far as they are needed: a
            // newline Character is one of these scalars alone (or CR LF), and empty pieces are skipped anyway.
            var utf8 = text.utf8.makeIterator()
            var line: [UInt8] = []
            var atEnd = false
            while !atEnd {
                line.removeAll(keepingCapacity: true)
                // A long line whose beginning already has too many words is no dateline (its normalized beginning
                // is a prefix of its normalized whole): the rest of it is skipped, not gathered, so a one-line
                // article of megabytes is not copied here.
                var tooLong = false
                var previous: (UInt8, UInt8) = (0, 0)
                while true {
                    guard let byte = utf8.next() else { atEnd = true; break }
                    if byte >= 0x0A && byte <= 0x0D { break }
                    if tooLong {
                        if byte == 0x85 && previous.1 == 0xC2 { break }
                        if (byte == 0xA8 || byte == 0xA9) && previous == (0xE2, 0x80) { break }
                        previous = (previous.1, byte)
                        continue
                    }
                    line.append(byte)
                    // U+0085 is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
                    if byte == 0x85, line.count >= 2, line[line.count - 2] == 0xC2 {
                        line.removeLast(2)
                        break
                    }
                    if byte == 0xA8 || byte == 0xA9, line.count >= 3, line[line.count - 3] == 0xE2, line[line.count - 2] == 0x80 {
                        line.removeLast(3)
                        break
                    }
                    if line.count == 4096, wordCount(normalizer.normalize(String(decoding: line, as: UTF8.self))) > Self.datelineMaxWords {
                        tooLong = true
                        previous = (line[line.count - 2], line[line.count - 1])
                    }
                }
                if tooLong {
                    linesSeen += 1
                    if linesSeen >= lineLimit { break }
                    continue
                }
                if line.isEmpty { continue }
                let folded = normalizer.normalize(String(decoding: line, as: UTF8.self))
                if folded.isEmpty { continue }
                // A dateline is short ("الخميس 4 يونيو 2020", "نشر في: 2020-06-04 10:30"); a date inside a body
                // sentence is usually the date of an event ("توفي أمس الأربعاء 11 جانفي 2017 …"), not of the article.
                let words = wordCount(folded)
                if words <= Self.datelineMaxWords, let date = scan(Array(folded.unicodeScalars), isPath: false).first {
                    return PublicationDate(year: date.year, month: date.month, day: date.day, origin: .text)
                }
                linesSeen += 1
                if linesSeen >= lineLimit { break }
            }
        }
        if let date = dates(in: path, isPath: true).first {
            return PublicationDate(year: date.year, month: date.month, day: date.day, origin: .path)
        }
        return nil
    }

    /// `folded.split(separator: " ").count`: the words of a folded line. When every scalar of the line is
    /// ASCII or an Arabic letter, digit or punctuation mark, each is a `Character` of its own and the words are
    /// the runs of bytes between spaces; other lines are split as `Character`s.
    private static func wordCount(_ folded: String) -> Int {
        var simple = true
        var words = 0
        var inWord = false
        for scalar in folded.unicodeScalars {
            switch scalar.value {
            case 0x20:
                inWord = false
                continue
            case 0x21...0x7E, 0x060C, 0x061B, 0x061F, 0x0621...0x063A, 0x0641...0x064A, 0x0660...0x066D:
                break
            default:
                simple = false
            }
            if !simple { break }
            if !inWord {
                inWord = true
                words += 1
            }
        }
        return simple ? words : folded.split(separator: " ").count
    }

    /// Dates in one string, in order of appearance (used for both a line and a path).
    ///
    /// - Parameters:
    ///   - string: A line of article text or a relative file path.
    ///   - isPath: Whether `string` is a path; only then is a compact `YYYYMMDD` run a date.
    /// - Returns: Every valid date, left to right in the string's logical order.
    public static func dates(in string: String, isPath: Bool = false) -> [(year: Int, month: Int, day: Int)] {
        scan(Array(normalizer.normalize(string).unicodeScalars), isPath: isPath)
    }

    /// A date and the offset just after the text it was read from.
    private typealias Match = (date: (year: Int, month: Int, day: Int), end: Int)

    /// A run of ASCII digits: its value (meaningful up to nine digits), its length and the offset after it.
    private typealias DigitRun = (value: Int, count: Int, end: Int)

    private static let normalizer = ArabicNormalizer()

    /// Month names as folded by ``normalizer``, longest first so that the Egyptian May is tried
    /// before the Maghreb May, which is its first three letters.
    private static let monthNames: [(name: [Unicode.Scalar], month: Int)] = {
        let spellings: [(String, Int)] = [
            // Levantine and Iraqi, with the forms written without the article.
            ("كانون الثاني", 1), ("كانون ثاني", 1), ("شباط", 2), ("آذار", 3), ("نيسان", 4),
            ("أيار", 5), ("حزيران", 6), ("تموز", 7), ("آب", 8), ("أيلول", 9),
            ("تشرين الأول", 10), ("تشرين أول", 10), ("تشرين الثاني", 11), ("تشرين ثاني", 11),
            ("كانون الأول", 12), ("كانون أول", 12),
            // Egyptian and Gulf; hamza and alef variants fold together.
            ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("إبريل", 4), ("ابريل", 4),
            ("مايو", 5), ("يونيو", 6), ("يونيه", 6), ("يوليو", 7), ("يوليه", 7), ("أغسطس", 8),
            ("سبتمبر", 9), ("أكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12),
            // Tunisian, Algerian and Moroccan.
            ("جانفي", 1), ("فيفري", 2), ("أفريل", 4), ("ماي", 5), ("جوان", 6), ("جويلية", 7),
            ("أوت", 8), ("يوليوز", 7), ("غشت", 8), ("شتنبر", 9), ("نونبر", 11), ("دجنبر", 12),
        ]
        let folded = spellings.map { (name: Array(ArabicNormalizer().normalize($0.0).unicodeScalars), month: $0.1) }
        return folded.sorted { $0.name.count > $1.name.count }
    }()

    /// Every date in folded text, left to right; a match resumes scanning after its last digit.
    private static func scan(_ text: [Unicode.Scalar], isPath: Bool) -> [(year: Int, month: Int, day: Int)] {
        var found: [(year: Int, month: Int, day: Int)] = []
        var index = 0
        while index < text.count {
            guard isDigit(text[index]) else {
                index += 1
                continue
            }
            // `index` starts a run of digits: the scalar before it, if any, is not a digit.
            if let match = numericDate(text, at: index, isPath: isPath) ?? namedDate(text, at: index) {
                found.append(match.date)
                index = match.end
            } else {
                index = digitRun(text, at: index).end
            }
        }
        return found
    }

    /// `2020-06-04`, `04/06/2020` and, in paths, `20200604`, starting at a run of digits.
    private static func numericDate(_ text: [Unicode.Scalar], at start: Int, isPath: Bool) -> Match? {
        let first = digitRun(text, at: start)
        switch first.count {
        case 8 where isPath:
            // YYYYMMDD, or else DDMMYYYY (some archives name files that way): at most one reading is a valid date
            // in 1990…2100 for almost every run, and YYYYMMDD is tried first.
            let value = first.value
            if (1990...2100).contains(value / 10_000), let date = validated(year: value / 10_000, month: value / 100 % 100, day: value % 100) {
                return (date, first.end)
            }
            if (1990...2100).contains(value % 10_000), let date = validated(year: value % 10_000, month: value / 10_000 % 100, day: value / 1_000_000) {
                return (date, first.end)
            }
            return nil
        case 4:
            guard let (second, third) = twoMoreRuns(text, after: first),
                  (1...2).contains(second.count), (1...2).contains(third.count),
                  let date = validated(year: first.value, month: second.value, day: third.value)
            else { return nil }
            return (date, third.end)
        case 1...2:
            guard let (second, third) = twoMoreRuns(text, after: first),
                  (1...2).contains(second.count), third.count == 4,
                  let date = validated(year: third.value, month: second.value, day: first.value)
            else { return nil }
            return (date, third.end)
        default:
            return nil
        }
    }

    /// The two runs of digits after `first` in `first`, separator, run, the same separator, run;
    /// the separator is one of `-`, `/`, `.`.
    private static func twoMoreRuns(_ text: [Unicode.Scalar], after first: DigitRun) -> (DigitRun, DigitRun)? {
        guard first.end < text.count, ["-", "/", "."].contains(text[first.end]) else { return nil }
        let separator = text[first.end]
        guard first.end + 1 < text.count, isDigit(text[first.end + 1]) else { return nil }
        let second = digitRun(text, at: first.end + 1)
        guard second.end + 1 < text.count, text[second.end] == separator, isDigit(text[second.end + 1]) else { return nil }
        return (second, digitRun(text, at: second.end + 1))
    }

    /// Day, month name (or two names for the same month) and year, starting at the day.
    private static func namedDate(_ text: [Unicode.Scalar], at start: Int) -> Match? {
        let day = digitRun(text, at: start)
        guard (1...2).contains(day.count) else { return nil }
        var index = skipSpaces(text, from: day.end)
        guard let first = monthName(text, at: index) else { return nil }
        index = skipSpaces(text, from: first.end)
        if index < text.count, ["/", "-", "("].contains(text[index]) {
            let opening = text[index]
            index = skipSpaces(text, from: index + 1)
            guard let second = monthName(text, at: index), second.month == first.month else { return nil }
            index = skipSpaces(text, from: second.end)
            if opening == "(" {
                guard index < text.count, text[index] == ")" else { return nil }
                index = skipSpaces(text, from: index + 1)
            }
        }
        if index < text.count, text[index] == "," || text[index] == "\u{060C}" {
            index = skipSpaces(text, from: index + 1)
        }
        guard index < text.count, isDigit(text[index]) else { return nil }
        let year = digitRun(text, at: index)
        guard year.count == 4, let date = validated(year: year.value, month: first.month, day: day.value) else { return nil }
        return (date, year.end)
    }

    /// The month named at `start`, when the name is not the beginning of a longer word.
    private static func monthName(_ text: [Unicode.Scalar], at start: Int) -> (month: Int, end: Int)? {
        for (name, month) in monthNames {
            let end = start + name.count
            guard end <= text.count, text[start..<end].elementsEqual(name) else { continue }
            if end < text.count, text[end].properties.isAlphabetic { continue }
            return (month, end)
        }
        return nil
    }

    /// The date when it exists in the Gregorian calendar with a year in 1900…2100.
    private static func validated(year: Int, month: Int, day: Int) -> (year: Int, month: Int, day: Int)? {
        guard (1900...2100).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        return (year, month, day)
    }

    /// The run of digits starting at `start`.
    private static func digitRun(_ text: [Unicode.Scalar], at start: Int) -> DigitRun {
        var value = 0
        var end = start
        while end < text.count, isDigit(text[end]) {
            if end - start < 9 { value = value * 10 + Int(text[end].value - 0x30) }
            end += 1
        }
        return (value, end - start, end)
    }

    /// The first offset from `start` on that is not a space (folded text has only ASCII spaces).
    private static func skipSpaces(_ text: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < text.count, text[index] == " " { index += 1 }
        return index
    }

    /// Whether `scalar` is an ASCII digit (folded text has no other digits).
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
