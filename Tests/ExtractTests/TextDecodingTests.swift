@testable import Extract
import Testing

/// "سلام" in UTF-8: seen U+0633, lam U+0644, alef U+0627, meem U+0645.
private let salamUTF8: [UInt8] = [0xD8, 0xB3, 0xD9, 0x84, 0xD8, 0xA7, 0xD9, 0x85]
/// "سلام" in Windows-1256, the usual legacy encoding of Arabic web dumps.
private let salamWindows1256: [UInt8] = [0xD3, 0xE1, 0xC7, 0xE3]

@Suite struct TextDecodingTests {
    @Test(arguments: [
        (salamUTF8, "سلام", "UTF-8"),                                            // plain UTF-8
        ([0x61, 0x0D, 0x0A, 0x62], "a\r\nb", "UTF-8"),                          // line endings left to cleanup
        ([], "", "UTF-8"),                                                      // no bytes: empty text
        ([0xEF, 0xBB, 0xBF] + salamUTF8, "سلام", "UTF-8 with BOM"),             // BOM removed
        ([0xEF, 0xBB, 0xBF], "", "UTF-8 with BOM"),                             // only a BOM
        ([0xFF, 0xFE, 0x33, 0x06, 0x44, 0x06, 0x27, 0x06, 0x45, 0x06], "سلام", "UTF-16LE"),  // little-endian
        ([0xFE, 0xFF, 0x06, 0x33, 0x06, 0x44, 0x06, 0x27, 0x06, 0x45], "سلام", "UTF-16BE"),  // big-endian
        ([0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE], "😀", "UTF-16LE"),               // surrogate pair
        ([0xFE, 0xFF, 0x00, 0x61, 0x00, 0x0A, 0x06, 0x27], "a\nا", "UTF-16BE"), // two lines
        ([0xFF, 0xFE], "", "UTF-16LE"),                                         // only a BOM
    ] as [([UInt8], String, String)])
    func decodes(_ bytes: [UInt8], _ text: String, _ encoding: String) {
        switch TextDecoding.decode(bytes) {
        case .success(let decoded):
            #expect(decoded.text == text, "bytes: \(hex(bytes))")
            #expect(decoded.encoding == encoding, "bytes: \(hex(bytes))")
        case .failure(let failure):
            Issue.record("bytes: \(hex(bytes)) refused: \(failure.reason)")
        }
    }

    @Test(arguments: [
        // Windows-1256 after a valid first line: byte, offset and line of the first bad byte.
        (Array("ok\n".utf8) + salamWindows1256, ["not valid UTF-8", "byte 0xD3", "offset 3", "(line 2)"]),
        (salamWindows1256, ["not valid UTF-8", "byte 0xD3", "offset 0", "(line 1)"]),   // Windows-1256 from the start
        (salamUTF8 + [0x0A] + salamWindows1256, ["byte 0xD3", "offset 9", "(line 2)"]), // UTF-8 line, then legacy bytes
        ([0xEF, 0xBB, 0xBF, 0x61, 0xFF], ["byte 0xFF", "offset 4", "(line 1)"]),        // offset counts the BOM
        ([0x61, 0x62, 0x63, 0xD8], ["byte 0xD8", "offset 3", "(line 1)"]),              // sequence cut at the end
        ([0xC0, 0x80], ["byte 0xC0", "offset 0"]),                                      // overlong encoding
        ([0xED, 0xA0, 0x80], ["byte 0xED", "offset 0"]),                                // encoded surrogate
        (Array("a\nb\nc".utf8) + [0x80], ["byte 0x80", "offset 5", "(line 3)"]),        // lone continuation byte
        ([0x61, 0x62, 0x00, 0x63], ["NUL byte", "offset 2", "(line 1)"]),               // NUL in UTF-8
        ([0xEF, 0xBB, 0xBF, 0x0A, 0x00], ["NUL byte", "offset 4", "(line 2)"]),         // NUL after a BOM, line 2
        ([0xFF, 0xFE, 0x33], ["odd number of bytes (3)"]),                              // UTF-16 cut short
        ([0xFE, 0xFF, 0x06, 0x33, 0x06], ["odd number of bytes (5)"]),                  // UTF-16BE cut short
        ([0xFF, 0xFE, 0x00, 0xD8], ["unpaired surrogate"]),                             // high surrogate alone
        ([0xFE, 0xFF, 0x00, 0x00], ["NUL character"]),                                  // NUL in UTF-16
    ] as [([UInt8], [String])])
    func refuses(_ bytes: [UInt8], _ fragments: [String]) {
        switch TextDecoding.decode(bytes) {
        case .success(let decoded):
            Issue.record("bytes: \(hex(bytes)) decoded as \(decoded.encoding): \(decoded.text.debugDescription)")
        case .failure(let failure):
            for fragment in fragments {
                #expect(failure.reason.contains(fragment), "bytes: \(hex(bytes)) reason: \(failure.reason)")
            }
        }
    }

    @Test(arguments: [
        ([0x61, 0xFF], 0, 1),                       // first bad byte after ASCII
        ([0xD8, 0xB3, 0xD3, 0xE1], 0, 2),           // after one Arabic letter
        ([0xEF, 0xBB, 0xBF, 0xD3], 3, 3),           // scanning starts after the BOM
        ([0xE2, 0x80], 0, 0),                       // three-byte lead with one continuation
        ([0xF0, 0x9F, 0x98, 0x80, 0xF5], 0, 4),     // after an emoji, F5 never starts a sequence
    ] as [([UInt8], Int, Int)])
    func findsFirstInvalidByte(_ bytes: [UInt8], _ start: Int, _ offset: Int) {
        #expect(TextDecoding.firstInvalidUTF8Offset(bytes, from: start) == offset, "bytes: \(hex(bytes))")
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
