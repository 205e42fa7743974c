@testable import Extract
import Foundation
import Glibc
import Logging
import RunArtifacts
import Testing
import TestSupport

/// What extract wrote for an input folder.
struct ExtractOutput {
    var summary: ExtractSummary
    var documents: [ExtractedDocument]
    var quarantine: [QuarantineRecord]
    var files: [SeenFileRecord]

    /// The quarantine reason of `path`, if it was quarantined.
    func reason(_ path: String) -> String? { quarantine.first { $0.sourcePath == path }?.reason }

    /// Runs the extract stage over `inputs` into `run` and reads back its three files.
    static func extract(_ inputs: [URL], run: URL, _ configure: (inout ExtractRequest) -> Void = { _ in }) throws -> ExtractOutput {
        var request = ExtractRequest(inputs: inputs, runDirectory: run)
        configure(&request)
        let summary = try Extractor(logger: TestPostgres.quietLogger).run(request)
        var output = ExtractOutput(summary: summary, documents: [], quarantine: [], files: [])
        try RunFileReader(url: run.appendingPathComponent(RunFile.extractedDocuments.relativePath)).forEach(ExtractedDocument.self) { output.documents.append($0) }
        try RunFileReader(url: run.appendingPathComponent(RunFile.extractQuarantine.relativePath)).forEach(QuarantineRecord.self) { output.quarantine.append($0) }
        try RunFileReader(url: run.appendingPathComponent(RunFile.seenFiles.relativePath)).forEach(SeenFileRecord.self) { output.files.append($0) }
        return output
    }
}

/// Hostile and huge inputs through the extract API: each is read or quarantined with a reason, and nothing hangs.
@Suite struct HostileInputTests {
    static let article = "عنوان الخبر\n\nنص الخبر الأول. وجملة ثانية!\n"

    /// File names that break naive escaping, and how the run files record them.
    static let awkwardNames: [(name: [UInt8], recorded: String)] = [
        (Array("new\nline.txt".utf8), "new\nline.txt"),                   // newline: COPY writes \n
        (Array("tab\there.txt".utf8), "tab\there.txt"),                   // tab: the COPY delimiter
        (Array("back\\slash\\N.txt".utf8), "back\\slash\\N.txt"),         // backslash, and \N (COPY's NULL)
        (Array("quotes'\"`.txt".utf8), "quotes'\"`.txt"),                 // quotes of SQL and the shell
        (Array("'; DROP TABLE documents; --.txt".utf8), "'; DROP TABLE documents; --.txt"),  // SQL
        (Array("$1 %s %n.txt".utf8), "$1 %s %n.txt"),                     // placeholders and format strings
        (Array("carriage\rreturn.txt".utf8), "carriage\rreturn.txt"),     // CR: COPY writes \r
        (Array("خبر عاجل.txt".utf8), "خبر عاجل.txt"),                     // Arabic, a space
        (Array("caf".utf8) + [0xE9] + Array(".txt".utf8), "caf%E9.txt"),  // Latin-1 é: not UTF-8, percent-escaped
        ([0xC7, 0xE1, 0xCE, 0xC8, 0xD1] + Array(".txt".utf8), "%C7%E1%CE%C8%D1.txt"),  // "الخبر" in windows-1256
        ([0xED, 0xA0, 0x80] + Array("x.txt".utf8), "%ED%A0%80x.txt"),     // an encoded surrogate: invalid UTF-8
        ([0xF0, 0x9F] + Array(".txt".utf8), "%F0%9F.txt"),                // a 4-byte sequence cut short
        (Array("100%25 real.txt".utf8), "100%25 real.txt"),               // a % already there is kept as is
    ]

    @Test func awkwardFileNamesAreReadAndRecordedLiterally() throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input/wire")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            for (index, entry) in Self.awkwardNames.enumerated() {
                try writeFile(named: entry.name, in: input, contents: Array((Self.article + "رقم \(index)\n").utf8))
            }
            let output = try ExtractOutput.extract([directory.appendingPathComponent("input")], run: directory.appendingPathComponent("run"))
            #expect(output.quarantine.isEmpty, "\(output.quarantine.map { ($0.sourcePath, $0.reason) })")
            let recorded = Set(output.documents.map(\.sourcePath))
            for entry in Self.awkwardNames {
                #expect(recorded.contains("wire/" + entry.recorded), "name bytes \(entry.name) → \(entry.recorded.debugDescription); got \(recorded.sorted())")
            }
            #expect(Set(output.files.map(\.sourcePath)) == recorded)
            #expect(output.documents.allSatisfy { $0.sourceName == "wire" })
        }
    }

    @Test(arguments: [
        (Array("plain.txt".utf8), "plain.txt"),                             // nothing to escape
        ([0x80], "%80"),                                                     // a lone continuation byte
        ([0xC3, 0xA9, 0xE9], "é%E9"),                                        // valid é, then Latin-1 é
        ([0xE2, 0x82], "%E2%82"),                                            // a 3-byte sequence cut short
        ([0xF4, 0x90, 0x80, 0x80], "%F4%90%80%80"),                          // above U+10FFFF
        ([0xC0, 0xAF], "%C0%AF"),                                            // an over-long "/"
        ([0xFF, 0xFE, 0x41], "%FF%FEA"),                                     // bytes UTF-8 never uses
    ])
    func percentEscapesOnlyBytesThatAreNotUTF8(_ bytes: [UInt8], _ expected: String) {
        #expect(PathText.display(bytes) == expected, "bytes \(bytes)")
    }

    /// A FIFO or a device named like an article must not be opened for reading: a FIFO blocks until a writer
    /// comes, `/dev/zero` never ends. In a folder, named directly, or listed, it is quarantined at once.
    @Test func pipesAndDevicesAreQuarantinedWithoutHanging() throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input/wire")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            let fifo = input.appendingPathComponent("fifo.txt")
            #expect(mkfifo(fifo.path, 0o644) == 0)
            try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("zero.txt").path, withDestinationPath: "/dev/zero")
            try FileManager.default.createSymbolicLink(atPath: input.appendingPathComponent("null.txt").path, withDestinationPath: "/dev/null")
            let device = input.appendingPathComponent("device.txt")
            let madeDevice = geteuid() == 0 && mknod(device.path, S_IFCHR | 0o644, dev_t(1 << 8 | 5)) == 0  // /dev/zero's numbers
            try Data(Self.article.utf8).write(to: input.appendingPathComponent("good.txt"))
            let root = directory.appendingPathComponent("input")

            let unblock = {
                // Releases a reader stuck in open(2) on the FIFO, so a failing test ends.
                let writer = open(fifo.path, O_WRONLY | O_NONBLOCK)
                if writer >= 0 { close(writer) }
            }
            let run = directory.appendingPathComponent("run")
            let walked = finishing(within: 60, unblock: unblock) { try ExtractOutput.extract([root], run: run) }
            let output = try #require(walked, "extract over a folder with a FIFO and devices did not finish").get()
            var expected = ["wire/fifo.txt", "wire/zero.txt", "wire/null.txt"]
            if madeDevice { expected.append("wire/device.txt") }
            for path in expected {
                #expect(output.reason(path) == DocumentReader.notRegularReason, "\(path): \(output.reason(path) ?? "not quarantined")")
            }
            #expect(output.documents.map(\.sourcePath) == ["wire/good.txt"])

            // Named directly as inputs, and listed (--files-from), the reader itself refuses them.
            let direct = [fifo, input.appendingPathComponent("zero.txt"), input.appendingPathComponent("null.txt")]
            let named = finishing(within: 60, unblock: unblock) {
                try ExtractOutput.extract(direct, run: directory.appendingPathComponent("run-direct"))
            }
            let directOutput = try #require(named, "extract of a FIFO named directly did not finish").get()
            #expect(directOutput.quarantine.count == 3 && directOutput.quarantine.allSatisfy { $0.reason == DocumentReader.notRegularReason },
                    "\(directOutput.quarantine.map { ($0.sourcePath, $0.reason) })")
            let listed = finishing(within: 60, unblock: unblock) {
                try ExtractOutput.extract([], run: directory.appendingPathComponent("run-listed")) { request in
                    request.listedFiles = ["wire/fifo.txt", "wire/zero.txt"]
                    request.listRoot = root
                }
            }
            let listedOutput = try #require(listed, "extract of a listed FIFO did not finish").get()
            #expect(Set(listedOutput.quarantine.map(\.sourcePath)) == ["wire/fifo.txt", "wire/zero.txt"])
            #expect(listedOutput.quarantine.allSatisfy { $0.reason == DocumentReader.notRegularReason })
        }
    }

    /// `--max-file-size N`: N bytes are read, N + 1 are quarantined with both numbers in the reason.
    @Test(arguments: [
        (0, true),    // exactly the limit: read
        (-1, true),   // one byte under: read
        (1, false),   // one byte over: quarantined
        (4096, false),  // well over
    ])
    func sizeLimitIsExact(offset: Int, accepted: Bool) throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            let limit = 64 * 1024
            try writeSingleLine(to: input.appendingPathComponent("big.txt"), bytes: limit + offset)
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run")) { $0.maxFileSize = limit }
            if accepted {
                #expect(output.documents.count == 1 && output.documents[0].byteSize == limit + offset, "offset \(offset)")
            } else {
                let reason = try #require(output.reason("big.txt"), "offset \(offset): not quarantined")
                #expect(reason.contains("\(limit + offset) bytes") && reason.contains("size limit of \(limit) bytes"), "\(reason)")
                #expect(output.quarantine[0].byteSize == limit + offset)
            }
        }
    }

    /// A writer truncating or appending between the reader's size check and its read: the partial content
    /// is never taken for the article.
    @Test(arguments: [
        (-1000, "shrank"),  // truncated to fewer bytes
        (-4000, "shrank"),  // truncated to nothing
        (500, "grew"),      // appended to
    ])
    func fileChangedWhileReadIsQuarantined(change: Int, word: String) throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("racing.txt")
            try writeSingleLine(to: url, bytes: 4000)
            let path = url.path
            var settings = ReadSettings(maxFileSize: 1 << 20, forcedEncoding: nil)
            settings.afterOpen = { _ in
                if change < 0 {
                    truncate(path, off_t(4000 + change))
                } else if let handle = FileHandle(forWritingAtPath: path) {
                    handle.seekToEndOfFile()
                    handle.write(Data(repeating: UInt8(ascii: "x"), count: change))
                    handle.closeFile()
                }
            }
            let file = InputFile(path: SystemPath(path), relativePath: "racing.txt", sourceName: "test")
            guard case .quarantined(let record) = DocumentReader.read(file, settings: settings) else {
                Issue.record("a file that \(word) while read was taken as a document")
                return
            }
            #expect(record.reason.contains("changed while it was read") && record.reason.contains(word), "\(record.reason)")
            #expect(record.reason.contains("4000 bytes when opened"), "\(record.reason)")
        }
    }

    /// NUL is not text, and PostgreSQL's `text` cannot hold it: a file with a NUL anywhere is quarantined with
    /// the offset of the first one, in every encoding, and never reaches the run files.
    @Test(arguments: [
        (Array("\u{0}عنوان\n\nنص.".utf8), nil as String?, "offset 0"),                   // NUL first
        (Array("عنوان\n\nنص".utf8) + [0] + Array("بقية.".utf8), nil, "offset 16 (line 3)"),  // inside a line of good text
        (Array("عنوان\n\nنص.".utf8) + [0], nil, "NUL byte"),                                // last byte
        ([0xFF, 0xFE, 0x39, 0x06, 0x00, 0x00, 0x46, 0x06], nil, "NUL character at offset 4"),  // UTF-16LE with U+0000
        ([0xD3, 0xE1, 0x00, 0xC7, 0xE3], "windows-1256", "NUL byte at offset 2"),         // forced legacy code page
    ])
    func nulBytesQuarantineTheFile(_ bytes: [UInt8], _ encoding: String?, _ expected: String) throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try Data(bytes).write(to: input.appendingPathComponent("nul.txt"))
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run")) { request in
                request.forcedEncoding = encoding.flatMap(TextEncoding.init(argument:))
            }
            #expect(output.documents.isEmpty, "bytes \(bytes)")
            let reason = try #require(output.reason("nul.txt"), "bytes \(bytes): not quarantined")
            #expect(reason.contains("NUL") && reason.contains(expected), "\(reason)")
            #expect(output.quarantine[0].contentSHA256 != nil, "the hash is recorded, so the file can be found")
        }
    }

    /// Text that is all marks or all punctuation is still text: extract keeps it (transform decides).
    @Test(arguments: [
        ("\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\u{064B}\u{064C}\u{064D}\n", "only harakat"),
        ("ـــــــــ\n", "only tatweel"),
        ("!!! ... ؟؟؟ ،،، «» — ***\n", "only punctuation"),
        ("\u{0670}\u{0610}\u{06D6}\u{06DC}\n\u{0651}\u{0651}\n", "Quranic marks on several lines"),
    ])
    func marksAndPunctuationOnlyAreKeptByExtract(_ text: String, _ label: String) throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: input.appendingPathComponent("odd.txt"))
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run"))
            #expect(output.documents.count == 1 && output.quarantine.isEmpty, "\(label): \(output.quarantine.map(\.reason))")
        }
    }

    /// Many tiny files: every one is seen and written once, in name order.
    @Test func manyTinyFiles() throws {
        let count = Torture.scale(5_000, long: 100_000)
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try Self.writeTinyFiles(count, into: input)
            let started = Date()
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run"))
            let seconds = Date().timeIntervalSince(started)
            #expect(output.summary.filesSeen == count && output.documents.count == count && output.quarantine.isEmpty,
                    "\(output.summary)")
            let paths = output.documents.map(\.sourcePath)
            #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, "written in walking order")
            #expect(seconds < Double(count) / 100, "\(count) files took \(seconds) s")
        }
    }

    /// Batches are cut by count and by bytes, so a folder of large files never holds hundreds of them in memory.
    @Test(arguments: [
        ([1, 1, 1, 1, 1], false, [3, 2]),               // tiny files: the file count cuts (3 a batch)
        ([40, 40, 40, 40], false, [3, 1]),             // 120 bytes reach the 100-byte budget after 3
        ([60, 60, 60, 60], false, [2, 2]),             // 120 after 2
        ([500, 1, 1], false, [1, 2]),                  // over the budget alone: a batch of one
        ([10, 10, 10], true, [2, 1]),                  // gzip weighs 8 times its size: 80, then 160
        ([1_000_000, 1, 1], true, [1, 2]),             // gzip capped at the size limit, no overflow
        ([Int.max, 1], true, [1, 1]),                  // a size that cannot be real, still no overflow
    ])
    func batchesAreBoundedInFilesAndBytes(_ sizes: [Int], _ gzip: Bool, _ expected: [Int]) {
        let limit = BatchLimit(files: 3, bytes: 100, maxFileSize: 1_000)
        var batches: [Int] = []
        var count = 0, bytes = 0
        for size in sizes {
            count += 1
            bytes += limit.weight(size: size, isGzip: gzip)
            if limit.isFull(files: count, bytes: bytes) { batches.append(count); count = 0; bytes = 0 }
        }
        if count > 0 { batches.append(count) }
        #expect(batches == expected, "sizes \(sizes), gzip \(gzip)")
    }

    /// A small byte budget changes nothing in what is written, nor its order.
    @Test func smallByteBudgetWritesTheSameRows() throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try Self.writeTinyFiles(300, into: input)
            let wide = try ExtractOutput.extract([input], run: directory.appendingPathComponent("wide"))
            let narrow = try ExtractOutput.extract([input], run: directory.appendingPathComponent("narrow")) { $0.batchBytes = 200 }
            #expect(wide.documents.map(\.sourcePath) == narrow.documents.map(\.sourcePath))
            #expect(wide.documents.count == 300)
        }
    }

    /// `count` one-line articles in 100 folders, each with its own content.
    static func writeTinyFiles(_ count: Int, into input: URL) throws {
        for folder in 0..<min(100, count) {
            try FileManager.default.createDirectory(at: input.appendingPathComponent(String(format: "f%03d", folder)), withIntermediateDirectories: true)
        }
        for index in 0..<count {
            let url = input.appendingPathComponent(String(format: "f%03d/%06d.txt", index % 100, index))
            _ = FileManager.default.createFile(atPath: url.path, contents: Data("خبر رقم \(index) عن الاجتماع\n".utf8))
        }
    }

    /// A tree 200 folders deep is walked to the bottom (the walker holds only the current path).
    @Test func deeplyNestedTree() throws {
        let depth = Torture.scale(200, long: 1_000)
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            let components = (0..<depth).map { _ in "d" }
            let bottom = input.appendingPathComponent(components.joined(separator: "/"))
            try FileManager.default.createDirectory(at: bottom, withIntermediateDirectories: true)
            try Data(Self.article.utf8).write(to: bottom.appendingPathComponent("deep.txt"))
            try Data((Self.article + "سطح").utf8).write(to: input.appendingPathComponent("top.txt"))
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run"))
            #expect(output.quarantine.isEmpty, "\(output.quarantine.map(\.reason))")
            #expect(Set(output.documents.map(\.sourcePath)) == [(components + ["deep.txt"]).joined(separator: "/"), "top.txt"])
            #expect(output.documents.first { $0.sourcePath.hasSuffix("deep.txt") }?.sourceName == "d")
        }
    }

    /// Cleanup is linear: a long line with a space every few letters (it was quadratic in the spaces).
    @Test func cleanupOfALongLineIsLinear() {
        let line = String(repeating: "كلمة ", count: 400_000) + "نهاية"  // 4 MB, 400,000 spaces
        let started = Date()
        let cleaned = TextCleanup.clean(line)
        let seconds = Date().timeIntervalSince(started)
        #expect(cleaned == line)
        #expect(seconds < 15, "cleaning 4 MB took \(seconds) s")
    }

    /// A tree whose paths outgrow PATH_MAX (4,096 bytes): the folder that cannot be reached by path is
    /// quarantined with the system's reason, and the rest of the input is still read.
    @Test func treeDeeperThanPathMax() throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try Data(Self.article.utf8).write(to: input.appendingPathComponent("top.txt"))
            // Made folder by folder from descriptors (mkdirat, openat), which no path length limits; removed
            // with rm, which walks by descriptor too.
            var folder = open(input.path, O_RDONLY | O_DIRECTORY)
            for _ in 0..<2_100 where folder >= 0 {
                mkdirat(folder, "d", 0o755)
                let child = openat(folder, "d", O_RDONLY | O_DIRECTORY)
                close(folder)
                folder = child
            }
            #expect(folder >= 0, "the deep tree was made")
            let deep = openat(folder, "deep.txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(deep >= 0 && write(deep, "نص.", 5) == 5)
            close(deep)
            close(folder)
            defer {
                let remove = Process()
                remove.executableURL = URL(fileURLWithPath: "/bin/rm")
                remove.arguments = ["-rf", input.path]
                try? remove.run()
                remove.waitUntilExit()
            }
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run"))
            #expect(output.documents.map(\.sourcePath) == ["top.txt"])
            #expect(output.quarantine.count == 1, "\(output.quarantine.map(\.reason))")
            #expect(output.quarantine.first?.reason.contains("File name too long") == true, "\(output.quarantine.map(\.reason))")
        }
    }

    /// One line of many megabytes is an article like any other when the size limit allows it. 4 MB by
    /// default (a debug build cleans and hashes about 150 KB a second), 200 MB in long mode.
    @Test func hugeSingleLine() throws {
        let size = Torture.scale(4 << 20, long: 200 << 20)
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try writeSingleLine(to: input.appendingPathComponent("line.txt"), bytes: size)
            let output = try ExtractOutput.extract([input], run: directory.appendingPathComponent("run")) { $0.maxFileSize = size }
            #expect(output.documents.count == 1 && output.quarantine.isEmpty)
            #expect(output.documents.first?.byteSize == size)
            #expect(output.documents.first.map { $0.text.utf8.count == size } == true, "no byte lost or added")
        }
    }
}
