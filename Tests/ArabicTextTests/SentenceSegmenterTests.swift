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
        // The era mark م. after a year ends the sentence
        ("ولد عام 1950 م. في بغداد", ["ولد عام 1950 م.", "في بغداد"]),
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

        // MARK: Terminators
        // Run of exclamation marks after a news flash
        ("عاجل!!! انفجار في الميناء", ["عاجل!!!", "انفجار في الميناء"]),
        // ?! after a Latin word in Arabic text
        ("وصل الرئيس إلى Paris?! لم يعلن أحد", ["وصل الرئيس إلى Paris?!", "لم يعلن أحد"]),
        // Latin question mark followed by Arabic
        ("Are you sure? نعم", ["Are you sure?", "نعم"]),
        // Arabic full stop ۔
        ("انتهى الاجتماع۔ وبدأ التصويت", ["انتهى الاجتماع۔", "وبدأ التصويت"]),
        // Line separator U+2028
        ("الخبر الأول\u{2028}الخبر الثاني", ["الخبر الأول", "الخبر الثاني"]),
        // A leading ellipsis starts the sentence after it
        ("... ثم جاء الخبر العاجل.", ["... ثم جاء الخبر العاجل."]),
        // Terminators alone are kept as they are
        ("...", ["..."]),
        // The colon never ends
        ("العنوان: الاجتماع الطارئ للمجلس", ["العنوان: الاجتماع الطارئ للمجلس"]),
        // Latin agency names inside Arabic sentences
        ("قالت وكالة Reuters إن الاجتماع انتهى. وأكدت AFP ذلك.", ["قالت وكالة Reuters إن الاجتماع انتهى.", "وأكدت AFP ذلك."]),

        // MARK: Numbers and dates
        // Date year.month.day
        ("وقع الحادث بتاريخ 2020.06.04 في المدينة. وفتح تحقيق", ["وقع الحادث بتاريخ 2020.06.04 في المدينة.", "وفتح تحقيق"]),
        // Date year.month.day in Arabic-Indic digits
        ("صدر القرار في ٢٠٢٠.٠٦.٠٤ رسميا. وبدأ التنفيذ", ["صدر القرار في ٢٠٢٠.٠٦.٠٤ رسميا.", "وبدأ التنفيذ"]),
        // Date day.month.year at the end of a sentence
        ("وقع الحادث في 4.6.2020. وفتح تحقيق", ["وقع الحادث في 4.6.2020.", "وفتح تحقيق"]),
        // Arabic-Indic date with periods at the end of a sentence
        ("تاريخ الجلسة ٤.٦.٢٠٢٠. وحضرها الجميع", ["تاريخ الجلسة ٤.٦.٢٠٢٠.", "وحضرها الجميع"]),
        // Decimal with a period between Arabic-Indic digits
        ("بلغ التضخم ٣.١٤ بالمئة. وهو رقم قياسي", ["بلغ التضخم ٣.١٤ بالمئة.", "وهو رقم قياسي"]),
        // Arabic decimal separator right before the end
        ("سجل النمو ٢٫٥. ثم تراجع", ["سجل النمو ٢٫٥.", "ثم تراجع"]),
        // Thousands comma and decimal period
        ("بلغ السعر 1,250.75 دولارا. وارتفع الطلب", ["بلغ السعر 1,250.75 دولارا.", "وارتفع الطلب"]),

        // MARK: Abbreviations
        // Era mark م. after a year, then a typical opener
        ("انتهت الأزمة عام 2020 م. ثم عاد الهدوء", ["انتهت الأزمة عام 2020 م.", "ثم عاد الهدوء"]),
        // Era mark هـ. glued to the year
        ("اكتمل البناء سنة 1440هـ. وافتتح لاحقا", ["اكتمل البناء سنة 1440هـ.", "وافتتح لاحقا"]),
        // Era mark هـ. after a year in Arabic-Indic digits
        ("ولد الشاعر سنة ١٣٢٠ هـ. وتوفي بعدها", ["ولد الشاعر سنة ١٣٢٠ هـ.", "وتوفي بعدها"]),
        // Two era marks, the last one ends
        ("صدر عام 1441 هـ / 2020 م. وتم توزيعه", ["صدر عام 1441 هـ / 2020 م.", "وتم توزيعه"]),
        // م. for engineer, not after a number
        ("صرح م. أحمد حسن بأن المشروع اكتمل. وشكر العمال", ["صرح م. أحمد حسن بأن المشروع اكتمل.", "وشكر العمال"]),
        // ق.م. after a year does not end (documented ambiguity)
        ("بني المعبد عام 300 ق.م. على الضفة الغربية", ["بني المعبد عام 300 ق.م. على الضفة الغربية"]),
        // أ. د. for professor doctor
        ("وقال أ. د. خالد العمري إن النتائج مشجعة. وأضاف أن البحث مستمر", ["وقال أ. د. خالد العمري إن النتائج مشجعة.", "وأضاف أن البحث مستمر"]),
        // ص. for page
        ("ورد ذلك في ص. 45 من التقرير. ولم يعلق أحد", ["ورد ذلك في ص. 45 من التقرير.", "ولم يعلق أحد"]),
        // One-letter abbreviation before a line break still ends the line
        ("وصل الوفد برئاسة د.\nثم بدأ الاجتماع", ["وصل الوفد برئاسة د.", "ثم بدأ الاجتماع"]),
        // One-letter abbreviation, a space, then the end of the paragraph
        ("وقع الاتفاق عن الجانب الأمريكي J. ", ["وقع الاتفاق عن الجانب الأمريكي J."]),
        // إلخ. ends a sentence
        ("شملت المساعدات الغذاء والدواء والخيام إلخ. وستصل دفعة جديدة غدا", ["شملت المساعدات الغذاء والدواء والخيام إلخ.", "وستصل دفعة جديدة غدا"]),
        // Dr. before a name
        ("Dr. Ahmed Zewail won the Nobel Prize. He was born in Egypt.", ["Dr. Ahmed Zewail won the Nobel Prize.", "He was born in Egypt."]),
        // Mr. and Mrs.
        ("Mr. and Mrs. Smith arrived. الوفد وصل", ["Mr. and Mrs. Smith arrived.", "الوفد وصل"]),
        // Prof. before a name
        ("Prof. Smith said so. Others disagreed.", ["Prof. Smith said so.", "Others disagreed."]),
        // vs. between two teams
        ("مباراة الأهلي vs. الزمالك انتهت بالتعادل. وغادر الجمهور", ["مباراة الأهلي vs. الزمالك انتهت بالتعادل.", "وغادر الجمهور"]),
        // No. before a number
        ("Resolution No. 2334 was adopted. It condemns settlements.", ["Resolution No. 2334 was adopted.", "It condemns settlements."]),
        // No. as an answer ends
        ("Was it approved? No. The vote failed.", ["Was it approved?", "No.", "The vote failed."]),
        // etc. ends a sentence
        ("They sell phones, laptops, etc. Prices rose.", ["They sell phones, laptops, etc.", "Prices rose."]),
        // Middle initial in a name
        ("George W. Bush visited Baghdad. He met officials.", ["George W. Bush visited Baghdad.", "He met officials."]),
        // U.N. initials
        ("The U.N. Security Council met. It voted.", ["The U.N. Security Council met.", "It voted."]),

        // MARK: Links and e-mail addresses
        // URL with a scheme, a path with a period and a query
        ("للمزيد راجعوا https://example.com/a.b?x=1 حيث التفاصيل. شكرا", ["للمزيد راجعوا https://example.com/a.b?x=1 حيث التفاصيل.", "شكرا"]),
        // www. address, then a period that ends
        ("زوروا موقعنا www.example.com. ثم تابعونا", ["زوروا موقعنا www.example.com.", "ثم تابعونا"]),
        // www. address inside the sentence
        ("نشر الخبر على www.aljazeera.net صباح اليوم. ولم يعلق المسؤولون", ["نشر الخبر على www.aljazeera.net صباح اليوم.", "ولم يعلق المسؤولون"]),
        // E-mail address inside the sentence
        ("للتواصل: info@example.org أو عبر الهاتف. نحن بانتظاركم", ["للتواصل: info@example.org أو عبر الهاتف.", "نحن بانتظاركم"]),
        // E-mail address, then a period that ends
        ("راسلونا على info@example.org. سنرد قريبا", ["راسلونا على info@example.org.", "سنرد قريبا"]),
        // URL with a question mark in parentheses, then a period
        ("(المصدر: https://example.com/news?id=5). وأكد المتحدث", ["(المصدر: https://example.com/news?id=5).", "وأكد المتحدث"]),
        // Host and path without a scheme, with a question mark
        ("التفاصيل في example.com/news?id=7 كما نشرنا. شكرا", ["التفاصيل في example.com/news?id=7 كما نشرنا.", "شكرا"]),
        // A link ending in a one-letter segment: the period after it ends
        ("راجعوا http://example.com/a. ثم عودوا", ["راجعوا http://example.com/a.", "ثم عودوا"]),

        // MARK: Quotations and brackets
        // Ellipsis inside curly quotes followed by more quoted text
        ("قال: “نحن... سنواصل العمل.” وغادر", ["قال: “نحن... سنواصل العمل.”", "وغادر"]),
        // Ellipsis character inside guillemets followed by more quoted text
        ("وقالت «لا أعرف… ربما غدا» ثم صمتت.", ["وقالت «لا أعرف… ربما غدا» ثم صمتت."]),
        // Ellipsis inside ASCII double quotes
        ("He said \"we will... continue\" and left.", ["He said \"we will... continue\" and left."]),
        // Two-period ellipsis inside guillemets
        ("قال «ربما.. لاحقا» وغادر.", ["قال «ربما.. لاحقا» وغادر."]),
        // Ellipsis right before the closing quote ends, the quote stays
        ("قال: “سنرى…” ثم غادر", ["قال: “سنرى…”", "ثم غادر"]),
        // Ellipsis in an inner quotation while the outer one goes on
        ("قال: “سمعته يقول «ربما...» ثم سكت.” وانتهى اللقاء", ["قال: “سمعته يقول «ربما...» ثم سكت.”", "وانتهى اللقاء"]),
        // Ellipsis after a quote that is never closed ends
        ("قال: “نحن... ثم غادر", ["قال: “نحن...", "ثم غادر"]),
        // A period inside quotes still ends
        ("قال: “انتهت المرحلة الأولى. ستبدأ الثانية غدا.” ثم غادر", ["قال: “انتهت المرحلة الأولى.", "ستبدأ الثانية غدا.”", "ثم غادر"]),
        // A paragraph wrapped in quotes with two sentences
        ("“الجملة الأولى. الجملة الثانية.”", ["“الجملة الأولى.", "الجملة الثانية.”"]),
        // A paragraph wrapped in guillemets with a question and an exclamation
        ("«هل انتهت الأزمة؟ لا أحد يعرف!»", ["«هل انتهت الأزمة؟", "لا أحد يعرف!»"]),
        // Question inside guillemets, closing kept
        ("سأل: «هل ستأتي؟» فأجاب: نعم.", ["سأل: «هل ستأتي؟»", "فأجاب: نعم."]),
        // Closing quote after a space pairs with its opening quote
        ("قال: “انتهى الأمر. ” ثم غادر", ["قال: “انتهى الأمر. ”", "ثم غادر"]),
        // An ASCII quote that opens a quotation starts the next sentence
        ("قال الوزير.\"نحن مستعدون\" ثم غادر", ["قال الوزير.", "\"نحن مستعدون\" ثم غادر"]),
        // Right single quotation mark after the period
        ("He said ‘stop.’ Then left.", ["He said ‘stop.’", "Then left."]),
        // Nested brackets after the period
        ("(أعلنت الوزارة [في بيان رسمي.]) وتابعت", ["(أعلنت الوزارة [في بيان رسمي.])", "وتابعت"]),
        // Guillemets inside parentheses
        ("وأوضح (قائلا: «انتهى الأمر!») ثم انصرف.", ["وأوضح (قائلا: «انتهى الأمر!»)", "ثم انصرف."]),

        // MARK: Length
        // An over-long sentence is kept whole
        (longSentence + " وانتهى", [longSentence, "وانتهى"]),
    ]

    /// A sentence of 130 words, one more than the default limit would need to flag it.
    static let longSentence = Array(repeating: "وأكد المتحدث", count: 65).joined(separator: " ") + "."

    @Test(arguments: cases)
    func splitsIntoSentences(_ paragraph: String, _ expected: [String]) {
        #expect(SentenceSegmenter().sentences(in: paragraph) == expected, "paragraph: \(paragraph)")
    }

    @Test(arguments: cases)
    func spansReproduceTheirText(_ paragraph: String, _ expected: [String]) {
        let scalars = Array(paragraph.unicodeScalars)
        let spans = SentenceSegmenter().spans(in: paragraph)
        #expect(spans.map(\.text) == expected, "paragraph: \(paragraph)")
        var previousEnd = 0
        for span in spans {
            #expect(previousEnd <= span.start && span.start < span.end && span.end <= scalars.count,
                    "paragraph: \(paragraph), span: \(span)")
            guard previousEnd <= span.start, span.start < span.end, span.end <= scalars.count else { return }
            let slice = String(String.UnicodeScalarView(scalars[span.start..<span.end]))
            #expect(slice == span.text, "paragraph: \(paragraph)")
            previousEnd = span.end
        }
    }

    @Test func spanOffsetsCountUnicodeScalars() {
        let spans = SentenceSegmenter().spans(in: "  أولى. ثانيةٌ؟ \u{00A0}")
        #expect(spans == [
            SentenceSpan(text: "أولى.", start: 2, end: 7, isOverlong: false),
            SentenceSpan(text: "ثانيةٌ؟", start: 8, end: 15, isOverlong: false),
        ])
    }

    @Test func flagsOverlongSentencesWithSmallLimit() {
        let spans = SentenceSegmenter(maxWords: 3).spans(in: "واحد اثنان ثلاثة. واحد اثنان ثلاثة أربعة. كلمة")
        #expect(spans.map(\.text) == ["واحد اثنان ثلاثة.", "واحد اثنان ثلاثة أربعة.", "كلمة"])
        #expect(spans.map(\.isOverlong) == [false, true, false])
    }

    @Test func flagsOverlongSentencesWithDefaultLimit() {
        let segmenter = SentenceSegmenter()
        #expect(segmenter.maxWords == 120)
        let atLimit = Array(repeating: "كلمة", count: 120).joined(separator: " ")
        #expect(segmenter.spans(in: atLimit).map(\.isOverlong) == [false])
        let overLimit = "  " + atLimit + " \u{00A0}زيادة.  "
        #expect(segmenter.spans(in: overLimit).map(\.isOverlong) == [true])
        #expect(segmenter.spans(in: Self.longSentence + " وانتهى").map(\.isOverlong) == [true, false])
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
