import ArabicText
import Testing

@Suite struct SentenceSegmenterTests {
    static let cases: [(String, [String])] = [
        // News text: the Arabic comma does not end, the period does
        ("وكرر البيان التأكيد على أهمية ضمان المساءلة لجميع عناصر داعش، والالتزام بتعزيز احتجازهم. وكذلك منع هروب المحتجزين",
         ["وكرر البيان التأكيد على أهمية ضمان المساءلة لجميع عناصر داعش، والالتزام بتعزيز احتجازهم.",
          "وكذلك منع هروب المحتجزين"]),
        // Closing curly quote stays with its sentence
        ("قال: “انتهى الأمر.” ثم غادر", ["قال: “انتهى الأمر.”", "ثم غادر"]),
        // Closing guillemet after an exclamation mark
        ("وأضاف «لن نتراجع!» وانسحب الوفد.", ["وأضاف «لن نتراجع!»", "وانسحب الوفد."]),
        // ASCII double quote after the period
        ("He said \"stop.\" Then he left.", ["He said \"stop.\"", "Then he left."]),
        // Closing parenthesis after the period
        ("(انتهى الاجتماع.) وبدأ المؤتمر", ["(انتهى الاجتماع.)", "وبدأ المؤتمر"]),
        // Terminator after the closing quote
        ("قال “انتهى”. ثم صمت", ["قال “انتهى”.", "ثم صمت"]),
        // A whole quoted paragraph is one sentence
        ("“حيث أكد الوزراء على حماية المدنيين ، ولا سيما الأطفال ، يجب الالتزام بها في جميع الظروف.”",
         ["“حيث أكد الوزراء على حماية المدنيين ، ولا سيما الأطفال ، يجب الالتزام بها في جميع الظروف.”"]),
        // Abbreviation د. for doctor
        ("التقى د. محمد علي بالوفد. ثم عاد", ["التقى د. محمد علي بالوفد.", "ثم عاد"]),
        // Abbreviation م. after a year
        ("ولد عام 1950 م. في بغداد", ["ولد عام 1950 م. في بغداد"]),
        // Latin initials
        ("J. Smith met U.S. officials. Talks went on.", ["J. Smith met U.S. officials.", "Talks went on."]),
        // Decimals
        ("ارتفع المؤشر 2.5 بالمئة. وانخفض النفط 3.14 دولار.", ["ارتفع المؤشر 2.5 بالمئة.", "وانخفض النفط 3.14 دولار."]),
        // Arabic decimal separator, and an ASCII period between Arabic-Indic digits
        ("بلغ النمو ٢٫٥ بالمئة و٣.٧ في الربع الثاني. وهذا جيد", ["بلغ النمو ٢٫٥ بالمئة و٣.٧ في الربع الثاني.", "وهذا جيد"]),
        // Dates with slashes and with periods
        ("صدر البيان في 4/6/2020. وتلاه آخر في 4.6.2021 مساء", ["صدر البيان في 4/6/2020.", "وتلاه آخر في 4.6.2021 مساء"]),
        // Date in Arabic-Indic digits
        ("اجتمعوا في ٤/٦/٢٠٢٠ في روما. ثم افترقوا", ["اجتمعوا في ٤/٦/٢٠٢٠ في روما.", "ثم افترقوا"]),
        // A number right before the period still ends
        ("بلغ عدد القتلى 25. وتابع المتحدث", ["بلغ عدد القتلى 25.", "وتابع المتحدث"]),
        // Arabic question mark
        ("هل انتهت الحرب؟ لا أحد يعرف", ["هل انتهت الحرب؟", "لا أحد يعرف"]),
        // Run of Arabic question mark and exclamation mark
        ("ماذا؟! لا أصدق", ["ماذا؟!", "لا أصدق"]),
        // Run of ASCII ?!
        ("What?! No way", ["What?!", "No way"]),
        // Ellipsis character
        ("وانتظر الجميع… ثم جاء الخبر", ["وانتظر الجميع…", "ثم جاء الخبر"]),
        // Three periods are one end
        ("وانتظر الجميع... ثم جاء الخبر", ["وانتظر الجميع...", "ثم جاء الخبر"]),
        // Several terminators
        ("أولى. ثانية! ثالثة؟ رابعة", ["أولى.", "ثانية!", "ثالثة؟", "رابعة"]),
        // Line breaks, LF and CRLF
        ("السطر الأول\nالسطر الثاني\r\nالثالث", ["السطر الأول", "السطر الثاني", "الثالث"]),
        // A blank line between lines gives nothing
        ("أولى.\n\n  \nثانية", ["أولى.", "ثانية"]),
        // Arabic comma and semicolon never end
        ("قال الوزير، في المؤتمر؛ إن الوضع مستقر", ["قال الوزير، في المؤتمر؛ إن الوضع مستقر"]),
        // A domain name keeps its periods
        ("زوروا example.com للمزيد. شكرا", ["زوروا example.com للمزيد.", "شكرا"]),
        // No terminator: one sentence
        ("زر الذهاب إلى الأعلى", ["زر الذهاب إلى الأعلى"]),
        // No-break spaces trimmed
        ("\u{00A0}جملة أولى.\u{00A0}جملة ثانية.\u{00A0}", ["جملة أولى.", "جملة ثانية."]),
        // Empty
        ("", []),
        // White space only
        (" \u{00A0}\n\t ", []),
    ]

    @Test(arguments: cases)
    func splitsIntoSentences(_ paragraph: String, _ expected: [String]) {
        #expect(SentenceSegmenter().sentences(in: paragraph) == expected, "paragraph: \(paragraph)")
    }

    @Test(arguments: cases.map(\.0))
    func sentencesAreTrimmedAndNotEmpty(_ paragraph: String) {
        for sentence in SentenceSegmenter().sentences(in: paragraph) {
            #expect(!sentence.isEmpty, "paragraph: \(paragraph)")
            #expect(sentence.unicodeScalars.first?.properties.isWhitespace == false, "paragraph: \(paragraph)")
            #expect(sentence.unicodeScalars.last?.properties.isWhitespace == false, "paragraph: \(paragraph)")
        }
    }
}
