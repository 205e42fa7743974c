@testable import Extract
import Testing

@Suite struct TextCleanupTests {
    @Test(arguments: [
        ("a\r\nb", "a\nb"),                         // CRLF → LF
        ("a\rb", "a\nb"),                           // lone CR → LF
        ("a\n\rb", "a\n\nb"),                       // LF then CR: two line ends
        ("a  \nb\t\n", "a\nb\n"),                   // trailing spaces and tab trimmed
        ("سطر\u{00A0}", "سطر"),                     // trailing no-break space trimmed
        ("a \u{00A0}\t \r\n", "a\n"),               // mixed trailing blanks, then CRLF
        ("  مسافة في البداية", "  مسافة في البداية"), // leading spaces kept
        ("a\t \tb", "a\t \tb"),                     // blanks inside a line kept
        ("a\n\n\nb", "a\n\n\nb"),                   // blank lines kept
        ("a\n   \nb", "a\n\nb"),                    // a line of spaces becomes blank, not removed
        ("نص  \r\nثان \r", "نص\nثان\n"),            // Arabic lines with trailing blanks and CR endings
        ("", ""),                                   // empty
        ("\n", "\n"),                               // one blank line
        ("كَلِمَة ", "كَلِمَة"),                     // diacritics kept, trailing space trimmed
    ])
    func cleans(_ input: String, _ expected: String) {
        let cleaned = TextCleanup.clean(input)
        // Compared as bytes so a changed scalar cannot hide behind canonical equivalence.
        #expect(Array(cleaned.utf8) == Array(expected.utf8), "input: \(input.debugDescription) got: \(cleaned.debugDescription)")
    }

    /// A CR just before a CRLF (CR CR LF, left by a double line-ending conversion) is two line ends.
    @Test(arguments: [
        ("a\r\r\nb", "a\n\nb"),         // CR CR LF
        ("a\r\r\r\nb", "a\n\n\nb"),   // CR CR CR LF
        ("عنوان\r\r\nنص", "عنوان\n\nنص"), // between Arabic lines
    ])
    func cleansCarriageReturnBeforeCRLF(_ input: String, _ expected: String) {
        let cleaned = TextCleanup.clean(input)
        #expect(Array(cleaned.utf8) == Array(expected.utf8), "input: \(input.debugDescription) got: \(cleaned.debugDescription)")
    }
}
