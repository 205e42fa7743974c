import ArabicText
import Testing
import TestSupport

/// The normalizer, tokenizer and stemmer work on UTF-8 bytes; these tests hold them to their definitions
/// written scalar by scalar (the way they were first implemented, kept here as the reference) over seeded
/// random text mixing Arabic letters, marks, digits, separators, cased letters and white space.
@Suite struct ScalarDefinitionParityTests {
    /// Scalars the random text is drawn from: the cases each rule treats apart.
    static let alphabet: [Unicode.Scalar] = {
        var scalars: [Unicode.Scalar] = []
        for value in 0x0620...0x064A { scalars.append(Unicode.Scalar(value)!) }          // letters and tatweel
        for value in [0x064B, 0x064E, 0x0651, 0x0652, 0x0654, 0x0670, 0x06D6, 0x06DD] { scalars.append(Unicode.Scalar(value)!) } // marks
        for value in 0x0660...0x0669 { scalars.append(Unicode.Scalar(value)!) }          // Arabic-Indic digits
        for value in [0x06F4, 0x066B, 0x066C, 0x060C, 0x061F, 0x06A9, 0x06CC, 0x06C1, 0x0671, 0x0750, 0x06FF] {
            scalars.append(Unicode.Scalar(value)!)
        }
        scalars += Array("0123456789 .,/:-abcXYZ\t\n\r".unicodeScalars)
        for value in [0x00A0, 0x2003, 0x200B, 0x200C, 0x200F, 0x00AD, 0xFEFF, 0x0130, 0x0414, 0x00C9, 0x0301, 0x1E9E,
                      0x00AB, 0x00BB, 0x201C, 0x1F600, 0x10400, 0x0966, 0x0000, 0x0085] {
            scalars.append(Unicode.Scalar(value)!)
        }
        return scalars
    }()

    /// Words the stemmer's rules are about, glued to random prefixes and suffixes below.
    static let stems = ["مساءل", "مدن", "حكوم", "قوات", "سلط", "قتل", "هجوم", "بيان", "ولد", "له", "وا", "ات", "ت", "ا"]
    static let prefixes = ["", "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "كال", "فال", "ولل", "فلل", "لل"]
    static let suffixes = ["", "ا", "وا", "ه", "ي", "ها", "هم", "هن", "كم", "نا", "يه", "ات", "ون", "ين", "ان", "يين", "يون", "يات", "تها", "اتهم"]

    static func randomText(_ generator: inout SeededGenerator, maxLength: Int) -> String {
        var view = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &generator) {
            view.append(alphabet.randomElement(using: &generator)!)
        }
        return String(view)
    }

    @Test func normalizerFoldsAsDefinedScalarByScalar() {
        var generator = SeededGenerator(seed: 20261123)
        let profiles: [NormalizationProfile] = [.default, .conservative]
            + ArabicFolding.allCases.map { NormalizationProfile(name: "only-\($0.rawValue)", foldings: [$0], revision: 1) }
        for profile in profiles {
            let normalizer = ArabicNormalizer(profile: profile)
            let reference = ReferenceNormalizer(profile: profile)
            for _ in 0..<3_000 {
                let text = Self.randomText(&generator, maxLength: 40)
                let folded = normalizer.normalize(text)
                let expected = reference.normalize(text)
                #expect(Array(folded.utf8) == Array(expected.utf8), "\(profile.version): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }

    @Test func tokenizerSplitsAsDefinedScalarByScalar() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let text = Self.randomText(&generator, maxLength: 40)
            let tokens = ArabicTokenizer.tokens(text).map { Array($0.utf8) }
            let expected = ReferenceTokenizer.tokens(text).map { Array($0.utf8) }
            #expect(tokens == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func stemmerStripsAsDefinedScalarByScalar() {
        var generator = SeededGenerator(seed: 11)
        var tokens: [String] = []
        for prefix in Self.prefixes {
            for stem in Self.stems {
                for suffix in Self.suffixes { tokens.append(prefix + stem + suffix) }
            }
        }
        for _ in 0..<3_000 { tokens.append(Self.randomText(&generator, maxLength: 9)) }
        for token in tokens {
            let stem = ArabicLightStemmer.stem(token)
            #expect(Array(stem.utf8) == Array(ReferenceStemmer.stem(token).utf8), "token: \(token)")
            // The stem is the slice of the token's bytes that stemRange gives.
            var copy = token
            let range = copy.withUTF8 { ArabicLightStemmer.stemRange(ofUTF8: $0) }
            #expect(Array(token.utf8)[range] == ArraySlice(stem.utf8), "token: \(token)")
        }
    }
}

// MARK: - The definitions, scalar by scalar

private struct ReferenceNormalizer {
    let foldings: Set<ArabicFolding>

    init(profile: NormalizationProfile) { foldings = profile.foldings }

    func normalize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if foldings.contains(.whitespace) && scalar.properties.isWhitespace {
                pendingSpace = !output.isEmpty
                continue
            }
            let folded = fold(scalar)
            guard !folded.isEmpty else { continue }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            output.append(contentsOf: folded)
        }
        return String(output)
    }

    private func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let value = scalar.value
        func when(_ folding: ArabicFolding, _ replacement: Unicode.Scalar) -> [Unicode.Scalar] {
            foldings.contains(folding) ? [replacement] : [scalar]
        }
        switch value {
        case 0x41...0x5A: return when(.lowercase, Unicode.Scalar(value + 0x20)!)
        case 0..<0x80: return [scalar]
        case 0x064B...0x065F, 0x0670, 0x06D6...0x06ED:
            if foldings.contains(.diacritics) { return [] }
            return value == 0x06DD ? byProperties(scalar) : [scalar]
        case 0x0640: return foldings.contains(.tatweel) ? [] : [scalar]
        case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673: return when(.alefForms, "\u{0627}")
        case 0x0649: return when(.alefMaqsura, "\u{064A}")
        case 0x0626: return when(.hamzaCarriers, "\u{064A}")
        case 0x06CC: return when(.persianLetters, "\u{064A}")
        case 0x0629: return when(.taaMarbuta, "\u{0647}")
        case 0x06C0, 0x06C1, 0x06C2: return when(.persianLetters, "\u{0647}")
        case 0x0624: return when(.hamzaCarriers, "\u{0648}")
        case 0x06A9: return when(.persianLetters, "\u{0643}")
        case 0x0660...0x0669: return when(.digits, Unicode.Scalar(0x30 + value - 0x0660)!)
        case 0x06F0...0x06F9: return when(.digits, Unicode.Scalar(0x30 + value - 0x06F0)!)
        case 0x066B: return when(.digits, ".")
        case 0x066C: return when(.digits, ",")
        default: return byProperties(scalar)
        }
    }

    private func byProperties(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if foldings.contains(.formatControls) && scalar.properties.generalCategory == .format { return [] }
        if foldings.contains(.lowercase) && scalar.properties.changesWhenLowercased {
            return Array(scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return [scalar]
    }
}

private enum ReferenceTokenizer {
    static func tokens(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var kind: Int?  // 0 letters, 1 digits
        func flush() {
            if !current.isEmpty { tokens.append(String(current)) }
            current = String.UnicodeScalarView()
            kind = nil
        }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType == .decimal }
        for (index, scalar) in scalars.enumerated() {
            let category = scalar.properties.generalCategory
            if isDigit(scalar) {
                if kind != 1 { flush() }
                kind = 1
                current.append(scalar)
            } else if category == .nonspacingMark || category == .spacingMark || category == .enclosingMark || scalar.value == 0x0640 {
                if kind == 0 { current.append(scalar) } else { flush() }
            } else if scalar.properties.isAlphabetic {
                if kind != 0 { flush() }
                kind = 0
                current.append(scalar)
            } else if kind == 1, ".,/:-\u{066B}\u{066C}".unicodeScalars.contains(scalar),
                      index + 1 < scalars.count, isDigit(scalars[index + 1]) {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }
}

private enum ReferenceStemmer {
    static func stem(_ token: String) -> String {
        func isArabicLetter(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x0620...0x063F, 0x0641...0x064A, 0x066E...0x066F, 0x0671...0x06D3, 0x06D5, 0x06EE...0x06EF, 0x06FA...0x06FC,
                 0x06FF, 0x0750...0x077F: true
            default: false
            }
        }
        func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }
        func ends(_ letters: [Unicode.Scalar], _ suffix: [Unicode.Scalar]) -> Bool {
            letters.count >= suffix.count && Array(letters.suffix(suffix.count)) == suffix
        }
        var letters = scalars(token)
        guard !letters.isEmpty, letters.allSatisfy(isArabicLetter) else { return token }
        var hadArticle = false
        if let prefix = ["وال", "بال", "كال", "فال", "ولل", "فلل", "لل", "ال"].map(scalars).first(where: { letters.starts(with: $0) }),
           letters.count - prefix.count >= 2 {
            letters.removeFirst(prefix.count)
            hadArticle = true
        }
        if !hadArticle, letters.count - 2 >= 3, ends(letters, scalars("وا")) {
            letters.removeLast(2)
        } else if !hadArticle, letters.count >= 5, letters.last == "\u{0627}" {
            letters.removeLast()
        }
        if let first = letters.first, scalars("وفبلك").contains(first), letters.count - 1 >= 3 {
            letters.removeFirst()
        }
        let suffixes = ["يين", "يون", "يات", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي"].map(scalars)
        if let suffix = suffixes.first(where: { letters.count - $0.count >= 3 && ends(letters, $0) }) {
            letters.removeLast(suffix.count)
            if ["ها", "هم", "هن", "كم", "نا", "ه"].map(scalars).contains(suffix) {
                if ends(letters, scalars("ات")) {
                    if letters.count - 2 >= 3 { letters.removeLast(2) }
                } else if letters.count - 1 >= 3, letters.last == "\u{062A}" {
                    letters.removeLast()
                }
            }
        }
        return String(String.UnicodeScalarView(letters))
    }
}
