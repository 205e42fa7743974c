import CopyText
import Testing
import TestSupport

@Suite struct CopyTextRoundTripTests {
    /// Pieces fields are made of: every escaped byte, look-alikes of escapes, Arabic, emoji.
    private static let pieces: [String] = [
        "a", "Z", "0", " ", "\t", "\n", "\r", "\r\n", "\\", "\\N", "N", "\\t", "x41", "\\101",
        "\u{08}", "\u{0C}", "\u{0B}", "\u{07}", "\u{1B}",
        "ا", "ل", "ـ", "َ", "ّ", "ة", "أ", "٣", "،", "؟", "“", "”", "«", "\u{200F}", "\u{00A0}",
        "😀", "👩‍👩‍👧", "é", "e\u{0301}", "2.5", "4/6/2020", ".",
    ]

    private static func field(_ generator: inout SeededGenerator) -> String? {
        if Int.random(in: 0..<6, using: &generator) == 0 { return nil }
        var text = ""
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            text += pieces.randomElement(using: &generator)!
        }
        return text
    }

    private static func bytes(_ row: [String?]) -> [[UInt8]?] {
        row.map { field in field.map { Array($0.utf8) } }
    }

    @Test func encodeThenDecodeIsIdentity() throws {
        var generator = SeededGenerator(seed: 20_200_604)
        for _ in 0..<3_000 {
            let row = (0..<Int.random(in: 1...6, using: &generator)).map { _ in Self.field(&generator) }
            var line: [UInt8] = []
            CopyTextEncoder.appendRow(row, to: &line)
            // One line: a newline only at the end, one raw tab between fields.
            #expect(line.last == 0x0A, "row: \(row)")
            #expect(line.dropLast().contains(0x0A) == false, "row: \(row)")
            #expect(line.dropLast().contains(0x0D) == false, "row: \(row)")
            #expect(line.filter { $0 == 0x09 }.count == row.count - 1, "row: \(row)")
            // Compared as bytes: String equality would let canonically equivalent forms pass.
            #expect(Self.bytes(try CopyTextDecoder.decodeRow(line)) == Self.bytes(row), "row: \(row)")
            #expect(Self.bytes(try CopyTextDecoder.decodeRow(line.dropLast())) == Self.bytes(row), "row: \(row)")
        }
    }

    @Test(arguments: [
        [Optional("\\N")],              // the text \N
        [Optional<String>.none],        // NULL
        [Optional("")],                 // empty string
        [Optional(""), nil, ""],        // empty strings around a NULL
        [Optional("\\"), "\\\\", "\t"], // backslashes and a tab
        [Optional("سطر\nسطر")],         // Arabic with a line break
    ])
    func edgeRowsRoundTrip(_ row: [String?]) throws {
        #expect(try CopyTextDecoder.decodeRow(CopyTextEncoder.encodeRow(row)) == row, "row: \(row)")
    }
}
