@testable import Extract
import Foundation
import Logging
import RunArtifacts
import Testing

/// An input tree under the temporary directory, removed when the test ends.
final class InputTree {
    let root: URL
    let input: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-input-tests-\(UUID().uuidString)")
        input = root.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        let file = input.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    func write(_ path: String, _ text: String) throws { try write(path, Array(text.utf8)) }

    func link(_ path: String, to destination: String) throws {
        let file = input.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: destination)
    }

    /// Runs extract over the input into a new run directory and reads back what it wrote.
    func extract(_ configure: (inout ExtractRequest) -> Void = { _ in }) throws -> (summary: ExtractSummary, documents: [ExtractedDocument], quarantine: [QuarantineRecord], run: URL) {
        let run = root.appendingPathComponent("run-\(UUID().uuidString)")
        var request = ExtractRequest(inputs: [input], runDirectory: run)
        configure(&request)
        let summary = try Extractor(logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run(request)
        var documents: [ExtractedDocument] = []
        try RunFileReader(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath)).forEach(ExtractedDocument.self) { documents.append($0) }
        var quarantine: [QuarantineRecord] = []
        try RunFileReader(url: run.appendingPathComponent(RunFile.extractQuarantine.relativePath)).forEach(QuarantineRecord.self) { quarantine.append($0) }
        return (summary, documents, quarantine, run)
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

/// gzip bytes of `text`, made by the system's gzip (an independent encoder).
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-gz-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(atPath: url.path + ".gz") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-n", "-9", url.path]
    try process.run()
    process.waitUntilExit()
    return Array(try Data(contentsOf: URL(fileURLWithPath: url.path + ".gz")))
}

@Suite struct GzipInputTests {
    static let article = "عنوان الخبر\n\nنص الخبر الأول في سطر.\n"

    @Test func gzipFilesAreInflatedAndAreTheSameDocumentAsTheirText() throws {
        let tree = try InputTree()
        try tree.write("wire/a.txt.gz", try gzipped(Array(Self.article.utf8)))
        try tree.write("wire/b.txt", Self.article)
        let result = try tree.extract()
        #expect(result.summary.filesSeen == 2)
        #expect(result.documents.count == 1, "same content, one document")
        #expect(result.summary.duplicateFiles == 1)
        #expect(result.documents[0].text == "عنوان الخبر\n\nنص الخبر الأول في سطر.\n")
        #expect(result.documents[0].encoding == "UTF-8, gzip")
        #expect(result.documents[0].sourcePath == "wire/a.txt.gz")
    }

    @Test func concatenatedMembersAreOneFile() throws {
        let tree = try InputTree()
        try tree.write("wire/two.txt.gz", try gzipped(Array("سطر أول\n".utf8)) + gzipped(Array("سطر ثان\n".utf8)))
        let result = try tree.extract()
        #expect(result.documents.map(\.text) == ["سطر أول\nسطر ثان\n"])
    }

    @Test func damagedGzipIsQuarantined() throws {
        let whole = try gzipped(Array(String(repeating: Self.article, count: 50).utf8))
        let tree = try InputTree()
        try tree.write("wire/truncated.txt.gz", Array(whole.prefix(whole.count / 2)))
        var corrupt = whole
        corrupt[corrupt.count / 2] ^= 0xFF
        corrupt[corrupt.count / 2 + 1] ^= 0xFF
        try tree.write("wire/corrupt.txt.gz", corrupt)
        try tree.write("wire/not-gzip.txt.gz", "plain text, not gzip at all\n")
        let result = try tree.extract()
        let reasons = Dictionary(uniqueKeysWithValues: result.quarantine.map { ($0.sourcePath, $0.reason) })
        #expect(reasons["wire/truncated.txt.gz"]?.contains("ends early") == true, "\(reasons)")
        #expect(reasons["wire/corrupt.txt.gz"]?.contains("does not inflate") == true, "\(reasons)")
        #expect(reasons["wire/not-gzip.txt.gz"]?.contains("does not inflate") == true, "\(reasons)")
        #expect(result.quarantine.allSatisfy { $0.contentSHA256?.count == 64 && $0.byteSize != nil })
        #expect(result.summary.quarantined == 3)
    }

    @Test func aGzipBombStopsAtTheSizeLimit() throws {
        let tree = try InputTree()
        try tree.write("wire/bomb.txt.gz", try gzipped([UInt8](repeating: 0x61, count: 4 << 20)))
        let result = try tree.extract { $0.maxFileSize = 1 << 20 }
        #expect(result.quarantine.count == 1)
        #expect(result.quarantine.first?.reason.contains("inflates to more than the size limit") == true)
    }
}

@Suite struct BadInputTests {
    @Test func eachKindOfBadInputIsQuarantinedWithItsReason() throws {
        let tree = try InputTree()
        try tree.write("src/good.txt", "خبر جيد\n")
        try tree.write("src/empty.txt", [UInt8]())
        try tree.write("src/binary.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        try tree.write("src/nul.txt", Array("نص\u{0}مع صفر\n".utf8))
        try tree.write("src/big.txt", Array(String(repeating: "كلمة ", count: 1000).utf8))
        try tree.write("src/invisible.txt", Array("\u{200B}\u{200F} \u{FEFF}\n".utf8))
        try tree.link("src/broken.txt", to: "/nonexistent/target.txt")
        let fifo = tree.input.appendingPathComponent("src/pipe.txt").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let result = try tree.extract { $0.maxFileSize = 2000 }
        let reasons = Dictionary(uniqueKeysWithValues: result.quarantine.map { ($0.sourcePath, $0.reason) })
        #expect(result.documents.map(\.sourcePath) == ["src/good.txt"])
        #expect(reasons["src/empty.txt"] == "empty file (0 bytes)")
        #expect(reasons["src/binary.txt"]?.contains("NUL") == true, "\(reasons)")
        #expect(reasons["src/nul.txt"]?.contains("NUL byte at offset 4") == true, "\(reasons)")
        #expect(reasons["src/big.txt"]?.contains("over the size limit of 2000 bytes") == true, "\(reasons)")
        #expect(reasons["src/invisible.txt"]?.contains("no text") == true, "\(reasons)")
        #expect(reasons["src/broken.txt"] == "broken symbolic link to /nonexistent/target.txt")
        #expect(reasons["src/pipe.txt"]?.contains("not a regular file") == true, "\(reasons)")
        #expect(result.summary.quarantined == 7)
        #expect(result.summary.filesSeen == 6, "files read (the link and the pipe are not files)")
    }

    @Test func unreadableFileIsQuarantined() throws {
        // Root reads any file; a file without permissions is unreadable only for others.
        guard geteuid() != 0 else { return }
        let tree = try InputTree()
        try tree.write("src/secret.txt", "سر\n")
        chmod(tree.input.appendingPathComponent("src/secret.txt").path, 0)
        let result = try tree.extract()
        #expect(result.quarantine.first?.reason.contains("Permission denied") == true)
    }
}

@Suite struct SymbolicLinkTests {
    @Test func linksAreFollowedOnceAndLoopsReported() throws {
        let tree = try InputTree()
        try tree.write("a/one.txt", "الأول\n")
        try tree.write("b/two.txt", "الثاني\n")
        try tree.link("a/loop", to: "..")                       // a folder link back to the input root
        try tree.link("a/self.txt", to: "self.txt")             // a link to itself
        try tree.link("b/alias.txt", to: "../a/one.txt")        // a second name for a file
        try tree.link("c", to: "b")                             // a second name for a folder
        let result = try tree.extract()
        let reasons = Dictionary(uniqueKeysWithValues: result.quarantine.map { ($0.sourcePath, $0.reason) })
        #expect(reasons["a/loop"]?.hasPrefix("symbolic link loop") == true, "\(reasons)")
        #expect(reasons["a/self.txt"]?.hasPrefix("symbolic link loop") == true, "\(reasons)")
        #expect(reasons["c"] == "folder already read as b (linked twice)", "\(reasons)")
        #expect(result.documents.map(\.sourcePath) == ["a/one.txt", "b/two.txt"])
        #expect(result.summary.duplicateFiles == 1, "b/alias.txt is a.one.txt again")
    }

    @Test func arabicNamesAndSpacesInPaths() throws {
        let tree = try InputTree()
        try tree.write("الجزيرة نت/أخبار اليوم/خبر أول.txt", "عنوان\n")
        let result = try tree.extract()
        #expect(result.documents.first?.sourcePath == "الجزيرة نت/أخبار اليوم/خبر أول.txt")
        #expect(result.documents.first?.sourceName == "الجزيرة نت")
    }
}

@Suite struct ListedFilesTests {
    @Test func listedPathsAreRelativeToTheRootAndSorted() throws {
        let tree = try InputTree()
        try tree.write("wire-b/2.txt", "ثان\n")
        try tree.write("wire-a/1.txt", "أول\n")
        let run = tree.root.appendingPathComponent("run")
        let summary = try Extractor(logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }).run(ExtractRequest(
            inputs: [], listedFiles: ["wire-b/2.txt", tree.input.appendingPathComponent("wire-a/1.txt").path, "wire-c/missing.txt"],
            listRoot: tree.input, runDirectory: run))
        var documents: [ExtractedDocument] = []
        try RunFileReader(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath)).forEach(ExtractedDocument.self) { documents.append($0) }
        #expect(documents.map(\.sourcePath) == ["wire-a/1.txt", "wire-b/2.txt"])
        #expect(documents.map(\.sourceName) == ["wire-a", "wire-b"])
        #expect(summary.quarantined == 1, "a listed file that does not exist is reported")
    }

    @Test func fileListParsesLines() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-list-\(UUID().uuidString)")
        try "a/1.txt\n\nb/2.txt\r\nc d/3.txt\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(FileList.read(from: try FileHandle(forReadingFrom: url)) == ["a/1.txt", "b/2.txt", "c d/3.txt"])
    }
}

@Suite struct IncrementAndOrderTests {
    @Test func knownContentIsSkippedAndCounted() throws {
        let tree = try InputTree()
        try tree.write("s/old.txt", "قديم\n")
        try tree.write("s/new.txt", "جديد\n")
        let first = try tree.extract()
        let oldHash = try #require(first.documents.first { $0.sourcePath == "s/old.txt" }?.contentSHA256)
        let second = try tree.extract { $0.knownHashes = [ContentHash(hex: oldHash)] }
        #expect(second.summary.alreadyLoaded == 1)
        #expect(second.documents.map(\.sourcePath) == ["s/new.txt"])
        var seen: [SeenFileRecord] = []
        try RunFileReader(url: second.run.appendingPathComponent(RunFile.seenFiles.relativePath)).forEach(SeenFileRecord.self) { seen.append($0) }
        #expect(seen.map(\.status) == ["new", "known"], "files are listed in order: s/new.txt, s/old.txt")
    }

    @Test func contentHashKeysCompareByValue() {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        #expect(ContentHash(hex: hex) == ContentHash(hex: hex.uppercased()))
        #expect(ContentHash(hex: hex) != ContentHash(hex: String(hex.dropLast()) + "e"))
        #expect(Set([ContentHash(hex: hex), ContentHash(hex: hex)]).count == 1)
        // A digest's bytes and its hex digits give one key, and the key gives the digits back.
        for text in ["", "نص", "اظهر المزيد\n"] {
            let digest = DocumentReader.sha256(Array(text.utf8))
            #expect(ContentHash(digest: digest) == ContentHash(hex: digest.lowercaseHex), "\(text)")
            #expect(ContentHash(digest: digest).hex == digest.lowercaseHex, "\(text)")
        }
        #expect(ContentHash(digest: DocumentReader.sha256([0x61])) != ContentHash(digest: DocumentReader.sha256([0x62])))
    }

    @Test func outputIsIdenticalWhateverTheBatchSize() throws {
        let tree = try InputTree()
        for index in 0..<40 { try tree.write("src\(index % 3)/f\(index).txt", "عنوان \(index)\n\nنص رقم \(index).\n") }
        try tree.write("src1/bad.txt", [0xFF, 0xFE, 0x00])
        var outputs: [[String]] = []
        for batch in [1, 7, 256] {
            let result = try tree.extract { $0.batchSize = batch }
            outputs.append(try RunFile.allCases.filter { $0.relativePath.hasPrefix("extract/") }.map {
                try String(contentsOf: result.run.appendingPathComponent($0.relativePath), encoding: .utf8)
            })
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        #expect(outputs[0][0].split(separator: "\n").count == 40)
    }
}

@Suite struct SourceRuleTests {
    @Test(arguments: [
        ("first-folder", ["wire", "2020", "a.txt"], "wire"),          // default: first folder below the root
        ("first-folder", ["a.txt"], "root"),                           // at the root: the root's name
        ("parent-folder", ["wire", "2020", "a.txt"], "2020"),          // the folder holding the file
        ("input-name", ["wire", "2020", "a.txt"], "root"),             // every file: the input's name
        ("regex:^[^/]+/([^/]+)/", ["bbc", "sport", "a.txt"], "sport"), // a capture group over the relative path
        ("regex:^nomatch/(x)", ["bbc", "a.txt"], "root"),              // no match: the root's name
    ])
    func derivesTheSourceName(rule: String, components: [String], expected: String) throws {
        let parsed = try #require(SourceRule(argument: rule))
        #expect(parsed.source(relativeComponents: components, rootName: "root") == expected, "rule: \(rule)")
    }

    @Test func invalidRulesAreRefused() {
        #expect(SourceRule(argument: "regex:([") == nil)
        #expect(SourceRule(argument: "folder") == nil)
    }
}

@Suite struct CleanupTests {
    @Test(arguments: [
        ("\u{FEFB}", "\u{0644}\u{0627}"),                          // lam-alef ligature → لا
        ("\u{FE8D}\u{FEDF}\u{FEB4}\u{FEFC}\u{FEE1}", "السلام"),    // presentation forms → base letters
        ("سلا\u{200D}م", "سلام"),                                  // zero-width joiner removed
        ("كتا\u{200C}ب", "كتاب"),                                  // zero-width non-joiner removed
        ("\u{200F}مرحبا\u{200E}", "مرحبا"),                        // RLM and LRM removed
        ("\u{202B}نص\u{202C}", "نص"),                              // RLE … PDF removed
        ("\u{2067}نص\u{2069}", "نص"),                              // RLI … PDI removed
        ("\u{061C}عربي", "عربي"),                                  // Arabic letter mark removed
        ("أ\u{FEFF}ب", "أب"),                                      // stray BOM removed
        ("كلمة\u{00A0}كلمة", "كلمة كلمة"),                         // no-break space → space
        ("كلمة\u{2009}كلمة", "كلمة كلمة"),                         // thin space → space
        ("كلمة\u{3000}كلمة", "كلمة كلمة"),                         // ideographic space → space
        ("سطر  \u{00A0}\r\nثان\t\r", "سطر\nثان\n"),                // trailing blanks, CRLF, CR
        ("  مسافة في أول السطر", "  مسافة في أول السطر"),         // leading spaces kept
        ("٢٫٥ و 2.5 و 4/6/2020", "٢٫٥ و 2.5 و 4/6/2020"),         // digits and dates untouched
        ("“اقتباس”", "“اقتباس”"),                                  // quotes untouched
        ("كَتَبَ", "كَتَبَ"),                                         // diacritics kept (meaning)
        ("Latin ﬁ text", "Latin fi text"),                        // Latin ligature → letters
    ])
    func cleansAndKeepsMeaning(_ input: String, _ expected: String) {
        let cleaned = TextCleanup.clean(input)
        #expect(Array(cleaned.unicodeScalars) == Array(expected.unicodeScalars), "input: \(input.debugDescription) got: \(cleaned.debugDescription)")
    }

    @Test func rawTextIsKeptBeforeCleanup() throws {
        let tree = try InputTree()
        try tree.write("s/a.txt", "\u{FEFB}\u{200F} نص\r\n")
        let document = try #require(try tree.extract().documents.first)
        #expect(document.rawText == "\u{FEFB}\u{200F} نص\r\n")
        #expect(document.text == "\u{0644}\u{0627} نص\n")
    }
}

@Suite struct MixedEncodingTests {
    static let text = "وزراء الخارجية يجتمعون\n\nأكد البيان التزام الدول بحماية المدنيين.\n"

    static func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    @Test func aMixedFolderDecodesEachFileByItsOwnEncoding() throws {
        let tree = try InputTree()
        try tree.write("mix/1-utf8.txt", Self.text)
        try tree.write("mix/2-bom.txt", [0xEF, 0xBB, 0xBF] + Array(Self.text.utf8))
        try tree.write("mix/3-le.txt", Self.utf16(Self.text, bigEndian: false, bom: true))
        try tree.write("mix/4-be.txt", Self.utf16(Self.text, bigEndian: true, bom: true))
        try tree.write("mix/5-gz.txt.gz", try gzipped(Self.utf16(Self.text + "\n", bigEndian: false, bom: true)))
        let legacy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus/chardet-legacy-encodings/windows-1256/_ude_1.txt")
        let haveLegacy = FileManager.default.fileExists(atPath: legacy.path)
        if haveLegacy { try tree.write("mix/6-cp1256.txt", Array(try Data(contentsOf: legacy))) }
        let result = try tree.extract()
        let encodings = Dictionary(uniqueKeysWithValues: result.documents.map { ($0.sourcePath, $0.encoding) })
        #expect(encodings["mix/1-utf8.txt"] == "UTF-8")
        #expect(encodings["mix/2-bom.txt"] == "UTF-8 with BOM", "other bytes, so a document of its own")
        #expect(result.summary.quarantined == 0, "\(result.quarantine)")
        #expect(encodings["mix/3-le.txt"] == "UTF-16LE")
        #expect(encodings["mix/4-be.txt"] == "UTF-16BE")
        #expect(encodings["mix/5-gz.txt.gz"] == "UTF-16LE, gzip")
        let texts = Dictionary(uniqueKeysWithValues: result.documents.map { ($0.sourcePath, $0.text) })
        #expect(texts["mix/3-le.txt"] == Self.text && texts["mix/4-be.txt"] == Self.text)
        if haveLegacy {
            #expect(encodings["mix/6-cp1256.txt"] == "windows-1256")
            #expect(texts["mix/6-cp1256.txt"]?.contains("ال") == true)
        }
    }

    @Test func forcedEncodingDecodesWithoutDetection() throws {
        let tree = try InputTree()
        try tree.write("mix/no-bom.txt", Self.utf16(Self.text, bigEndian: false, bom: false))
        let detected = try tree.extract()
        #expect(detected.documents.isEmpty, "UTF-16 without a BOM is not guessed")
        #expect(detected.quarantine.count == 1)
        let forced = try tree.extract { $0.forcedEncoding = .utf16LE }
        #expect(forced.documents.first?.text == Self.text)
        #expect(forced.documents.first?.encoding == "UTF-16LE (forced)")
    }

    @Test(arguments: [
        ("utf-8", TextEncoding.utf8), ("UTF8", .utf8), ("cp1256", .windows1256), ("Windows-1256", .windows1256),
        ("iso-8859-6", .iso88596), ("ISO_8859-6", .iso88596), ("cp720", .cp720), ("utf-16le", .utf16LE), ("UTF-16BE", .utf16BE),
    ])
    func encodingNamesParse(name: String, expected: TextEncoding) {
        #expect(TextEncoding(argument: name) == expected, "name: \(name)")
    }
}
