import Extract
import Foundation
import Logging
import RunArtifacts
import Testing

/// A folder of input files under the temporary directory, removed when the test ends.
private final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-extract-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` at `path` (relative, `/`-separated), creating folders on the way.
    func write(_ path: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

private let quietLogger = Logger(label: "bayan.extract.tests") { _ in SwiftLogNoOpLogHandler() }

private func documents(in runDirectory: URL) throws -> [ExtractedDocument] {
    var rows: [ExtractedDocument] = []
    try RunFileReader(url: runDirectory.appendingPathComponent(RunFile.extractedDocuments.relativePath))
        .forEach(ExtractedDocument.self) { rows.append($0) }
    return rows
}

private func quarantine(in runDirectory: URL) throws -> [QuarantineRecord] {
    var rows: [QuarantineRecord] = []
    try RunFileReader(url: runDirectory.appendingPathComponent(RunFile.extractQuarantine.relativePath))
        .forEach(QuarantineRecord.self) { rows.append($0) }
    return rows
}

@Suite struct ExtractorTests {
    /// Bytes of every input file, by path below `input/`.
    private static let files: [(path: String, bytes: [UInt8])] = [
        ("aljazeera/2020/a.txt", Array("عنوان أول\n\nنص الخبر الأول.\n".utf8)),
        ("aljazeera/b.txt", Array("خبر ثان\n".utf8)),
        ("bbc/copy.txt", Array("عنوان أول\n\nنص الخبر الأول.\n".utf8)),                // same bytes as a.txt
        ("bbc/empty.txt", []),
        ("bbc/legacy.txt", [0xD3, 0xE1, 0xC7, 0xE3, 0x0A]),                            // "سلام\n" in Windows-1256
        ("bbc/blank.txt", Array("  \n\t\n".utf8)),                                     // white space only
        ("bbc/x.txt", [0xEF, 0xBB, 0xBF] + Array("عنوان  \r\nنص\r\n".utf8)),          // BOM and CRLF
        ("bbc/UPPER.TXT", Array("upper case extension\n".utf8)),
        ("top.txt", Array("سلام\n".utf8)),                                             // at the input root
        ("notes.md", Array("not a text dump\n".utf8)),                                 // not .txt: ignored
    ]

    private func makeInput(in scratch: ScratchFolder) throws -> URL {
        for file in Self.files { try scratch.write("input/" + file.path, file.bytes) }
        return scratch.url.appendingPathComponent("input")
    }

    @Test func summaryCountsEveryFile() throws {
        let scratch = try ScratchFolder()
        let input = try makeInput(in: scratch)
        let summary = try Extractor(logger: quietLogger).run(
            ExtractRequest(inputs: [input], runDirectory: scratch.url.appendingPathComponent("run")))
        #expect(summary.filesSeen == 9)         // every .txt, notes.md left out
        #expect(summary.documents == 5)         // a, b, UPPER, x, top
        #expect(summary.duplicateFiles == 1)    // copy.txt
        #expect(summary.quarantined == 3)       // empty, legacy, blank
        // 47 + 14 + 47 + 0 + 5 + 5 + 23 + 21 + 9 bytes, duplicate and quarantined files included; notes.md is not read.
        #expect(summary.bytesRead == 171)
    }

    @Test func documentsInStableOrderWithSourcesAndPaths() throws {
        let scratch = try ScratchFolder()
        let input = try makeInput(in: scratch)
        let run = scratch.url.appendingPathComponent("run")
        _ = try Extractor(logger: quietLogger).run(ExtractRequest(inputs: [input], runDirectory: run))
        let rows = try documents(in: run)

        // Sorted by relative path byte by byte: "2" < "b", "U" < "c"; the duplicate keeps the first path.
        #expect(rows.map(\.sourcePath) == ["aljazeera/2020/a.txt", "aljazeera/b.txt", "bbc/UPPER.TXT", "bbc/x.txt", "top.txt"])
        // The first folder below the root; the root's own name for a file at the root.
        #expect(rows.map(\.sourceName) == ["aljazeera", "aljazeera", "bbc", "bbc", "input"])
        #expect(rows.map(\.encoding) == ["UTF-8", "UTF-8", "UTF-8", "UTF-8 with BOM", "UTF-8"])
        #expect(rows.map(\.byteSize) == [47, 14, 21, 23, 9])
        #expect(rows.allSatisfy { $0.fileModifiedAt?.hasSuffix("Z") == true })

        let withBOM = try #require(rows.first { $0.sourcePath == "bbc/x.txt" })
        #expect(withBOM.rawText == "عنوان  \r\nنص\r\n")   // BOM gone, the rest as decoded
        #expect(withBOM.text == "عنوان\nنص\n")            // CRLF unified, trailing spaces trimmed

        // SHA-256 of "سلام\n" from sha256sum; the id is its first 8 bytes, big-endian.
        let top = try #require(rows.last)
        #expect(top.contentSHA256 == "3ea84a1b96a239288377b93468bf3127204fbbfcd5c42c1eea746a33000718c3")
        #expect(top.documentID == 0x3EA8_4A1B_96A2_3928)
        #expect(top.rawText == "سلام\n")
        #expect(top.text == "سلام\n")
    }

    @Test func unreadableFilesAreQuarantinedWithReasons() throws {
        let scratch = try ScratchFolder()
        let input = try makeInput(in: scratch)
        let run = scratch.url.appendingPathComponent("run")
        _ = try Extractor(logger: quietLogger).run(ExtractRequest(inputs: [input], runDirectory: run))
        let rows = try quarantine(in: run)

        #expect(rows.map(\.sourcePath) == ["bbc/blank.txt", "bbc/empty.txt", "bbc/legacy.txt"])
        #expect(rows.allSatisfy { $0.stage == "extract" })
        #expect(rows.map(\.byteSize) == [5, 0, 5])

        let blank = rows[0]
        #expect(blank.reason.contains("only whitespace"), "reason: \(blank.reason)")

        let empty = rows[1]
        #expect(empty.reason == "empty file (0 bytes)")
        // SHA-256 of no bytes.
        #expect(empty.contentSHA256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

        let legacy = rows[2]
        #expect(legacy.contentSHA256 == "d98c05dc203f4ca03dd0b9b2ed6be635abbac254f11135417606e317ac224601")
        for fragment in ["not valid UTF-8", "0xD3", "offset 0", "line 1"] {
            #expect(legacy.reason.contains(fragment), "reason: \(legacy.reason)")
        }
    }

    @Test func twoRunsWriteIdenticalFiles() throws {
        let scratch = try ScratchFolder()
        let input = try makeInput(in: scratch)
        let first = scratch.url.appendingPathComponent("run1")
        let second = scratch.url.appendingPathComponent("run2")
        _ = try Extractor(logger: quietLogger).run(ExtractRequest(inputs: [input], runDirectory: first))
        _ = try Extractor(logger: quietLogger).run(ExtractRequest(inputs: [input], runDirectory: second))
        for file in [RunFile.extractedDocuments, .extractQuarantine] {
            let one = try Data(contentsOf: first.appendingPathComponent(file.relativePath))
            let two = try Data(contentsOf: second.appendingPathComponent(file.relativePath))
            #expect(!one.isEmpty, "file: \(file.relativePath)")
            #expect(one == two, "file: \(file.relativePath)")
        }
        // Only the finished files are left, no .partial.
        let names = try FileManager.default.contentsOfDirectory(atPath: first.appendingPathComponent("extract").path).sorted()
        #expect(names == ["documents.tsv", "files.tsv", "quarantine.tsv"])
    }

    @Test func singleFileInputIsNamedAfterItsFolder() throws {
        let scratch = try ScratchFolder()
        try scratch.write("alarabiya/one.txt", Array("خبر\n".utf8))
        let run = scratch.url.appendingPathComponent("run")
        let summary = try Extractor(logger: quietLogger).run(ExtractRequest(
            inputs: [scratch.url.appendingPathComponent("alarabiya/one.txt")], runDirectory: run))
        #expect(summary.documents == 1)
        let rows = try documents(in: run)
        #expect(rows.map(\.sourcePath) == ["one.txt"])
        #expect(rows.map(\.sourceName) == ["alarabiya"])
    }

    @Test func duplicatesAcrossInputsAreLoadedOnce() throws {
        let scratch = try ScratchFolder()
        try scratch.write("first/src/a.txt", Array("نص واحد\n".utf8))
        try scratch.write("second/src/a.txt", Array("نص واحد\n".utf8))
        let run = scratch.url.appendingPathComponent("run")
        // Inputs are read in the order given: the second input's copy is the duplicate.
        let summary = try Extractor(logger: quietLogger).run(ExtractRequest(
            inputs: [scratch.url.appendingPathComponent("second"), scratch.url.appendingPathComponent("first")],
            runDirectory: run))
        #expect(summary.filesSeen == 2)
        #expect(summary.documents == 1)
        #expect(summary.duplicateFiles == 1)
        #expect(try documents(in: run).map(\.sourcePath) == ["src/a.txt"])
    }

    @Test func missingInputStopsTheRun() throws {
        let scratch = try ScratchFolder()
        let missing = scratch.url.appendingPathComponent("nowhere")
        #expect(throws: ExtractError.self) {
            try Extractor(logger: quietLogger).run(ExtractRequest(inputs: [missing], runDirectory: scratch.url.appendingPathComponent("run")))
        }
    }

    @Test func folderNamedLikeATextFileIsNotAFile() throws {
        let scratch = try ScratchFolder()
        try scratch.write("input/src/archive.txt/inner.txt", Array("نص\n".utf8))
        let run = scratch.url.appendingPathComponent("run")
        let summary = try Extractor(logger: quietLogger).run(ExtractRequest(
            inputs: [scratch.url.appendingPathComponent("input")], runDirectory: run))
        #expect(summary.documents == 1)
        let quarantined = try quarantine(in: run)
        #expect(summary.filesSeen == 1)
        #expect(summary.quarantined == 0)
        #expect(quarantined.isEmpty, "quarantined: \(quarantined)")
    }
}
