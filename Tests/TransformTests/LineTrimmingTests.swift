import Foundation
import Testing
@testable import Transform

@Suite struct LineTrimmingTests {
    /// Lines lose at their ends what Foundation's `CharacterSet.whitespaces` holds (tab and the Zs spaces), and
    /// nothing else, exactly as `trimmingCharacters(in: .whitespaces)` did.
    @Test(arguments: [
        "  عنوان الخبر  ",                      // ASCII spaces
        "\t\tنص\t",                              // tabs
        "\u{00A0}\u{2009}\u{3000}نص\u{202F}\u{205F}",  // no-break, thin, ideographic, narrow no-break, math spaces
        "\u{200B}نص\u{200B}",                    // zero-width space: Foundation counts it as a space
        "\u{0085}نص\r",                          // NEL and CR: controls, kept
        " \u{064E}نص \u{0651}",                  // a mark after a space: the space stays with it
        "   ",                                   // blanks only
        "",                                      // nothing
        "نص",                                    // nothing to trim
    ])
    func trimsWhatFoundationTrims(_ line: String) {
        let expected = line.trimmingCharacters(in: .whitespaces)
        let trimmed = Transformer.trimmingBlanks(Substring(line))
        #expect(trimmed.unicodeScalars.elementsEqual(expected.unicodeScalars), "\(line.debugDescription) → \(trimmed.debugDescription), Foundation \(expected.debugDescription)")
    }

    /// Every scalar of the Basic Multilingual Plane, alone at either end of a word: trimmed by both or by neither.
    @Test func everyScalarIsTrimmedAsFoundationTrimsIt() {
        var differing: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let line = String(scalar) + "نص" + String(scalar)
            if line.trimmingCharacters(in: .whitespaces) != Transformer.trimmingBlanks(Substring(line)) {
                differing.append(String(value, radix: 16))
            }
        }
        #expect(differing.isEmpty, "scalars trimmed differently: \(differing)")
    }
}
