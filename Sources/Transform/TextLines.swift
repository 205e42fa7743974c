import ArabicText

/// The lines of a document's text, found on its UTF-8 bytes.
///
/// The same lines as `text.split(separator: "\n", omittingEmptySubsequences: false)`, each trimmed as
/// `trimmingCharacters(in: .whitespaces)` trims it, without going through `Character`s (grapheme breaking)
/// or Foundation's `NSString`, which cost more than the rest of a line's processing.
struct TextLine {
    /// 1-based.
    var number: Int
    /// The line's bytes, without its line feed.
    var bytes: Range<Int>
    /// The bytes left once blanks are trimmed at both ends; empty for a blank line.
    var trimmed: Range<Int>
}

enum TextLines {
    /// The lines of the well-formed UTF-8 text `utf8`.
    ///
    /// A line ends at a line feed that is a `Character` of its own: a CR LF pair is one `Character`, which
    /// splitting at `"\n"` does not split.
    static func lines(_ utf8: UnsafeBufferPointer<UInt8>) -> [TextLine] {
        var lines: [TextLine] = []
        var start = 0
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x0A && (index == 0 || utf8[index - 1] != 0x0D) {
                lines.append(line(lines.count + 1, start..<index, in: utf8))
                start = index + 1
            }
            index += 1
        }
        lines.append(line(lines.count + 1, start..<utf8.count, in: utf8))
        return lines
    }

    private static func line(_ number: Int, _ bytes: Range<Int>, in utf8: UnsafeBufferPointer<UInt8>) -> TextLine {
        var lower = bytes.lowerBound
        while lower < bytes.upperBound {
            let (scalar, length) = UTF8Scalars.decode(utf8, at: lower)
            guard isBlank(scalar) else { break }
            lower += length
        }
        var upper = bytes.upperBound
        while upper > lower {
            var start = upper - 1
            while utf8[start] & 0xC0 == 0x80 { start -= 1 }  // back to the scalar's first byte
            guard isBlank(UTF8Scalars.decode(utf8, at: start).scalar) else { break }
            upper = start
        }
        return TextLine(number: number, bytes: bytes, trimmed: lower..<upper)
    }

    /// What `CharacterSet.whitespaces` holds: tab, and the space separators as Foundation lists them (its
    /// table includes U+200B zero width space).
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Unicode scalars in `utf8[range]`.
    static func scalarCount(_ utf8: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        for index in range where utf8[index] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The text of `utf8[range]`.
    static func string(_ utf8: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: utf8[range]), as: UTF8.self)
    }
}
