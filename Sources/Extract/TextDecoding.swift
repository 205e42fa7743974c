import Foundation

/// The character encodings extract reads.
public enum TextEncoding: String, CaseIterable, Sendable {
    case utf8 = "UTF-8"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case windows1256 = "windows-1256"
    case iso88596 = "ISO-8859-6"
    case cp720 = "CP720"

    /// Parses a name as given to `--encoding` (case and `-`/`_` do not matter; `cp1256` is windows-1256).
    public init?(argument: String) {
        let key = argument.lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "utf-8", "utf8": self = .utf8
        case "utf-16le", "utf16le": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        case "windows-1256", "cp1256", "win1256": self = .windows1256
        case "iso-8859-6", "iso8859-6", "arabic": self = .iso88596
        case "cp720", "ibm720": self = .cp720
        default: return nil
        }
    }

    var legacy: LegacyEncoding? {
        switch self {
        case .windows1256: .windows1256
        case .iso88596: .iso88596
        case .cp720: .cp720
        default: nil
        }
    }
}

/// Decodes a file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy Arabic code page
/// when the bytes are not UTF-8 and one of them makes plausible Arabic of them. Anything else is refused with
/// the offset of the first bad byte, never guessed into mojibake.
enum TextDecoding {
    struct Failure: Error { var reason: String }

    /// - Parameter forced: decode with this encoding only (`--encoding`), without detection.
    static func decode(_ bytes: [UInt8], forced: TextEncoding? = nil) -> Result<(text: String, encoding: String), Failure> {
        if let forced {
            return decode(bytes, as: forced).map { ($0, forced.rawValue + " (forced)") }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return utf8(bytes, from: 3).map { ($0, "UTF-8 with BOM") }
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf16(bytes, bigEndian: false, from: 2).map { ($0, "UTF-16LE") } }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf16(bytes, bigEndian: true, from: 2).map { ($0, "UTF-16BE") } }
        let asUTF8 = utf8(bytes, from: 0)
        guard case .failure(let failure) = asUTF8 else { return asUTF8.map { ($0, "UTF-8") } }
        if let nul = bytes.firstIndex(of: 0) {  // binary, whatever the code page
            return .failure(Failure(reason: "contains a NUL byte at offset \(nul) (line \(line(of: nul, in: bytes))): binary data, not text"))
        }
        if let (encoding, text) = LegacyEncodingDetector.detect(bytes) {
            return .success((text, encoding.rawValue))
        }
        return .failure(Failure(reason: failure.reason + ", nor plausible Arabic in windows-1256, ISO-8859-6 or CP720"))
    }

    static func decode(_ bytes: [UInt8], as encoding: TextEncoding) -> Result<String, Failure> {
        switch encoding {
        case .utf8:
            return utf8(bytes, from: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
        case .utf16LE:
            return utf16(bytes, bigEndian: false, from: bytes.starts(with: [0xFF, 0xFE]) ? 2 : 0)
        case .utf16BE:
            return utf16(bytes, bigEndian: true, from: bytes.starts(with: [0xFE, 0xFF]) ? 2 : 0)
        case .windows1256, .iso88596, .cp720:
            if let nul = bytes.firstIndex(of: 0) {
                return .failure(Failure(reason: "contains a NUL byte at offset \(nul) (line \(line(of: nul, in: bytes))): binary data, not text"))
            }
            guard let text = encoding.legacy!.decode(bytes) else {
                return .failure(Failure(reason: "has bytes that \(encoding.rawValue) does not define"))
            }
            return .success(text)
        }
    }

    private static func utf8(_ bytes: [UInt8], from start: Int) -> Result<String, Failure> {
        let body = bytes[start...]
        if let text = String(validating: body, as: UTF8.self) {
            if let nul = body.firstIndex(of: 0) {
                return .failure(Failure(reason: "contains a NUL byte at offset \(nul) (line \(line(of: nul, in: bytes))): binary data, not text"))
            }
            return .success(text)
        }
        let offset = firstInvalidUTF8Offset(bytes, from: start)
        return .failure(Failure(reason: "not valid UTF-8: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset) "
            + "(line \(line(of: offset, in: bytes))) starts no valid sequence"))
    }

    private static func utf16(_ bytes: [UInt8], bigEndian: Bool, from start: Int) -> Result<String, Failure> {
        guard (bytes.count - start) % 2 == 0 else {
            return .failure(Failure(reason: "UTF-16, but an odd number of bytes (\(bytes.count)): the file is cut short"))
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var index = start
        while index < bytes.count {
            let unit = bigEndian ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]) : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            units.append(unit)
            index += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            return .failure(Failure(reason: "UTF-16, but the text has an unpaired surrogate"))
        }
        if let nul = units.firstIndex(of: 0) {
            return .failure(Failure(reason: "contains a NUL character at offset \(start + nul * 2): binary data, not text"))
        }
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

/// Cleanup that keeps meaning: Unicode NFKC (Arabic presentation forms and ligatures back to their letters),
/// zero-width and bidi controls removed, Unicode spaces made plain, line endings unified, trailing spaces
/// trimmed.
public enum TextCleanup {
    /// Invisible controls removed: zero-width space and joiners, direction marks and embeddings, isolates,
    /// the Arabic letter mark, and a byte order mark anywhere in the text.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0xFEFF: true
        default: false
        }
    }

    /// Spaces other than U+0020 (no-break, en/em, thin, ideographic …), made plain.
    static func isOtherSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00A0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// The cleaned text extract gives transform for `text` (the decoded file).
    ///
    /// The text is cleaned a piece of about `pieceSize` bytes (1 MiB) at a time, each cut just before an ASCII
    /// character (which never combines with what precedes it, so the pieces normalize as the whole would), into
    /// one output: Foundation's NFKC goes through UTF-16 copies of its input, which for a one-line article of
    /// 200 MB cost gigabytes when done whole.
    public static func clean(_ text: String, pieceSize: Int = 1 << 20) -> String {
        var unifier = LineUnifier(capacity: text.utf8.count)
        var start = text.utf8.startIndex
        while start < text.utf8.endIndex {
            let end = pieceEnd(in: text.utf8, from: start, pieceSize: pieceSize)
            let piece = start == text.utf8.startIndex && end == text.utf8.endIndex ? text : String(Substring(text.utf8[start..<end]))
            unifier.feed(piece.precomposedStringWithCompatibilityMapping)
            start = end
        }
        return String(unifier.output)
    }

    /// Where the piece starting at `start` ends: at the first ASCII byte after `pieceSize` bytes (the end of
    /// the text when there is none, so text without ASCII is normalized whole).
    static func pieceEnd(in utf8: String.UTF8View, from start: String.Index, pieceSize: Int) -> String.Index {
        guard var index = utf8.index(start, offsetBy: pieceSize, limitedBy: utf8.endIndex) else { return utf8.endIndex }
        while index < utf8.endIndex && utf8[index] >= 0x80 { utf8.formIndex(after: &index) }
        return index
    }

    /// CRLF and lone CR become LF; controls removed; spaces made plain; trailing blanks removed.
    ///
    /// Works on Unicode scalars: as `Character`s, `"\r\n"` is one grapheme, and a CR left before a CRLF
    /// (CR CR LF, from a double conversion) would merge with the LF into a new CRLF.
    ///
    /// - Complexity: O(*n*) in the scalars of `text`. (Appending one `UnicodeScalarView` to another copied
    ///   the whole output each time, which made a long line with many spaces quadratic: a 20 MB one-line
    ///   article never finished.)
    static func unifyLines(_ text: String) -> String {
        var unifier = LineUnifier(capacity: text.utf8.count)
        unifier.feed(text)
        return String(unifier.output)
    }

    /// ``unifyLines(_:)`` over text given in pieces: the state (trailing blanks, a CR that may be followed by
    /// an LF) carries from one piece to the next.
    struct LineUnifier {
        var output = String.UnicodeScalarView()
        private var pendingBlanks: [Unicode.Scalar] = []  // trailing-space candidates, written only if the line goes on
        private var afterCR = false  // the last scalar read was a CR: an LF right after it ends the same line

        /// - Parameter capacity: the input's size in bytes; the output is never longer (before NFKC expands
        ///   a ligature), so it is reserved once instead of doubling.
        init(capacity: Int) { output.reserveCapacity(capacity) }

        mutating func feed(_ text: String) {
            for scalar in text.unicodeScalars {
                if afterCR {
                    afterCR = false
                    if scalar == "\n" { continue }
                }
                if TextCleanup.isInvisibleControl(scalar) { continue }
                switch scalar {
                case "\r", "\n":
                    afterCR = scalar == "\r"
                    pendingBlanks.removeAll(keepingCapacity: true)
                    output.append("\n")
                case " ", "\t":
                    pendingBlanks.append(scalar)
                case _ where TextCleanup.isOtherSpace(scalar):
                    pendingBlanks.append(" ")
                default:
                    for blank in pendingBlanks { output.append(blank) }
                    pendingBlanks.removeAll(keepingCapacity: true)
                    output.append(scalar)
                }
            }
        }
    }
}
