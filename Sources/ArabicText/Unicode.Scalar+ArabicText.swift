extension Unicode.Scalar {
    /// Whether the scalar is a letter of the Arabic script (base letters only, no marks or digits).
    ///
    /// Covers the Arabic block's letters (U+0620…U+064A, U+066E…U+066F, U+0671…U+06D3, U+06D5,
    /// U+06EE…U+06EF, U+06FA…U+06FC, U+06FF) and the Arabic Supplement letters (U+0750…U+077F).
    var isArabicLetter: Bool {
        switch value {
        case 0x0620...0x063F, 0x0641...0x064A, 0x066E...0x066F, 0x0671...0x06D3, 0x06D5,
             0x06EE...0x06EF, 0x06FA...0x06FC, 0x06FF, 0x0750...0x077F:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is a decimal digit in any script (ASCII, Arabic-Indic, Extended Arabic-Indic, …).
    var isDecimalDigit: Bool {
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        if value >= 0x0660 && value <= 0x0669 || value >= 0x06F0 && value <= 0x06F9 { return true }
        if value >= 0x0600 && value <= 0x06FF { return false }
        return properties.numericType == .decimal
    }

    /// Whether the scalar is a combining mark (nonspacing, spacing or enclosing).
    var isCombiningMark: Bool {
        // Fast answers for ASCII, Arabic letters and harakat, which are most of the text.
        if value < 0x0300 { return false }
        if value >= 0x0621 && value <= 0x064A { return false }
        if value >= 0x064B && value <= 0x065F { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    /// Whether the scalar is alphabetic (Unicode's `Alphabetic` property), answered without a table lookup
    /// for ASCII and Arabic letters.
    var isAlphabeticFast: Bool {
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        if value >= 0x0621 && value <= 0x064A { return true }  // letters, and tatweel (a modifier letter)
        return properties.isAlphabetic
    }

    /// Whether the scalar is Unicode white space, including line breaks and U+00A0 no-break space.
    var isUnicodeWhitespace: Bool {
        if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
        // The Arabic block holds no white space; most text of a news dump is in it, so skip the table lookup.
        if value >= 0x0600 && value <= 0x06FF { return false }
        return properties.isWhitespace
    }
}
