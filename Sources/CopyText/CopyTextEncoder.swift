/// Encodes rows in PostgreSQL's COPY text format.
///
/// One row is one line: fields separated by a tab, the row ended by a newline. Inside a field a backslash,
/// tab, newline, carriage return, backspace, form feed and vertical tab are written as backslash escapes, so
/// a field never contains a raw delimiter; SQL `NULL` is written `\N`. This is the format `COPY … FROM STDIN`
/// reads with its defaults (`FORMAT text`, tab delimiter, `\N` null), so the run directory's files can be
/// loaded by the loader or by `psql \copy` alike.
///
/// Work is done on UTF-8 bytes: Arabic text is multi-byte, and every length that leaves this module is a
/// byte count, never a `String.count`.
public enum CopyTextEncoder {
    /// The bytes written for SQL `NULL`.
    public static let nullMarker: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "N")]

    /// Appends one field, escaped, to `buffer`.
    ///
    /// - Parameters:
    ///   - field: the value, or `nil` for SQL `NULL`.
    ///   - buffer: the bytes to append to.
    @inlinable
    public static func appendField(_ field: String?, to buffer: inout [UInt8]) {
        guard var field else {
            buffer.append(contentsOf: nullMarker)
            return
        }
        field.withUTF8 { bytes in appendEscaped(bytes, to: &buffer) }
    }

    /// Appends UTF-8 bytes of a field, escaped, to `buffer`. Escaping is byte by byte, so a long field may be
    /// given in pieces cut anywhere, one call each.
    @inlinable
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        // Fast path: most fields have nothing to escape.
        if !bytes.contains(where: needsEscape) {
            buffer.append(contentsOf: bytes)
            return
        }
        // The bytes between two that need an escape are appended a run at a time.
        var runStart = 0
        for (index, byte) in bytes.enumerated() where needsEscape(byte) {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
            case 0x08: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "f"))
            case 0x0B: buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "v"))
            default: buffer.append(byte)
            }
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    /// Appends one row (fields, tab-separated, newline-terminated) to `buffer`.
    @inlinable
    public static func appendRow(_ fields: [String?], to buffer: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            appendField(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// One row as a `String`, newline included. Convenient for tests and small outputs.
    public static func encodeRow(_ fields: [String?]) -> String {
        var buffer: [UInt8] = []
        appendRow(fields, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @usableFromInline
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte < 0x0E && (byte == 0x09 || byte == 0x0A || byte == 0x0D
            || byte == 0x08 || byte == 0x0C || byte == 0x0B)
    }
}
