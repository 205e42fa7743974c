import Extract
import Testing

/// `YYYY-MM-DD` for each date found, so that rows can compare plain strings.
private func isoDates(_ string: String, isPath: Bool = false) -> [String] {
    PublicationDateFinder.dates(in: string, isPath: isPath).map {
        PublicationDate(year: $0.year, month: $0.month, day: $0.day, origin: isPath ? .path : .text).iso
    }
}

@Suite struct PublicationDateTests {
    @Test(arguments: [
        // Year first.
        ("2020-06-04", ["2020-06-04"]),                                   // ISO with hyphens
        ("2020/06/04", ["2020-06-04"]),                                   // ISO with slashes
        ("2020.06.04", ["2020-06-04"]),                                   // ISO with dots
        ("2020-6-4", ["2020-06-04"]),                                     // ISO without leading zeros
        ("2020-06-04T10:30:00Z", ["2020-06-04"]),                         // ISO datetime: the date part
        ("2020-06-04 10:30", ["2020-06-04"]),                             // date then a time
        // Day first.
        ("04/06/2020", ["2020-06-04"]),                                   // day/month/year with slashes
        ("4/6/2020", ["2020-06-04"]),                                     // day first without leading zeros
        ("04-06-2020", ["2020-06-04"]),                                   // day first with hyphens
        ("4.6.2020", ["2020-06-04"]),                                     // day first with dots
        ("نشر في: 14/03/2024 - 10:45", ["2024-03-14"]),                   // inside a byline, time ignored
        ("\u{200F}04/06/2020\u{200F}", ["2020-06-04"]),                   // right-to-left marks around the date
        // Arabic-Indic and Extended Arabic-Indic digits.
        ("٢٠٢٠-٠٦-٠٤", ["2020-06-04"]),                                   // Arabic-Indic ISO
        ("٠٤/٠٦/٢٠٢٠", ["2020-06-04"]),                                   // Arabic-Indic day first
        ("۲۰۲۰/۰۶/۰۴", ["2020-06-04"]),                                   // Extended Arabic-Indic ISO
        ("۴/۶/۲۰۲۰", ["2020-06-04"]),                                     // Extended Arabic-Indic day first
        ("۱۲ مارس ۲۰۱۹", ["2019-03-12"]),                                 // Extended Arabic-Indic with a month name
        // Month names, Levantine and Iraqi.
        ("4 حزيران 2020", ["2020-06-04"]),                                // June
        ("1 كانون الثاني 2021", ["2021-01-01"]),                          // January, two words
        ("15 شباط 2018", ["2018-02-15"]),                                 // February
        ("الأربعاء، 12 آذار (مارس) 2019", ["2019-03-12"]),                // weekday, March with the Egyptian name in brackets
        ("7 نيسان 2017", ["2017-04-07"]),                                 // April
        ("3 أيار 2016", ["2016-05-03"]),                                  // May with hamza
        ("3 ايار 2016", ["2016-05-03"]),                                  // May without hamza
        ("9 تموز 2015", ["2015-07-09"]),                                  // July
        ("20 آب 2014", ["2014-08-20"]),                                   // August with madda
        ("5 أيلول 2013", ["2013-09-05"]),                                 // September
        ("6 تشرين الأول 2012", ["2012-10-06"]),                           // October
        ("11 تشرين الثاني 2011", ["2011-11-11"]),                         // November
        ("25 كانون الأول 2010", ["2010-12-25"]),                          // December
        // Month names, Egyptian and Gulf.
        ("الخميس 4 يونيو 2020", ["2020-06-04"]),                          // weekday, June
        ("10 يناير 2020", ["2020-01-10"]),                                // January
        ("29 فبراير 2020", ["2020-02-29"]),                               // February 29 of a leap year
        ("12 مارس، 2019", ["2019-03-12"]),                                // March, comma before the year
        ("1 أبريل 2020", ["2020-04-01"]),                                 // April, hamza above
        ("1 ابريل 2020", ["2020-04-01"]),                                 // April, bare alef
        ("1 إبريل 2020", ["2020-04-01"]),                                 // April, hamza below
        ("8 مايو 2020", ["2020-05-08"]),                                  // May, Egyptian name (longer than the Maghreb one)
        ("30 يونيه 2020", ["2020-06-30"]),                                // June, Egyptian spelling
        ("14 يوليو 2020", ["2020-07-14"]),                                // July
        ("14 يوليه 2020", ["2020-07-14"]),                                // July, Egyptian spelling
        ("15 أغسطس 2020", ["2020-08-15"]),                                // August with hamza
        ("15 اغسطس 2020", ["2020-08-15"]),                                // August without hamza
        ("30 سبتمبر 2020", ["2020-09-30"]),                               // September
        ("6 أكتوبر 2020", ["2020-10-06"]),                                // October with hamza
        ("6 اكتوبر 2020", ["2020-10-06"]),                                // October without hamza
        ("السبت 11 نوفمبر 2020", ["2020-11-11"]),                         // weekday, November
        ("31 ديسمبر 2020", ["2020-12-31"]),                               // December
        ("4 يونْيُو 2020", ["2020-06-04"]),                               // diacritics in the name
        // Double forms.
        ("٤ حزيران/يونيو ٢٠٢٠", ["2020-06-04"]),                          // joined with a slash, Arabic-Indic digits
        ("4 حزيران / يونيو 2020", ["2020-06-04"]),                        // joined with a spaced slash
        ("الثلاثاء 21 كانون الثاني / يناير 2020", ["2020-01-21"]),        // two-word name first
        ("4 يونيو/حزيران 2020", ["2020-06-04"]),                          // Egyptian name first
        // Maghreb.
        ("الاثنين 13 جانفي 2020", ["2020-01-13"]),                        // January, weekday
        ("14 فيفري 2020", ["2020-02-14"]),                                // February
        ("9 أفريل 2020", ["2020-04-09"]),                                 // April
        ("1 ماي 2020", ["2020-05-01"]),                                   // May
        ("25 جوان 2020", ["2020-06-25"]),                                 // June
        ("25 جويلية 2020", ["2020-07-25"]),                               // July
        ("13 أوت 2020", ["2020-08-13"]),                                  // August
        // Several dates, in order of appearance.
        ("من 2020-06-04 إلى 05/06/2020", ["2020-06-04", "2020-06-05"]),   // two numeric forms
        ("31/02/2020 ثم 01/03/2020", ["2020-03-01"]),                     // an invalid date does not stop the scan
        // Invalid dates.
        ("31/02/2020", [String]()),                                       // February 31
        ("2020-13-01", [String]()),                                       // month 13
        ("29/02/2019", [String]()),                                       // February 29 of a common year
        ("29/02/2020", ["2020-02-29"]),                                   // February 29 of a leap year
        ("29/02/1900", [String]()),                                       // 1900 is not a leap year
        ("29/02/2000", ["2000-02-29"]),                                   // 2000 is a leap year
        ("31 نيسان 2020", [String]()),                                    // April 31
        ("1/1/1899", [String]()),                                         // year before 1900
        ("1/1/2101", [String]()),                                         // year after 2100
        ("00/06/2020", [String]()),                                       // day zero
        // Not dates.
        ("2.5 مليون دولار", [String]()),                                  // a decimal number
        ("الساعة 12:30", [String]()),                                     // a time
        ("4/6", [String]()),                                              // day and month without a year
        ("اتصل على 0123456789", [String]()),                              // a phone number
        ("012-345-6789", [String]()),                                     // a phone number with hyphens
        ("عام 2020", [String]()),                                         // a year alone
        ("21 كانون الثاني", [String]()),                                  // month name without a year
        ("21 كانون الثاني / يناير", [String]()),                          // double form without a year
        ("حزيران / يونيو 2020", [String]()),                              // month and year without a day
        ("04/06/20", [String]()),                                         // two-digit year
        ("2020-06/04", [String]()),                                       // mixed separators
        ("4 حزيران / تموز 2020", [String]()),                             // the two names disagree
        ("5 آبار 2020", [String]()),                                      // a word that starts with the name of August
        ("رقم 20140123", [String]()),                                     // compact form outside a path
        ("192.168.1.1", [String]()),                                      // an IP address
    ] as [(String, [String])])
    func datesInText(_ input: String, _ expected: [String]) {
        #expect(isoDates(input) == expected, "input: \(input.debugDescription)")
    }

    @Test(arguments: [
        ("ant-jawharafm/culture/JA-culture-1-20140123.txt", ["2014-01-23"]),          // compact, after a counter
        ("AR-economy-12-20180225.txt", ["2018-02-25"]),                               // compact, two-digit counter before
        ("samples/alwafd-news/2024-03-14-coalition-ministers.txt", ["2024-03-14"]),   // ISO at the start of the name
        ("archive/2019/03/12/story.txt", ["2019-03-12"]),                             // ISO as folders
        ("x/JA-culture-1-19891231.txt", [String]()),                                  // compact before 1990
        ("x/JA-culture-1-20140231.txt", [String]()),                                  // compact February 31
        ("x/JA-culture-1-201401234.txt", [String]()),                                 // nine digits
        ("x/JA-culture-1-2014012.txt", [String]()),                                   // seven digits
        ("x/JA-culture-7.txt", [String]()),                                           // no date
        ("ant-jawharafm/sport/JA-sport-163-12062016.txt", ["2016-06-12"]),            // compact day-first: 12 June 2016
        ("x/JA-internationalNews-115-20122016.txt", ["2016-12-20"]),                  // 2012-20-16 is no date; 20/12/2016 is
    ] as [(String, [String])])
    func datesInPath(_ input: String, _ expected: [String]) {
        #expect(isoDates(input, isPath: true) == expected, "input: \(input.debugDescription)")
    }

    @Test(arguments: [
        // Text wins over the path.
        ("الخميس 4 يونيو 2020\nنص الخبر", "ant-jawharafm/culture/JA-culture-1-20140123.txt", 5,
         PublicationDate(year: 2020, month: 6, day: 4, origin: .text)),
        // Path only, compact.
        ("عنوان الخبر\nنص الخبر", "ant-jawharafm/culture/JA-culture-1-20140123.txt", 5,
         PublicationDate(year: 2014, month: 1, day: 23, origin: .path)),
        // Path only, ISO.
        ("عنوان الخبر", "samples/alwafd-news/2024-03-14-coalition-ministers.txt", 5,
         PublicationDate(year: 2024, month: 3, day: 14, origin: .path)),
        // A date on the sixth non-empty line is beyond the default limit.
        ("١\n٢\n٣\n٤\n٥\n04/06/2020", "news/story.txt", 5, nil),
        // The same date within a limit of six lines.
        ("١\n٢\n٣\n٤\n٥\n04/06/2020", "news/story.txt", 6,
         PublicationDate(year: 2020, month: 6, day: 4, origin: .text)),
        // Empty and blank lines are not counted.
        ("\n\n  \nعنوان\n\u{200F}\n\r\n04/06/2020", "news/story.txt", 2,
         PublicationDate(year: 2020, month: 6, day: 4, origin: .text)),
        // Beyond the limit in the text, so the path is used.
        ("عنوان\r\n12 مارس 2019", "AR-economy-12-20180225.txt", 1,
         PublicationDate(year: 2018, month: 2, day: 25, origin: .path)),
        // A limit of zero reads no text.
        ("12 مارس 2019", "AR-economy-12-20180225.txt", 0,
         PublicationDate(year: 2018, month: 2, day: 25, origin: .path)),
        // An invalid date in the text falls through to the path.
        ("31/02/2020", "samples/alwafd-news/2024-03-14-coalition-ministers.txt", 5,
         PublicationDate(year: 2024, month: 3, day: 14, origin: .path)),
        // No date anywhere.
        ("عنوان الخبر\nبلغ النمو 2.5 في المئة عام 2020", "news/story-7.txt", 5, nil),
        // A date inside a body sentence is an event's date, not the article's: the path is used.
        ("وفاة مسنة بعين دراهم\n\nتوفيت أمس الأربعاء 11 جانفي 2017 في منزلها بعد أن تفطنت السلطات المحلية لحالتها الصحية",
         "society/JA-society-26-20170112.txt", 5, PublicationDate(year: 2017, month: 1, day: 12, origin: .path)),
        // A short dateline with a label is taken.
        ("عنوان الخبر\nنشر في: الأربعاء 11 جانفي 2017 - 10:30", "news/story.txt", 5,
         PublicationDate(year: 2017, month: 1, day: 11, origin: .text)),
        // Compact digits in the text are not a date.
        ("الرقم 20140123", "news/story.txt", 5, nil),
    ] as [(String, String, Int, PublicationDate?)])
    func find(_ text: String, _ path: String, _ lineLimit: Int, _ expected: PublicationDate?) {
        #expect(PublicationDateFinder.find(text: text, path: path, lineLimit: lineLimit) == expected,
                "text: \(text.debugDescription) path: \(path) lineLimit: \(lineLimit)")
    }

    @Test func defaultLineLimitIsFive() {
        let text = "أ\nب\nت\nث\nج\n04/06/2020"
        #expect(PublicationDateFinder.find(text: text, path: "a.txt") == nil)
        #expect(PublicationDateFinder.find(text: "أ\nب\nت\nث\n04/06/2020", path: "a.txt")
                == PublicationDate(year: 2020, month: 6, day: 4, origin: .text))
    }

    @Test(arguments: [
        (PublicationDate(year: 2020, month: 6, day: 4, origin: .text), "2020-06-04"),    // padded month and day
        (PublicationDate(year: 1999, month: 12, day: 31, origin: .path), "1999-12-31"),  // two-digit month and day
        (PublicationDate(year: 987, month: 1, day: 5, origin: .text), "0987-01-05"),     // padded year
    ])
    func iso(_ date: PublicationDate, _ expected: String) {
        #expect(date.iso == expected, "date: \(date)")
        #expect(PublicationDateOrigin(rawValue: date.origin.rawValue) == date.origin)
    }
}
