import ArabicText
import Testing

@Suite struct ArabicLightStemmerTests {
    @Test(arguments: [
        ("والمساءله", "مساءل"),     // وال + مساءل + ه
        ("هجوما", "هجوم"),          // accusative alef of an indefinite noun dropped
        ("تهديدا", "تهديد"),        // the same
        ("ايضا", "ايضا"),           // four letters: kept
        ("الدنيا", "دنيا"),         // with the article there is no accusative alef: kept
        ("مساءله", "مساءل"),        // taa marbuta (already ه) stripped
        ("للمدنيين", "مدن"),        // لل + مدن + يين
        ("المدني", "مدن"),          // ال + nisba ي
        ("المدنيه", "مدن"),         // ال + feminine nisba يه
        ("المدنيون", "مدن"),        // ال + plural nisba يون
        ("الارهاب", "ارهاب"),       // article only
        ("بالمساعدات", "مساعد"),    // بال + feminine plural ات
        ("احتجازهم", "احتجاز"),     // possessive هم
        ("المحتجزين", "محتجز"),     // ال + plural ين
        ("اللاجيين", "اجي"),        // ال, then ل, then ين: يين would leave only 2 letters
        ("وحمايه", "حما"),          // conjunction و + يه
        ("البيان", "يان"),          // ال then ب: meets بيان
        ("بيان", "يان"),            // ب stripped: remainder has 3 letters
        ("ولد", "ولد"),             // و kept: only 2 letters would remain
        ("كتب", "كتب"),             // ك kept: only 2 letters would remain
        ("الولد", "ولد"),           // ال stripped, و kept
        ("الله", "له"),             // ال leaves exactly 2 letters
        ("والله", "له"),            // وال leaves exactly 2 letters
        ("لله", "لله"),             // neither لل (1 letter left) nor ل (2 left)
        ("التي", "تي"),             // ال leaves 2; ي would leave 1
        ("من", "من"),               // too short for anything
        ("نا", "نا"),               // a bare suffix is not stripped to nothing
        ("covid", "covid"),         // Latin unchanged
        ("Covid", "Covid"),         // Latin unchanged, even if not normalized
        ("2020", "2020"),           // digits unchanged
        ("4/6/2020", "4/6/2020"),   // number with separators unchanged
        ("ال2020", "ال2020"),       // mixed Arabic and digits unchanged
        ("", ""),                   // empty
        ("قتلوا", "قتل"),           // plural verb ending وا
        ("واستشهدوا", "استشهد"),    // وا, then the conjunction و
        ("اعتقلوا", "اعتقل"),       // وا goes before the accusative alef rule could take its ا
        ("دعوا", "دعوا"),           // وا kept: only 2 letters would remain
        ("الدعوا", "دعوا"),         // with the article: not a verb, وا kept
        ("سلطاتها", "سلط"),         // pronoun ها, then the plural ات
        ("قواتها", "قوات"),         // pronoun ها; ات kept (2 letters would remain), and so is its ت
        ("مساعداتهم", "مساعد"),     // pronoun هم, then ات
        ("حكومته", "حكوم"),         // pronoun ه, then the ت of a taa marbuta
        ("زيارتها", "زيار"),        // pronoun ها, then ت
        ("صوته", "صوت"),            // pronoun ه; ت kept: only 2 letters would remain
        ("موتهم", "موت"),           // pronoun هم; ت kept
        ("الحكومه", "حكوم"),        // taa marbuta ه: nothing follows it, nothing more goes
    ])
    func stems(_ token: String, _ expected: String) {
        #expect(ArabicLightStemmer.stem(token) == expected, "token: \(token)")
    }

    /// Raw forms that must meet at the same stem after normalization, and that stem.
    @Test(arguments: [
        ("والمساءلة", "مساءلة", "مساءل"),           // conjunction + article vs bare, taa marbuta
        ("هجوما", "الهجوم", "هجوم"),                 // indefinite accusative vs definite
        ("للمدنيين", "مدنيين", "مدن"),              // لل vs bare plural
        ("المدنيين", "المدني", "مدن"),              // plural vs singular nisba
        ("المدنية", "المدنيون", "مدن"),             // feminine vs masculine plural nisba
        ("الإرهاب", "ارهاب", "ارهاب"),              // hamza alef folded, article stripped
        ("الإرهابيين", "الإرهابي", "ارهاب"),         // plural vs singular nisba
        ("بالمساعدات", "المساعدة", "مساعد"),        // plural ات vs singular ة
        ("احتجازهم", "الاحتجاز", "احتجاز"),         // possessive vs article
        ("المحتجزين", "محتجز", "محتجز"),            // plural vs singular
        ("اللاجئين", "لاجئ", "اجي"),                // ئ folded; ل read as a proclitic on both sides
        ("النازحين", "النازح", "نازح"),             // plural vs singular
        ("القتلى", "قتلى", "قتل"),                  // alef maqsura folded then stripped as ي
        ("الوزراء", "وزراء", "زراء"),               // root-initial و read as a proclitic on both sides
        ("البيان", "بيان", "يان"),                  // root-initial ب read as a proclitic on both sides
        ("والبيان", "للبيان", "يان"),               // وال and لل, then ب
        ("قتلوا", "قتلى", "قتل"),                  // plural verb vs plural noun
        ("اعتقلوا", "اعتقل", "اعتقل"),             // plural vs singular past verb
        ("قواتها", "القوات", "قوات"),               // possessive on a short feminine plural vs article
        ("سلطاتهم", "السلطات", "سلط"),              // possessive on a feminine plural vs article
        ("مساعداتهم", "المساعدات", "مساعد"),        // the same
        ("حكومتها", "الحكومة", "حكوم"),             // taa marbuta written ت before a pronoun
        ("سياسته", "السياسة", "سياس"),              // the same
        ("زيارته", "الزيارة", "زيار"),              // the same
    ])
    func formsMeet(_ first: String, _ second: String, _ stem: String) {
        let normalizer = ArabicNormalizer()
        let firstStem = ArabicLightStemmer.stem(normalizer.normalize(first))
        let secondStem = ArabicLightStemmer.stem(normalizer.normalize(second))
        #expect(firstStem == stem, "form: \(first)")
        #expect(secondStem == stem, "form: \(second)")
    }

    /// Raw forms that stay apart: distinct words, and the known limits of light stemming.
    @Test(arguments: [
        ("المدنيين", "المدينة"),    // civilians vs city: مدن vs مدين
        ("كتاب", "كاتب"),           // book vs writer: تاب vs اتب
        ("السجون", "السجن"),        // limit: broken plural (سجون keeps ون, 2 letters would remain)
        ("الوزراء", "الوزير"),      // limit: broken plural (زراء vs زير)
        ("وبيان", "بيان"),          // limit: only one single-letter proclitic goes, و here (بيان vs يان)
        ("لله", "الله"),            // limit: لله keeps its letters, الله gives له
    ])
    func formsStayApart(_ first: String, _ second: String) {
        let normalizer = ArabicNormalizer()
        let firstStem = ArabicLightStemmer.stem(normalizer.normalize(first))
        let secondStem = ArabicLightStemmer.stem(normalizer.normalize(second))
        #expect(firstStem != secondStem, "forms: \(first), \(second) both give \(firstStem)")
    }
}
