import Foundation
import Extract
import Glibc
import Postgres
import PostgresCluster
import RunArtifacts
import Testing
import TestSupport

/// Hostile inputs through the built `bayan` binary into a real warehouse, with the binary's peak memory.
///
/// Serialized: each test measures one process's memory, and two big runs at once on two cores would only
/// slow each other down.
@Suite(.serialized) struct EndToEndTortureTests {
    /// Peak RSS allowed for a run over small inputs (the binary, its libraries and one batch of files).
    static let smallRunPeakLimit = 400 << 20

    static func connect(_ url: String) throws -> PostgresConnection {
        try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
    }

    /// One folder of everything awkward at once: names, kinds of file, NUL, marks only, a long article.
    @Test func hostileFolderLoadsWhatIsTextAndQuarantinesTheRest() throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            let wire = input.appendingPathComponent("wire")
            try FileManager.default.createDirectory(at: wire, withIntermediateDirectories: true)
            var expectedPaths: [String: String] = [:]  // recorded path → a sentence of its article
            for (index, entry) in HostileInputTests.awkwardNames.enumerated() {
                let sentence = "خبر رقم \(index) عن الاجتماع الوزاري."
                try writeFile(named: entry.name, in: wire, contents: Array("عنوان \(index)\n\n\(sentence)\n".utf8))
                expectedPaths["wire/" + entry.recorded] = sentence
            }
            // Article text holding SQL, quotes and backslashes, stored as written.
            let hostileSentence = #"قال المتحدث '; DROP TABLE documents; -- ثم $1 و\N و\\ و"اقتباس" انتهى."#
            try Data("بيان\n\n\(hostileSentence)\n".utf8).write(to: wire.appendingPathComponent("sql-text.txt"))
            #expect(mkfifo(wire.appendingPathComponent("pipe.txt").path, 0o644) == 0)
            try FileManager.default.createSymbolicLink(atPath: wire.appendingPathComponent("zero.txt").path, withDestinationPath: "/dev/zero")
            try Data(Array("عنوان\n\nنص".utf8) + [0] + Array(" بقية.\n".utf8)).write(to: wire.appendingPathComponent("nul.txt"))
            // A quarantined file with an awkward name: the quarantine row holds the name as recorded.
            try writeFile(named: Array("bad\n'; --\t".utf8) + [0xFF] + Array(".txt".utf8), in: wire, contents: [0x41, 0x00, 0x42])
            try Data("\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\n".utf8).write(to: wire.appendingPathComponent("marks.txt"))
            try Data("!!! ... ؟؟؟ ،،، «» ***\n".utf8).write(to: wire.appendingPathComponent("punctuation.txt"))
            try writeSingleLine(to: wire.appendingPathComponent("oversized.txt"), bytes: 2 << 20 + 1)
            let paragraphs = 10_000
            let long = "مقال طويل جدا\n\n" + (0..<paragraphs).map { "هذه الفقرة رقم \($0) من المقال الطويل." }.joined(separator: "\n\n") + "\n"
            try Data(long.utf8).write(to: wire.appendingPathComponent("long.txt"))

            try TestPostgres.withDatabaseURL { url in
                let runs = directory.appendingPathComponent("runs")
                let (result, peak) = try PeakMemory.runBayan(
                    ["run", "--input", input.path, "--database", url, "--runs-dir", runs.path, "--max-file-size", "2M"],
                    workingDirectory: directory)
                #expect(result.status == 0, "\(result.standardError)")
                print("peak RSS, hostile folder: \(PeakMemory.megabytes(peak))")
                #expect(peak > 0 && peak < Self.smallRunPeakLimit, "peak RSS \(PeakMemory.megabytes(peak))")

                let connection = try Self.connect(url)
                defer { connection.close() }
                // Every awkward name is stored as recorded, with its article's sentence.
                for (path, sentence) in expectedPaths {
                    let rows = try connection.query("""
                        SELECT s.text FROM documents d JOIN sentences s USING (document_id)
                        WHERE d.source_path = $1 AND s.text = $2
                        """, [path, sentence])
                    #expect(rows.count == 1, "\(path.debugDescription) with \(sentence)")
                }
                let stored = try connection.query("SELECT s.text FROM documents d JOIN sentences s USING (document_id) WHERE d.source_path = 'wire/sql-text.txt'")
                #expect(try stored.map { try $0.decode(0, as: String.self) }.contains(hostileSentence))
                #expect(try connection.query("SELECT to_regclass('documents') IS NOT NULL AS present")[0].decode(0, as: Bool.self))

                // What could not be taken is quarantined with its reason.
                let quarantine = try connection.query("SELECT source_path, reason FROM quarantine ORDER BY source_path")
                let reasons = Dictionary(try quarantine.map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }) { $1 }
                #expect(reasons["wire/pipe.txt"]?.contains("not a regular file") == true, "\(reasons)")
                #expect(reasons["wire/zero.txt"]?.contains("not a regular file") == true, "\(reasons)")
                #expect(reasons["wire/nul.txt"]?.contains("NUL byte") == true, "\(reasons)")
                #expect(reasons["wire/oversized.txt"]?.contains("size limit") == true, "\(reasons)")
                #expect(reasons["wire/bad\n'; --\t%FF.txt"]?.contains("NUL byte") == true, "\(reasons.keys.map(\.debugDescription))")

                // The long article has all its paragraphs, one sentence each.
                let counted = try connection.query("""
                    SELECT d.sentence_count, count(s.*) AS stored, max(s.paragraph) AS last_paragraph
                    FROM documents d JOIN sentences s USING (document_id) WHERE d.source_path = 'wire/long.txt'
                    GROUP BY d.sentence_count
                    """)
                #expect(counted.count == 1)
                if counted.count == 1 {
                    #expect(try counted[0].decode("stored", as: Int.self) == paragraphs + 1, "the title and every paragraph")
                }

                // Marks only and punctuation only: no word, quarantined by transform.
                for path in ["wire/marks.txt", "wire/punctuation.txt"] {
                    #expect(reasons[path]?.hasPrefix("no words:") == true, "\(path): \(reasons[path] ?? "not quarantined")")
                    #expect(try connection.query("SELECT 1 FROM documents WHERE source_path = $1", [path]).count == 0, "\(path) loaded")
                }

                // The run files say the same as the warehouse.
                let runDirectory = try #require(try FileManager.default.contentsOfDirectory(at: runs, includingPropertiesForKeys: nil).first)
                var seen: [String] = []
                try RunFileReader(url: runDirectory.appendingPathComponent(RunFile.seenFiles.relativePath)).forEach(SeenFileRecord.self) { seen.append($0.sourcePath) }
                #expect(Set(expectedPaths.keys).isSubset(of: Set(seen)), "files.tsv: \(seen)")
                let warehousePaths = Set(try connection.query("SELECT source_path FROM document_paths").map { try $0.decode(0, as: String.self) })
                #expect(Set(expectedPaths.keys).isSubset(of: warehousePaths))
            }
        }
    }

    /// Files without a single word (harakat, tatweel, Quranic marks, punctuation, symbols, emoji) are quarantined
    /// by transform with the reason, and met again by the next run, counted, never loaded; inside a good article a
    /// tatweel rule and stray harakat are no sentences; a ligature that NFKC spells out in letters (ﷲ, ﷺ) is
    /// words, ﷽ (which Unicode does not decompose) is not. No
    /// sentence with an empty normalized text reaches the warehouse, which refuses one itself.
    @Test func textWithoutWordsIsQuarantinedEndToEnd() throws {
        let harakat = "\u{064B}\u{064C}\u{064D}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}"
        let wordless: [String: String] = [
            "wire/harakat.txt": String(repeating: harakat, count: 200) + "\n",
            "wire/tatweel.txt": "ــــــــــــــــ\n\nــــــ\n",
            "wire/quranic.txt": "\u{0670}\u{0610}\u{06D6}\u{06DC}\u{06E1}\n\u{0651}\u{0651}\n",
            "wire/punctuation.txt": "!!! ... ؟؟؟ ،،، «» — *** ؛ ٪\n",
            "wire/symbols.txt": "★ ☆ © ® € § • ✌ 🇵🇸 🌙 ۞\n",  // not ™: NFKC spells it TM
            "wire/bismillah.txt": "\u{FDFD}\n",  // ﷽ is a symbol with no decomposition in Unicode: no letter
            "wire/chrome-and-marks.txt": "زر الذهاب إلى الأعلى\n\n" + harakat + "\n...\n",
        ]
        let good = "عنوان الخبر\n\nقال المتحدث إن الاجتماع انتهى. " + harakat + "\nــــــــــــ\nوبدأ المؤتمر بعد ذلك.\n"
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input.appendingPathComponent("wire"), withIntermediateDirectories: true)
            for (path, text) in wordless { try Data(text.utf8).write(to: input.appendingPathComponent(path)) }
            try Data(good.utf8).write(to: input.appendingPathComponent("wire/good.txt"))
            try Data("\u{FDF2} \u{FDFA}\n".utf8).write(to: input.appendingPathComponent("wire/ligatures.txt"))  // ﷲ ﷺ: NFKC spells out words

            try TestPostgres.withDatabaseURL { url in
                let arguments = ["run", "--input", input.path, "--database", url, "--runs-dir", directory.appendingPathComponent("runs").path]
                let first = try BayanBinary.run(arguments, workingDirectory: directory)
                #expect(first.status == 0, "\(first.standardError)")
                #expect(first.standardOutput.contains("quarantined    \(wordless.count) new"), "\(first.standardOutput)")

                let connection = try Self.connect(url)
                defer { connection.close() }
                let loaded = Set(try connection.query("SELECT source_path FROM documents").map { try $0.decode(0, as: String.self) })
                #expect(loaded == ["wire/good.txt", "wire/ligatures.txt"])
                let quarantine = try connection.query("SELECT source_path, stage, reason, times_seen FROM quarantine")
                var reasons: [String: String] = [:]
                for row in quarantine {
                    reasons[try row.decode("source_path", as: String.self)] = try row.decode("reason", as: String.self)
                    #expect(try row.decode("stage", as: String.self) == "transform")
                }
                #expect(Set(reasons.keys) == Set(wordless.keys), "\(reasons)")
                #expect(reasons.values.allSatisfy { $0.hasPrefix("no words: no letter or digit") }, "\(reasons)")
                #expect(reasons["wire/chrome-and-marks.txt"]?.contains("after removing 1 boilerplate line(s)") == true, "\(reasons)")

                let sentences = try connection.query("""
                    SELECT s.text, s.normalized_text FROM sentences s JOIN documents d USING (document_id)
                    WHERE d.source_path = 'wire/good.txt' ORDER BY s.ordinal
                    """).map { try $0.decode(0, as: String.self) }
                #expect(sentences == ["عنوان الخبر", "قال المتحدث إن الاجتماع انتهى.", "وبدأ المؤتمر بعد ذلك."])
                #expect(try connection.query("SELECT normalized_text FROM sentences s JOIN documents d USING (document_id) WHERE d.source_path = 'wire/ligatures.txt'")
                    .map { try $0.decode(0, as: String.self) } == ["الله صلي الله عليه وسلم"])
                #expect(try connection.query("SELECT count(*) FROM sentences WHERE normalized_text = ''")[0].decode(0, as: Int.self) == 0)
                #expect(try connection.query("SELECT quarantined FROM runs")[0].decode(0, as: Int.self) == wordless.count)

                // The warehouse refuses such a sentence by any other road (23514, check_violation).
                do {
                    try connection.execute("""
                        INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash)
                        SELECT document_id, 99, 1, '\(harakat)', '', 0 FROM documents WHERE source_path = 'wire/good.txt'
                        """)
                    Issue.record("a sentence with an empty normalized text was stored")
                } catch let error as PostgresError {
                    #expect(error.sqlState == .checkViolation && error.constraint == "sentences_normalized_text_not_empty", "\(error)")
                }

                // The next run meets them again: counted as seen before, still not loaded.
                let second = try BayanBinary.run(arguments, workingDirectory: directory)
                #expect(second.status == 0, "\(second.standardError)")
                #expect(second.standardOutput.contains("quarantined    0 new, \(wordless.count) seen before"), "\(second.standardOutput)")
                #expect(try connection.query("SELECT count(*) FROM quarantine WHERE times_seen = 2")[0].decode(0, as: Int.self) == wordless.count)
                #expect(try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self) == 2)
            }
        }
    }

    /// One line of 512 KB (200 MB in long mode) goes through every stage; memory stays a small multiple of it.
    /// (A debug build classifies one-line text at about 15 KB a second, so the default stays small; a release
    /// build peaked at 1.9 GB for 200 MB, in transform, where the segmenter, tokenizer and stemmer each hold
    /// the one sentence's scalars or words.)
    @Test func hugeSingleLineEndToEnd() throws {
        let size = Torture.scale(512 << 10, long: 200 << 20)
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try writeSingleLine(to: input.appendingPathComponent("line.txt"), bytes: size)
            try TestPostgres.withDatabaseURL { url in
                if size > ExtractRequest.defaultMaxFileSize {
                    // Under the default --max-file-size (32M) the file is quarantined with both sizes, not read.
                    let limited = try BayanBinary.run(["run", "--input", input.path, "--database", url,
                                                       "--runs-dir", directory.appendingPathComponent("runs-limited").path], workingDirectory: directory)
                    #expect(limited.status == 0, "\(limited.standardError)")
                    let connection = try Self.connect(url)
                    defer { connection.close() }
                    let reason = try connection.query("SELECT reason FROM quarantine WHERE source_path = 'line.txt'").first?.decode(0, as: String.self)
                    #expect(reason == "\(size) bytes, over the size limit of \(ExtractRequest.defaultMaxFileSize) bytes (--max-file-size)", "\(reason ?? "not quarantined")")
                }
                let started = Date()
                let (result, peak) = try PeakMemory.runBayan(
                    ["run", "--input", input.path, "--database", url, "--runs-dir", directory.appendingPathComponent("runs").path, "--max-file-size", "512M"],
                    workingDirectory: directory)
                let seconds = Date().timeIntervalSince(started)
                #expect(result.status == 0, "\(result.standardError)")
                print("peak RSS, one line of \(PeakMemory.megabytes(size)): \(PeakMemory.megabytes(peak)) in \(Int(seconds)) s")
                let limit = 200 << 20 + 12 * size
                #expect(peak > 0 && peak < limit, "peak RSS \(PeakMemory.megabytes(peak)) for a \(PeakMemory.megabytes(size)) line (limit \(PeakMemory.megabytes(limit)))")
                let connection = try Self.connect(url)
                defer { connection.close() }
                let bytes = try connection.query("SELECT octet_length(raw_text) FROM documents")
                #expect(bytes.count == 1)
                #expect(try bytes.first?.decode(0, as: Int.self) == size, "no byte lost or added")
            }
        }
    }

    /// Thousands of tiny files in one run: all loaded, memory flat.
    @Test func manyTinyFilesEndToEnd() throws {
        let count = Torture.scale(2_000, long: 100_000)
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("input")
            try HostileInputTests.writeTinyFiles(count, into: input)
            try TestPostgres.withDatabaseURL { url in
                let started = Date()
                let (result, peak) = try PeakMemory.runBayan(
                    ["run", "--input", input.path, "--database", url, "--runs-dir", directory.appendingPathComponent("runs").path],
                    workingDirectory: directory)
                let seconds = Date().timeIntervalSince(started)
                #expect(result.status == 0, "\(result.standardError)")
                print("peak RSS, \(count) tiny files: \(PeakMemory.megabytes(peak)) in \(Int(seconds)) s")
                #expect(peak > 0 && peak < Self.smallRunPeakLimit + count * 4096, "peak RSS \(PeakMemory.megabytes(peak))")
                let connection = try Self.connect(url)
                defer { connection.close() }
                #expect(try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self) == count)
            }
        }
    }
}
