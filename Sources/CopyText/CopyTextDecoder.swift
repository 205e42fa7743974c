/// A COPY text line that cannot be decoded.
public struct CopyTextDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words.
    public var reason: String
    /// Zero-based byte offset in the line where the problem starts.
    public var offset: Int

    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason) at byte \(offset)" }
}

/// Decodes rows written in PostgreSQL's COPY text format (the inverse of ``CopyTextEncoder``).
///
/// Accepts every escape PostgreSQL writes or reads: `\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\ooo`,
/// hex `\xhh`, any other escaped character as itself, and `\N` alone as SQL `NULL`.
public enum CopyTextDecoder {
    /// Splits one line (without its terminating newline) into fields.
    ///
    /// - Throws: ``CopyTextDecodingError`` when the line ends inside an escape or decodes to invalid UTF-8.
    public static func decodeRow(_ line: some Collection<UInt8>) throws(CopyTextDecodingError) -> [String?] {
        let result = line.withContiguousStorageIfAvailable { decodeRow(bytes: $0) }
            ?? Array(line).withUnsafeBufferPointer { decodeRow(bytes: $0) }
        return try result.get()
    }

    /// Decodes a line's bytes. The bytes between escapes are copied a run at a time, and a field without an
    /// escape is made into a `String` straight from the line.
    private static func decodeRow(bytes line: UnsafeBufferPointer<UInt8>) -> Result<[String?], CopyTextDecodingError> {
        var end = line.count
        if end > 0 && line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        var fields: [String?] = []
        var field: [UInt8] = []  // the decoded bytes of a field that holds an escape
        var index = 0
        while true {
            let fieldStart = index
            var runStart = index
            var hasEscape = false
            var isNull = false
            field.removeAll(keepingCapacity: true)
            while index < end {
                let byte = line[index]
                if byte == UInt8(ascii: "\t") { break }
                guard byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                hasEscape = true
                field.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart..<index]))
                guard index + 1 < end else {
                    return .failure(CopyTextDecodingError(reason: "line ends inside a backslash escape", offset: index))
                }
                let escaped = line[index + 1]
                switch escaped {
                case UInt8(ascii: "N"):
                    // `\N` is NULL only as the whole field.
                    if index == fieldStart && (index + 2 == end || line[index + 2] == UInt8(ascii: "\t")) {
                        isNull = true
                    } else {
                        field.append(escaped)
                    }
                    index += 2
                case UInt8(ascii: "t"): field.append(0x09); index += 2
                case UInt8(ascii: "n"): field.append(0x0A); index += 2
                case UInt8(ascii: "r"): field.append(0x0D); index += 2
                case UInt8(ascii: "b"): field.append(0x08); index += 2
                case UInt8(ascii: "f"): field.append(0x0C); index += 2
                case UInt8(ascii: "v"): field.append(0x0B); index += 2
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = 0
                    var digits = 0
                    var cursor = index + 1
                    while digits < 3, cursor < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[cursor]) {
                        value = value * 8 + Int(line[cursor] - UInt8(ascii: "0"))
                        digits += 1
                        cursor += 1
                    }
                    field.append(UInt8(truncatingIfNeeded: value))
                    index = cursor
                case UInt8(ascii: "x"):
                    var value = 0
                    var digits = 0
                    var cursor = index + 2
                    while digits < 2, cursor < end, let digit = hexValue(line[cursor]) {
                        value = value * 16 + digit
                        digits += 1
                        cursor += 1
                    }
                    if digits == 0 {
                        field.append(escaped)  // `\x` without digits is a plain x, as PostgreSQL reads it
                        index += 2
                    } else {
                        field.append(UInt8(value))
                        index = cursor
                    }
                default:
                    field.append(escaped)
                    index += 2
                }
                runStart = index
            }
            if isNull {
                fields.append(nil)
            } else {
                let text: String?
                if hasEscape {
                    field.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart..<index]))
                    text = String(validating: field, as: UTF8.self)
                } else {
                    text = String(validating: UnsafeBufferPointer(rebasing: line[fieldStart..<index]), as: UTF8.self)
                }
                guard let text else {
                    return .failure(CopyTextDecodingError(reason: "field \(fields.count + 1) is not valid UTF-8", offset: fieldStart))
                }
                fields.append(text)
            }
            if index >= end { return .success(fields) }
            index += 1  // the tab
        }
    }

    /// Decodes one line given as a `String` (convenience for tests and small inputs).
    public static func decodeRow(_ line: String) throws(CopyTextDecodingError) -> [String?] {
        try decodeRow(Array(line.utf8))
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
