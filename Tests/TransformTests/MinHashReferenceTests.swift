import Testing
@testable import Transform

@Suite struct MinHashReferenceTests {
    /// The signature computed from every shingle of the whole token array, written out plainly: stored band
    /// keys of earlier runs must keep matching.
    static func reference(_ hasher: MinHasher, _ tokens: [String]) -> [UInt32]? {
        guard tokens.count >= hasher.shingleSize else { return nil }
        var minimums = [UInt64](repeating: .max, count: hasher.count)
        let seeds = MinHasher.referenceSeeds(hasher.count)
        for start in 0...(tokens.count - hasher.shingleSize) {
            var shingle: UInt64 = 0xcbf2_9ce4_8422_2325
            for token in tokens[start..<start + hasher.shingleSize] {
                for byte in token.utf8 { shingle = (shingle ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                shingle = (shingle ^ 0x20) &* 0x0000_0100_0000_01b3
            }
            for index in 0..<hasher.count {
                let value = MinHasher.mix(shingle ^ seeds[index])
                if value < minimums[index] { minimums[index] = value }
            }
        }
        return minimums.map { UInt32(truncatingIfNeeded: $0 >> 32) }
    }

    @Test(arguments: [0, 1, 2, 3, 4, 50, 1_000])
    func signaturesMatchThePlainDefinition(_ count: Int) {
        let words = ["قال", "الوزير", "إن", "الاجتماع", "2020", "انتهى", "covid", "١٢", "المدنيين"]
        var state: UInt64 = 42
        let tokens = (0..<count).map { _ -> String in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return words[Int(state >> 33) % words.count]
        }
        let hasher = MinHasher()
        #expect(hasher.signature(of: tokens) == Self.reference(hasher, tokens), "\(count) tokens")
    }
}

extension MinHasher {
    /// The seeds, derived here as the initializer derives them (splitmix64 from a fixed state).
    static func referenceSeeds(_ count: Int) -> [UInt64] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            return mix(state)
        }
    }
}
