/// MinHash signatures over word shingles, for finding near-duplicate documents.
///
/// The signature of a document is, for each of `count` hash functions, the smallest hash of its word
/// 3-shingles; the share of equal positions between two signatures estimates the Jaccard similarity of their
/// shingle sets. Signatures are cut into bands whose keys find candidate pairs without comparing every pair.
public struct MinHasher: Sendable {
    /// Hash functions in a signature.
    public let count: Int
    /// Words per shingle.
    public let shingleSize: Int
    /// Rows per band (``count`` must be a multiple of it).
    public let bandRows: Int
    private let seeds: [UInt64]

    public init(count: Int = 64, shingleSize: Int = 3, bandRows: Int = 4) {
        precondition(count > 0 && bandRows > 0 && count % bandRows == 0, "the signature must split into whole bands")
        self.count = count
        self.shingleSize = shingleSize
        self.bandRows = bandRows
        // Fixed seeds from a splitmix64 sequence: signatures are the same in every run and release.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        seeds = (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            return Self.mix(state)
        }
    }

    /// The signature of a token sequence; nil when it has fewer tokens than a shingle.
    public func signature(of tokens: [String]) -> [UInt32]? {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for token in tokens {
            bytes += token.utf8
            ends.append(bytes.count)
        }
        return signature(tokenBytes: bytes, ends: ends)
    }

    /// The signature of the token sequence whose UTF-8 bytes are `bytes`, token `i` ending at `ends[i]`
    /// (the next starting there): the same as ``signature(of:)`` without a `String` per token.
    public func signature(tokenBytes bytes: [UInt8], ends: [Int]) -> [UInt32]? {
        guard ends.count >= shingleSize else { return nil }
        var minimums = [UInt64](repeating: .max, count: count)
        bytes.withUnsafeBufferPointer { bytes in
            minimums.withUnsafeMutableBufferPointer { minimums in
                seeds.withUnsafeBufferPointer { seeds in
                    for first in 0...(ends.count - shingleSize) {
                        var shingle: UInt64 = 0xcbf2_9ce4_8422_2325
                        for token in first..<first + shingleSize {
                            for byte in bytes[(token == 0 ? 0 : ends[token - 1])..<ends[token]] {
                                shingle = (shingle ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
                            }
                            shingle = (shingle ^ 0x20) &* 0x0000_0100_0000_01b3
                        }
                        // Branch-free, so the compiler can run the hashes side by side in vector registers.
                        for index in 0..<minimums.count {
                            minimums[index] = Swift.min(minimums[index], Self.mix(shingle ^ seeds[index]))
                        }
                    }
                }
            }
        }
        return minimums.map { UInt32(truncatingIfNeeded: $0 >> 32) }
    }

    /// Estimated Jaccard similarity: the share of positions where the signatures agree.
    public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    /// One key per band: documents sharing a key are candidates.
    public func bandKeys(_ signature: [UInt32]) -> [Int64] {
        stride(from: 0, to: signature.count, by: bandRows).map { start in
            var key = UInt64(start / bandRows) &* 0x9E37_79B9_7F4A_7C15
            for value in signature[start..<start + bandRows] { key = Self.mix(key ^ UInt64(value)) }
            return Int64(bitPattern: key)
        }
    }

    /// splitmix64's finalizer: a fast, well-mixed 64-bit hash.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
