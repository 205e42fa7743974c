import CopyText
import Testing

@Suite struct CopyTextDecoderTests {
    @Test(arguments: [
        ("a\tb", [Optional("a"), "b"]),                     // two fields
        ("", [Optional("")]),                               // empty line: one empty field
        ("\t", [Optional(""), ""]),                         // two empty fields
        ("a\n", [Optional("a")]),                           // the terminating newline is dropped
        ("\\N", [Optional<String>.none]),                   // \N alone is NULL
        ("\\N\t\\N", [Optional<String>.none, nil]),         // two NULLs
        ("a\t\\N", [Optional("a"), nil]),                   // NULL as the last field
        ("\\N\tb", [Optional<String>.none, "b"]),           // NULL as the first field
        ("a\\Nb", [Optional("aNb")]),                       // \N inside a field is an N
        ("\\Nb", [Optional("Nb")]),                         // \N at the start of a longer field is an N
        ("a\\N", [Optional("aN")]),                         // \N at the end of a longer field is an N
        ("\\N\\N", [Optional("NN")]),                       // two \N make a two-letter field
        ("\\\\N", [Optional("\\N")]),                       // escaped backslash then N: the text \N
        ("\\t", [Optional("\t")]),                          // tab
        ("\\n", [Optional("\n")]),                          // newline
        ("\\r", [Optional("\r")]),                          // carriage return
        ("\\b", [Optional("\u{08}")]),                      // backspace
        ("\\f", [Optional("\u{0C}")]),                      // form feed
        ("\\v", [Optional("\u{0B}")]),                      // vertical tab
        ("\\\\", [Optional("\\")]),                         // backslash
        ("\\101", [Optional("A")]),                         // octal, three digits
        ("\\1010", [Optional("A0")]),                       // octal takes at most three digits
        ("\\7", [Optional("\u{07}")]),                      // octal, one digit
        ("\\18", [Optional("\u{01}8")]),                    // 8 is not an octal digit
        ("\\330\\247", [Optional("ا")]),                    // octal bytes of alef (D8 A7)
        ("\\x41", [Optional("A")]),                         // hex, two digits
        ("\\x4g", [Optional("\u{04}g")]),                   // hex, one digit
        ("\\x414", [Optional("A4")]),                       // hex takes at most two digits
        ("\\xg", [Optional("xg")]),                         // \x without a digit is x
        ("\\xd8\\xA7", [Optional("ا")]),                    // hex bytes of alef, either case
        ("\\q", [Optional("q")]),                           // any other escaped character is itself
        ("\\.", [Optional(".")]),                           // escaped period
        ("\\سلام", [Optional("سلام")]),                     // escaped multi-byte letter is itself
        ("سلام\tعليكم", [Optional("سلام"), "عليكم"]),       // Arabic fields
        ("a\\tb\tc", [Optional("a\tb"), "c"]),              // escaped tab is data, raw tab separates
    ] as [(String, [String?])])
    func decodesRow(_ line: String, _ expected: [String?]) throws {
        #expect(try CopyTextDecoder.decodeRow(line) == expected, "line: \(line.debugDescription)")
    }

    @Test func decodesByteSlices() throws {
        // A slice of a bigger buffer, as the run file reader passes it.
        let buffer: [UInt8] = Array("skip\na\t\\N\nrest".utf8)
        #expect(try CopyTextDecoder.decodeRow(buffer[5..<9]) == ["a", nil])
    }

    @Test(arguments: [
        ("abc\\", 3),       // the last byte is a lone backslash
        ("\\", 0),          // the whole line is a backslash
        ("a\tb\\", 3),      // lone backslash in the second field
        ("a\\\\\\", 3),     // escaped backslash, then a lone one
        ("a\\\n", 1),       // the newline dropped first, then the backslash is alone
    ] as [(String, Int)])
    func refusesLoneTrailingBackslash(_ line: String, _ offset: Int) {
        #expect(throws: CopyTextDecodingError(reason: "line ends inside a backslash escape", offset: offset),
                "line: \(line.debugDescription)") {
            try CopyTextDecoder.decodeRow(line)
        }
    }

    @Test(arguments: [
        ([0x61, 0x09, 0x62, 0xFF], 2, 2),                       // raw 0xFF in field 2, which starts at byte 2
        ([0xD8], 1, 0),                                         // first byte of alef without its second
        ([0x6F, 0x6B, 0x09, 0x5C, 0x33, 0x37, 0x37], 2, 3),     // octal \377 decodes to 0xFF
        ([0x5C, 0x78, 0x64, 0x38], 1, 0),                       // hex \xd8 alone: cut sequence
        ([0x61, 0x09, 0x62, 0x09, 0xC0, 0x80], 3, 4),           // overlong NUL in field 3
    ] as [([UInt8], Int, Int)])
    func refusesInvalidUTF8(_ line: [UInt8], _ field: Int, _ offset: Int) {
        #expect(throws: CopyTextDecodingError(reason: "field \(field) is not valid UTF-8", offset: offset),
                "line: \(line)") {
            try CopyTextDecoder.decodeRow(line)
        }
    }

    @Test func errorDescriptionNamesTheOffset() {
        let error = CopyTextDecodingError(reason: "line ends inside a backslash escape", offset: 3)
        #expect(error.description == "line ends inside a backslash escape at byte 3")
    }
}
