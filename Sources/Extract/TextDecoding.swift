import ArabicText
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
    /// Text that passes NFKC's quick check is its own NFKC (most articles). Other text is normalized a piece of
    /// about `pieceSize` bytes (1 MiB) at a time, each cut just before an ASCII character (which never combines
    /// with what precedes it, so the pieces normalize as the whole would): Foundation's NFKC goes through UTF-16
    /// copies of its input, which for a one-line article of 200 MB cost gigabytes when done whole.
    public static func clean(_ text: String, pieceSize: Int = 1 << 20) -> String {
        if UTF8Scalars.withUTF8(text, { passesNFKCQuickCheck($0) }) { return unifyLines(text) }
        var composed = ""
        composed.reserveCapacity(text.utf8.count)
        var start = text.utf8.startIndex
        while start < text.utf8.endIndex {
            let end = pieceEnd(in: text.utf8, from: start, pieceSize: pieceSize)
            let piece = start == text.utf8.startIndex && end == text.utf8.endIndex ? text : String(Substring(text.utf8[start..<end]))
            composed += piece.precomposedStringWithCompatibilityMapping
            start = end
        }
        return unifyLines(composed)
    }

    /// Where the piece starting at `start` ends: at the first ASCII byte after `pieceSize` bytes (the end of
    /// the text when there is none, so text without ASCII is normalized whole).
    static func pieceEnd(in utf8: String.UTF8View, from start: String.Index, pieceSize: Int) -> String.Index {
        guard var index = utf8.index(start, offsetBy: pieceSize, limitedBy: utf8.endIndex) else { return utf8.endIndex }
        while index < utf8.endIndex && utf8[index] >= 0x80 { utf8.formIndex(after: &index) }
        return index
    }

    /// Whether NFKC leaves `utf8` as it is, by Unicode's quick check: every scalar is its own NFKC and can
    /// compose with no preceding character (NFKC_QC=Yes), and the combining marks after each starter come in
    /// canonical order. Answered from tables for U+0000…U+07FF and U+2000…U+206F; any other scalar answers no.
    static func passesNFKCQuickCheck(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        var lastClass: Int16 = 0
        while index < utf8.count {
            if utf8[index] < 0x80 {
                lastClass = 0
                index += 1
                continue
            }
            let (scalar, length) = UTF8Scalars.decode(utf8, at: index)
            let value = Int(scalar.value)
            let combiningClass: Int16
            if value < 0x800 {
                combiningClass = quickCheckTable[value]
            } else if value >= 0x2000 && value < 0x2070 {
                combiningClass = quickCheckPunctuation[value - 0x2000]
            } else {
                return false
            }
            guard combiningClass >= 0, combiningClass == 0 || combiningClass >= lastClass else { return false }
            lastClass = combiningClass
            index += length
        }
        return true
    }

    /// For each scalar below U+0800: its canonical combining class when it is NFKC_QC=Yes (its own NFKC,
    /// and not the second part of a canonical composition), else -1.
    private static let quickCheckTable: [Int16] = (0..<0x800).map { quickCheck(UInt32($0)) }

    /// The same for U+2000…U+206F, general punctuation (dashes, quotes, ellipsis).
    private static let quickCheckPunctuation: [Int16] = (0x2000..<0x2070).map { quickCheck(UInt32($0)) }

    /// The scalars in these ranges that compose with a preceding character (NFKC_QC=Maybe): the second parts
    /// of Unicode's canonical compositions, from its decomposition data.
    private static func composesWithPrevious(_ value: UInt32) -> Bool {
        switch value {
        case 0x0300...0x0304, 0x0306...0x030C, 0x030F, 0x0311, 0x0313...0x0314, 0x031B, 0x0323...0x0328,
             0x032D...0x032E, 0x0330...0x0331, 0x0338, 0x0342, 0x0345, 0x0653...0x0655: true
        default: false
        }
    }

    private static func quickCheck(_ value: UInt32) -> Int16 {
        if value < 0x80 { return 0 }
        guard let scalar = Unicode.Scalar(value), !composesWithPrevious(value) else { return -1 }
        switch scalar.properties.generalCategory {
        case .surrogate, .unassigned: return -1
        default: break
        }
        guard String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual([scalar]) else { return -1 }
        return Int16(scalar.properties.canonicalCombiningClass.rawValue)
    }

    /// CRLF and lone CR become LF; controls removed; spaces made plain; trailing blanks removed.
    ///
    /// Works on Unicode scalars read from the UTF-8, writing bytes: as `Character`s, `"\r\n"` is one
    /// grapheme, and a CR left before a CRLF (CR CR LF, from a double conversion) would merge with the LF
    /// into a new CRLF.
    ///
    /// - Complexity: O(*n*) in the scalars of `text`. (Appending one `UnicodeScalarView` to another copied
    ///   the whole output each time, which made a long line with many spaces quadratic: a 20 MB one-line
    ///   article never finished.)
    static func unifyLines(_ text: String) -> String {
        UTF8Scalars.withUTF8(text) { utf8 in
            var output: [UInt8] = []
            output.reserveCapacity(utf8.count)
            var pendingBlanks: [UInt8] = []  // trailing-space candidates (space or tab), written only if the line goes on
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if byte < 0x80 {
                    index += 1
                    switch byte {
                    case 0x0D, 0x0A:
                        if byte == 0x0D, index < utf8.count, utf8[index] == 0x0A { index += 1 }
                        pendingBlanks.removeAll(keepingCapacity: true)
                        output.append(0x0A)
                    case 0x20, 0x09:
                        pendingBlanks.append(byte)
                    default:
                        output.append(contentsOf: pendingBlanks)
                        pendingBlanks.removeAll(keepingCapacity: true)
                        output.append(byte)
                    }
                    continue
                }
                let (scalar, length) = UTF8Scalars.decode(utf8, at: index)
                if isInvisibleControl(scalar) {
                    index += length
                    continue
                }
                if isOtherSpace(scalar) {
                    pendingBlanks.append(0x20)
                } else {
                    output.append(contentsOf: pendingBlanks)
                    pendingBlanks.removeAll(keepingCapacity: true)
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[index..<index + length]))
                }
                index += length
            }
            return String(decoding: output, as: UTF8.self)
        }
    }
}
