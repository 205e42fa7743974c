import Extract
import Testing

@Suite struct DocumentIdentityTests {
    /// A 32-byte digest whose first 8 bytes are `head` and whose other bytes are `fill`.
    private static func digest(_ head: [UInt8], fill: UInt8 = 0) -> [UInt8] {
        head + [UInt8](repeating: fill, count: 32 - head.count)
    }

    @Test(arguments: [
        (digest([0x80, 0, 0, 0, 0, 0, 0, 0x01]), Int64.min + 1),                        // sign bit set, big-endian
        (digest([0x80, 0, 0, 0, 0, 0, 0, 0]), Int64.min),                               // sign bit alone
        (digest([0, 0, 0, 0, 0, 0, 0, 0x01]), 1),                                       // last byte is the low byte
        (digest([0x01, 0, 0, 0, 0, 0, 0, 0]), 0x0100_0000_0000_0000),                   // first byte is the high byte
        (digest([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), -1),                 // all ones
        (digest([0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), Int64.max),          // largest positive
        (digest([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]), 0x0102_0304_0506_0708), // byte order
        (digest([0, 0, 0, 0, 0, 0, 0, 0], fill: 0xFF), 0),                              // bytes after the 8th ignored
        (digest([0x3E, 0xA8, 0x4A, 0x1B, 0x96, 0xA2, 0x39, 0x28]), 0x3EA8_4A1B_96A2_3928), // SHA-256 of "سلام\n"
    ] as [([UInt8], Int64)])
    func idFromDigest(_ digest: [UInt8], _ expected: Int64) {
        #expect(DocumentIdentity.id(fromSHA256: digest) == expected, "digest: \(digest.prefix(8))")
    }
}
