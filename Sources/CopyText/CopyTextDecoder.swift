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
        // Read in place when the bytes are contiguous (an array or a slice of one): a line of hundreds of
        // megabytes is not copied first.
        let decoded: Result<[String?], CopyTextDecodingError>? = line.withContiguousStorageIfAvailable { buffer in
            Result { () throws(CopyTextDecodingError) in try decodeRow(buffer: buffer) }
        }
        if let decoded { return try decoded.get() }
        return try Array(line).withUnsafeBufferPointer { buffer in
            Result { () throws(CopyTextDecodingError) in try decodeRow(buffer: buffer) }
        }.get()
    }

    private static func decodeRow(buffer: UnsafeBufferPointer<UInt8>) throws(CopyTextDecodingError) -> [String?] {
        var fields: [String?] = []
        var field: [UInt8] = []
        var fieldIsNull = false
        var fieldStart = 0
        let bytes = buffer.last == UInt8(ascii: "\n") ? UnsafeBufferPointer(rebasing: buffer.dropLast()) : buffer
        var index = 0
        var lastFieldDone = false

        func finishField() throws(CopyTextDecodingError) {
            if fieldIsNull {
                fields.append(nil)
            } else {
                guard let text = String(validating: field, as: UTF8.self) else {
                    throw CopyTextDecodingError(reason: "field \(fields.count + 1) is not valid UTF-8", offset: fieldStart)
                }
                fields.append(text)
            }
            field.removeAll(keepingCapacity: true)
            fieldIsNull = false
        }

        while index < bytes.count {
            // A field without a backslash (most of them) becomes a string straight from the line's bytes.
            if index == fieldStart && field.isEmpty && !fieldIsNull {
                var end = index
                while end < bytes.count && bytes[end] != UInt8(ascii: "\t") && bytes[end] != UInt8(ascii: "\\") { end += 1 }
                if end == bytes.count || bytes[end] == UInt8(ascii: "\t") {
                    guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self) else {
                        throw CopyTextDecodingError(reason: "field \(fields.count + 1) is not valid UTF-8", offset: fieldStart)
                    }
                    fields.append(text)
                    if end == bytes.count {
                        lastFieldDone = true
                        break
                    }
                    index = end + 1
                    fieldStart = index
                    continue
                }
                field.append(contentsOf: bytes[index..<end])  // up to the first backslash; the rest byte by byte
                index = end
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\t") {
                try finishField()
                index += 1
                fieldStart = index
                continue
            }
            guard byte == UInt8(ascii: "\\") else {
                field.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else {
                throw CopyTextDecodingError(reason: "line ends inside a backslash escape", offset: index)
            }
            let escaped = bytes[index + 1]
            switch escaped {
            case UInt8(ascii: "N"):
                // `\N` is NULL only as the whole field.
                let fieldEnd = index + 2 == bytes.count || bytes[index + 2] == UInt8(ascii: "\t")
                if field.isEmpty && index == fieldStart && fieldEnd {
                    fieldIsNull = true
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
                while digits < 3, cursor < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[cursor]) {
                    value = value * 8 + Int(bytes[cursor] - UInt8(ascii: "0"))
                    digits += 1
                    cursor += 1
                }
                field.append(UInt8(truncatingIfNeeded: value))
                index = cursor
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                var cursor = index + 2
                while digits < 2, cursor < bytes.count, let digit = hexValue(bytes[cursor]) {
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
        }
        if !lastFieldDone { try finishField() }
        return fields
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
