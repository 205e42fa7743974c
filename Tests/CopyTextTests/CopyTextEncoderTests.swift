import CopyText
import Testing

@Suite struct CopyTextEncoderTests {
    /// The bytes `appendField` writes for one field, read back as text.
    private func encodedField(_ field: String?) -> String {
        var buffer: [UInt8] = []
        CopyTextEncoder.appendField(field, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test(arguments: [
        ("a\tb", "a\\tb"),                          // tab escaped
        ("a\nb", "a\\nb"),                          // newline escaped
        ("a\rb", "a\\rb"),                          // carriage return escaped
        ("\r\n", "\\r\\n"),                         // CRLF is two escapes
        ("a\\b", "a\\\\b"),                         // backslash doubled
        ("\\", "\\\\"),                             // lone backslash doubled
        ("\u{08}", "\\b"),                          // backspace
        ("\u{0C}", "\\f"),                          // form feed
        ("\u{0B}", "\\v"),                          // vertical tab
        ("\u{07}", "\u{07}"),                       // bell: PostgreSQL reads it raw, not escaped
        ("\u{0E}", "\u{0E}"),                       // first control above the escaped range, raw
        ("\\N", "\\\\N"),                           // the literal text \N is not NULL
        ("N", "N"),                                 // a plain N
        ("", ""),                                   // empty string is not NULL
        ("الْعَرَبِيَّـــة", "الْعَرَبِيَّـــة"),   // diacritics and tatweel kept byte for byte
        ("قال: “نعم”", "قال: “نعم”"),               // curly quotes kept
        ("\"quoted\" 'x'", "\"quoted\" 'x'"),       // ASCII quotes kept
        ("Bayan بيان v2", "Bayan بيان v2"),         // mixed Latin and Arabic kept
        ("2.5", "2.5"),                             // decimal number kept
        ("4/6/2020", "4/6/2020"),                   // date kept
        ("سطر\tثان\nثالث\\", "سطر\\tثان\\nثالث\\\\"), // escapes between Arabic letters
        ("😀", "😀"),                               // four-byte scalar kept
    ] as [(String, String)])
    func escapesField(_ input: String, _ expected: String) {
        #expect(encodedField(input) == expected, "input: \(input.debugDescription)")
    }

    @Test func nullIsBackslashN() {
        #expect(encodedField(nil) == "\\N")
        #expect(CopyTextEncoder.nullMarker == [0x5C, 0x4E])
    }

    @Test func escapedBytesAreExact() {
        // Arabic letter alef (D8 A7), tab, backslash: only the last two change.
        var buffer: [UInt8] = []
        CopyTextEncoder.appendField("ا\t\\", to: &buffer)
        #expect(buffer == [0xD8, 0xA7, 0x5C, 0x74, 0x5C, 0x5C])
    }

    @Test(arguments: [
        ([Optional("a"), nil, "", "b\tc"], "a\t\\N\t\tb\\tc\n"),   // text, NULL, empty, escaped tab
        ([Optional("واحد"), "اثنان"], "واحد\tاثنان\n"),            // Arabic fields
        ([Optional<String>.none], "\\N\n"),                        // a single NULL
        ([Optional("")], "\n"),                                    // a single empty field
        ([Optional<String>](), "\n"),                              // no fields: just the newline
        ([Optional<String>.none, nil], "\\N\t\\N\n"),              // two NULLs
    ] as [([String?], String)])
    func appendRowJoinsWithTabs(_ fields: [String?], _ expected: String) {
        var buffer: [UInt8] = []
        CopyTextEncoder.appendRow(fields, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == expected, "fields: \(fields)")
        #expect(CopyTextEncoder.encodeRow(fields) == expected, "fields: \(fields)")
    }

    @Test func appendRowKeepsWhatTheBufferHeld() {
        var buffer = Array("x\n".utf8)
        CopyTextEncoder.appendRow(["a", "b"], to: &buffer)
        CopyTextEncoder.appendRow([nil], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "x\na\tb\n\\N\n")
    }
}
