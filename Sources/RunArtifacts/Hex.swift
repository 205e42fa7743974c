extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte: how hashes are written in run files (`decode(…, 'hex')` reads them).
    public var lowercaseHex: String {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits.utf8Start[Int(byte >> 4)])
            text.append(digits.utf8Start[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// A SHA-256 digest as four words: a compact, hashable key for sets of millions of contents.
public struct ContentHash: Hashable, Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    /// Reads 64 hex digits; anything else gives a key that matches no real digest.
    public init(hex: String) {
        var text = hex
        words = text.withUTF8 { digits in
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            for index in 0..<min(64, digits.count) {
                let byte = digits[index]
                let digit: UInt64 = switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
                default: 0
                }
                Self.shift(&words, in: digit, bits: 4, at: index >> 4)
            }
            return words
        }
    }

    /// The digest's 32 bytes (the same key as their hex digits).
    public init(digest: [UInt8]) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for index in 0..<min(32, digest.count) {
            Self.shift(&words, in: UInt64(digest[index]), bits: 8, at: index >> 3)
        }
        self.words = words
    }

    private static func shift(_ words: inout (UInt64, UInt64, UInt64, UInt64), in value: UInt64, bits: UInt64, at word: Int) {
        switch word {
        case 0: words.0 = words.0 << bits | value
        case 1: words.1 = words.1 << bits | value
        case 2: words.2 = words.2 << bits | value
        default: words.3 = words.3 << bits | value
        }
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
