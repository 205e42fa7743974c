@testable import Extract
import Foundation
import RunArtifacts
import Testing
import TestSupport

/// What a one-line article of many megabytes goes through in pieces (cleanup, run files) gives the same bytes
/// as when it is taken whole. The pieces are a megabyte; here they are a few bytes, so every kind of cut is met.
@Suite struct LongLineTests {
    /// Cleanup in pieces equals cleanup of the whole text: NFKC and line ends across the cuts.
    @Test(arguments: [
        ("كلمة ", "Arabic words: a cut before every space"),
        ("ﻻ ﷲ ﻹ\u{FEFB}x", "presentation forms and ligatures next to the cuts"),
        ("سطر\r\n", "CRLF: a cut may fall between CR and LF"),
        ("نص  \t\r\r\n \u{00A0}", "trailing blanks and CR CR LF around the cuts"),
        ("e\u{0301}\u{0651}\u{064E} ", "combining marks after a letter, before a space"),
        ("\u{200F}\u{FEFF}ab\u{202B}", "controls removed on either side of a cut"),
    ])
    func cleanupInPiecesEqualsCleanupWhole(_ unit: String, _ label: String) {
        let text = String(repeating: unit, count: 40)
        let whole = TextCleanup.unifyLines(text.precomposedStringWithCompatibilityMapping)
        for pieceSize in [1, 2, 3, 5, 8, 13, 64] {
            let pieces = TextCleanup.clean(text, pieceSize: pieceSize)
            #expect(pieces.utf8.elementsEqual(whole.utf8), "\(label), pieces of \(pieceSize): \(pieces.debugDescription) vs \(whole.debugDescription)")
        }
        #expect(TextCleanup.clean(text).utf8.elementsEqual(whole.utf8), "\(label), one piece")
    }

    /// Text with no ASCII at all has no place to cut: it is cleaned whole.
    @Test func textWithoutASCIIIsOnePiece() {
        let text = String(repeating: "ﻻ", count: 100)
        #expect(TextCleanup.pieceEnd(in: text.utf8, from: text.utf8.startIndex, pieceSize: 8) == text.utf8.endIndex)
        #expect(TextCleanup.clean(text, pieceSize: 8) == String(repeating: "لا", count: 100))
    }

    /// A record with long fields (escapes across the slices it is written and read in) is read back whole, with
    /// the rows around it, in order; a bad line after it throws only after the rows before it were handed over.
    @Test func runFilesCarryFieldsOfMegabytes() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("extract/documents.tsv")
            var big = ""
            var unit = 0
            while big.utf8.count < 5_000 {
                big += ["خبر\t", "سطر\n", "\\N", "\\", "\r", "كلمة ", "x"][unit % 7]
                unit += 1
            }
            func document(_ id: Int64, _ text: String) -> ExtractedDocument {
                ExtractedDocument(documentID: id, contentSHA256: String(repeating: "ab", count: 32), sourcePath: "wire/\(id).txt", sourceName: "wire",
                                  encoding: "UTF-8", byteSize: text.utf8.count, fileModifiedAt: nil, rawText: text, text: text)
            }
            let written = [document(1, "قبل"), document(2, big), document(3, "بعد")]
            let writer = try RunFileWriter<ExtractedDocument>(url: url, flushSize: 16)
            for record in written { try writer.write(record) }
            try writer.finish()

            for chunkSize in [1, 7, 64, 1 << 20] {
                var read: [ExtractedDocument] = []
                try RunFileReader(url: url, chunkSize: chunkSize).forEach(ExtractedDocument.self) { read.append($0) }
                #expect(read == written, "chunks of \(chunkSize)")
            }

            // A line that is not a record after the big one: the records before it are handed over first.
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("not a record\n".utf8))
            try handle.close()
            var before: [Int64] = []
            #expect(throws: RunFileError.self) {
                try RunFileReader(url: url, chunkSize: 64).forEach(ExtractedDocument.self) { before.append($0.documentID) }
            }
            #expect(before == [1, 2, 3])
        }
    }
}
