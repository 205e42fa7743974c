extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte: how hashes are written in run files (`decode(…, 'hex')` reads them).
    public var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// A SHA-256 digest as four words: a compact, hashable key for sets of millions of contents.
public struct ContentHash: Hashable, Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    /// Reads 64 hex digits; anything else gives a key that matches no real digest.
    public init(hex: String) {
        var values: [UInt64] = [0, 0, 0, 0]
        var index = 0
        for byte in hex.utf8.prefix(64) {
            let digit: UInt64 = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
            default: 0
            }
            values[index / 16] = values[index / 16] << 4 | digit
            index += 1
        }
        words = (values[0], values[1], values[2], values[3])
    }

    public static func == (lhs: ContentHash, rhs: ContentHash) -> Bool { lhs.words == rhs.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The 64 lower-case hex digits.
    public var hex: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return bytes.lowercaseHex
    }
}
