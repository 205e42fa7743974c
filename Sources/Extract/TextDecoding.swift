/// Decodes a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. Anything else is refused with
/// the offset of the first bad byte, never guessed into mojibake.
enum TextDecoding {
    struct Failure: Error { var reason: String }

    static func decode(_ bytes: [UInt8]) -> Result<(text: String, encoding: String), Failure> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return utf8(bytes, from: 3).map { ($0, "UTF-8 with BOM") }
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf16(bytes, bigEndian: false).map { ($0, "UTF-16LE") } }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf16(bytes, bigEndian: true).map { ($0, "UTF-16BE") } }
        return utf8(bytes, from: 0).map { ($0, "UTF-8") }
    }

    private static func utf8(_ bytes: [UInt8], from start: Int) -> Result<String, Failure> {
        let body = bytes[start...]
        if let text = String(validating: body, as: UTF8.self) {
            if let nul = text.utf8.firstIndex(of: 0) {
                let offset = text.utf8.distance(from: text.utf8.startIndex, to: nul) + start
                return .failure(Failure(reason: "contains a NUL byte at offset \(offset) (line \(line(of: offset, in: bytes))): binary data, not text"))
            }
            return .success(text)
        }
        let offset = firstInvalidUTF8Offset(bytes, from: start)
        return .failure(Failure(reason: "not valid UTF-8: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset) "
            + "(line \(line(of: offset, in: bytes))) starts no valid sequence; the file is in another encoding or damaged"))
    }

    private static func utf16(_ bytes: [UInt8], bigEndian: Bool) -> Result<String, Failure> {
        guard bytes.count % 2 == 0 else {
            return .failure(Failure(reason: "UTF-16 byte order mark, but an odd number of bytes (\(bytes.count)): the file is cut short"))
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2 - 1)
        var index = 2
        while index < bytes.count {
            let unit = bigEndian ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]) : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            units.append(unit)
            index += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            return .failure(Failure(reason: "UTF-16 byte order mark, but the text has an unpaired surrogate"))
        }
        if text.utf8.contains(0) { return .failure(Failure(reason: "contains a NUL character: binary data, not text")) }
        return .success(text)
    }

    /// Offset of the first byte that does not begin a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count,
                  String(validating: bytes[index..<index + length], as: UTF8.self) != nil else { return index }
            index += length
        }
        return bytes.count - 1
    }

    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }
}

/// Cleanup that keeps meaning: line endings unified, trailing spaces trimmed.
enum TextCleanup {
    /// CRLF and lone CR become LF; spaces, tabs and no-break spaces at the end of a line are removed.
    ///
    /// Works on Unicode scalars: as `Character`s, `"\r\n"` is one grapheme, and a CR left before a CRLF
    /// (CR CR LF, from a double conversion) would merge with the LF into a new CRLF.
    static func clean(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingBlanks = String.UnicodeScalarView()  // trailing-space candidates, written only if the line goes on
        var scalars = text.unicodeScalars.makeIterator()
        var lookahead = scalars.next()
        while let scalar = lookahead {
            lookahead = scalars.next()
            switch scalar {
            case "\r", "\n":
                if scalar == "\r", lookahead == "\n" { lookahead = scalars.next() }
                pendingBlanks.removeAll()
                output.append("\n")
            case " ", "\t", "\u{00A0}":
                pendingBlanks.append(scalar)
            default:
                output.append(contentsOf: pendingBlanks)
                pendingBlanks.removeAll()
                output.append(scalar)
            }
        }
        return String(output)
    }
}
