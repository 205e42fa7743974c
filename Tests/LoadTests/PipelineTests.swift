import Foundation
import Extract
import Transform
import Load
import Pipeline
import Postgres
import RunArtifacts
import Testing
import TestSupport

/// The whole path, extract → transform → load, into a real database.
@Suite struct PipelineTests {
    static let home = BayanHome(root: TestPostgres.repositoryRoot)

    static let chrome = ["اظهر المزيد", "زر الذهاب إلى الأعلى"]

    /// A small input tree: two sources, trailing page chrome, one undecodable file, one copy of another file.
    static func writeInputs(into root: URL) throws {
        let news = root.appendingPathComponent("wire-a")
        let other = root.appendingPathComponent("wire-b")
        try FileManager.default.createDirectory(at: news, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let article = """
            وزراء خارجية التحالف يجتمعون في واشنطن

            أكد الوزراء التزامهم بهزيمة داعش وحماية المدنيين. ودعوا إلى إيصال المساعدات الإنسانية إلى المحتاجين!
            وبلغت قيمة المساعدات 2.5 مليون دولار في 4/6/2020 حسب البيان.

            اظهر المزيد
            زر الذهاب إلى الأعلى
            """
        try article.write(to: news.appendingPathComponent("one.txt"), atomically: true, encoding: .utf8)
        try article.write(to: other.appendingPathComponent("copy-of-one.txt"), atomically: true, encoding: .utf8)
        try "فاز الفريق بالمباراة النهائية\n\nسجل اللاعب هدفين في الشوط الثاني.\nاظهر المزيد\n"
            .write(to: other.appendingPathComponent("sport.txt"), atomically: true, encoding: .utf8)
        // "سلام" in Windows-1256: not UTF-8, so it must be quarantined, not guessed.
        try Data([0xD3, 0xE1, 0xC7, 0xE3, 0x0A]).write(to: other.appendingPathComponent("legacy.txt"))
        try "not an article".write(to: other.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
    }

    func request(inputs: URL, runs: URL, url: String) -> RunRequest {
        request(inputs: [inputs], runs: runs, url: url)
    }

    func request(inputs: [URL], runs: URL, url: String) -> RunRequest {
        RunRequest(inputs: inputs, runsDirectory: runs, configDirectory: Self.home.defaultConfigDirectory,
                   database: .explicit(PostgresConfiguration(url)), home: Self.home, migrate: false, arguments: ["run", "--test"])
    }

    @Test func loadsOnceAndSecondRunAddsNothing() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            try TestPostgres.withDatabaseURL { url in
                let pipeline = Pipeline(logger: TestPostgres.quietLogger)
                let first = try pipeline.run(request(inputs: inputs, runs: directory.appendingPathComponent("runs"), url: url))
                #expect(first.status == "succeeded")
                #expect(first.extract?.filesSeen == 4, "4 .txt files; notes.md is not one")
                #expect(first.extract?.duplicateFiles == 1)
                #expect(first.extract?.quarantined == 1)
                #expect(first.load?.documentsNew == 2)
                #expect(first.load?.quarantinedNew == 1)
                #expect((first.load?.sentences ?? 0) >= 5)

                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                func count(_ sql: String) throws -> Int { try connection.query(sql)[0].decode(0, as: Int.self) }

                #expect(try count("SELECT count(*) FROM documents") == 2)
                #expect(try count("SELECT count(*) FROM sentences") == first.load?.sentences)
                #expect(try count("SELECT count(*) FROM sentence_themes") == first.load?.themeHits)
                #expect(try count("SELECT count(*) FROM sentence_themes") > 0)
                #expect(try count("SELECT count(*) FROM removed_lines") == 3)
                // No chrome among the sentences, and the headline is paragraph 0.
                for line in Self.chrome {
                    #expect(try count("SELECT count(*) FROM sentences WHERE text = '\(line)'") == 0, "\(line)")
                }
                let title = try connection.query("SELECT title FROM documents WHERE source_path = 'wire-a/one.txt'")[0].decode(0, as: String.self)
                #expect(title == "وزراء خارجية التحالف يجتمعون في واشنطن")
                #expect(try count("SELECT count(*) FROM sentences s JOIN documents d USING (document_id) WHERE s.paragraph = 0 AND s.text = d.title") == 2)
                // Decimals and dates do not split sentences.
                #expect(try count("SELECT count(*) FROM sentences WHERE text = 'وبلغت قيمة المساعدات 2.5 مليون دولار في 4/6/2020 حسب البيان.'") == 1)
                // The document id is derived from the content hash.
                #expect(try count("SELECT count(*) FROM documents WHERE document_id = ('x' || encode(substring(content_sha256 from 1 for 8), 'hex'))::bit(64)::bigint") == 2)
                let reason = try connection.query("SELECT reason FROM quarantine WHERE source_path = 'wire-b/legacy.txt'")[0].decode(0, as: String.self)
                #expect(reason.contains("not valid UTF-8") && reason.contains("offset 0"), "\(reason)")

                let second = try pipeline.run(request(inputs: inputs, runs: directory.appendingPathComponent("runs"), url: url))
                #expect(second.load?.addedNothing == true)
                #expect(second.extract?.alreadyLoaded == 2, "known content is skipped at extract")
                #expect(second.extract?.duplicateFiles == 1)
                #expect(second.extract?.documents == 0)
                #expect(second.load?.quarantinedAgain == 1)
                #expect(try count("SELECT count(*) FROM documents") == 2)
                #expect(try count("SELECT count(*) FROM sentences") == first.load?.sentences)
                #expect(try count("SELECT count(*) FROM quarantine") == 1)
                #expect(try count("SELECT times_seen FROM quarantine") == 2)
                #expect(try count("SELECT count(*) FROM runs WHERE status = 'succeeded'") == 2)
                let runJSON = try Data(contentsOf: URL(fileURLWithPath: second.runDirectory).appendingPathComponent("run.json"))
                #expect(String(decoding: runJSON, as: UTF8.self).contains("\"status\" : \"succeeded\""))
            }
        }
    }

    @Test func loadingTheSameRunTwiceChangesNothing() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            try TestPostgres.withDatabaseURL { url in
                let report = try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: inputs, runs: directory, url: url))
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let snapshot = "SELECT (SELECT count(*) FROM documents) || '/' || (SELECT count(*) FROM sentences) || '/' || (SELECT count(*) FROM sentence_themes) || '/' || (SELECT count(*) FROM removed_lines) || '/' || (SELECT sum(times_seen) FROM quarantine) || '/' || (SELECT sum(documents_seen) FROM boilerplate_lines)"
                let before = try connection.query(snapshot)[0].decode(0, as: String.self)
                let again = try WarehouseLoader(logger: TestPostgres.quietLogger).load(LoadRequest(
                    runID: report.runID, runDirectory: URL(fileURLWithPath: report.runDirectory), startedAt: report.startedAt,
                    stages: ["load"], arguments: [], configHash: report.configHash, filesSeen: 4, filesDuplicate: 1), into: connection)
                #expect(again.addedNothing)
                #expect(again.quarantinedNew == 0 && again.quarantinedAgain == 1)
                #expect(try connection.query(snapshot)[0].decode(0, as: String.self) == before)
            }
        }
    }

    @Test func aCorruptRunFileLoadsNothingAndNamesTheFile() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            try TestPostgres.withDatabaseURL { url in
                let report = try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: inputs, runs: directory, url: url))
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                try connection.execute("TRUNCATE documents, sentences, sentence_themes, removed_lines CASCADE")
                let sentences = URL(fileURLWithPath: report.runDirectory).appendingPathComponent(RunFile.sentences.relativePath)
                try (String(contentsOf: sentences, encoding: .utf8) + "not-a-number\t1\t1\tنص\tنص\n").write(to: sentences, atomically: true, encoding: .utf8)
                #expect {
                    try WarehouseLoader(logger: TestPostgres.quietLogger).load(LoadRequest(
                        runID: "corrupt-run", runDirectory: URL(fileURLWithPath: report.runDirectory), startedAt: Date(),
                        stages: ["load"], arguments: [], configHash: nil, filesSeen: 0, filesDuplicate: 0), into: connection)
                } throws: { error in
                    guard case LoadError.copyFailed(let file, let cause) = error else { return false }
                    return file.hasSuffix("transform/sentences.tsv") && cause.sqlState == .invalidTextRepresentation
                        && "\(error)".contains("line")
                }
                #expect(try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self) == 0, "all or nothing")
                let run = try connection.query("SELECT status, error FROM runs WHERE run_id = 'corrupt-run'")[0]
                #expect(try run.decode("status", as: String.self) == "failed")
                #expect(try run.decode("error", as: String.self).contains("sentences.tsv"))
            }
        }
    }

    @Test func aHeldLoadLockIsReported() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            try TestPostgres.withDatabaseURL { url in
                let holder = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { holder.close() }
                #expect(try holder.tryAdvisoryLock(PostgresConnection.advisoryLockKey("bayan.load")))
                #expect {
                    try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: inputs, runs: directory, url: url))
                } throws: { error in
                    guard case LoadError.locked = error else { return false }
                    return true
                }
            }
        }
    }

    @Test func aChangedFileIsANewVersionOfItsPath() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            let changing = inputs.appendingPathComponent("wire-b/sport.txt")
            try TestPostgres.withDatabaseURL { url in
                let pipeline = Pipeline(logger: TestPostgres.quietLogger)
                _ = try pipeline.run(request(inputs: inputs, runs: directory, url: url))
                try "فاز الفريق بالمباراة النهائية\nالأحد 4 حزيران / يونيو 2023\n\nنص معدل للخبر.\n".write(to: changing, atomically: true, encoding: .utf8)
                let second = try pipeline.run(request(inputs: inputs, runs: directory, url: url))
                #expect(second.load?.documentsNew == 1)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let versions = try connection.query("SELECT count(*) FROM document_paths WHERE source_path = 'wire-b/sport.txt'")[0].decode(0, as: Int.self)
                #expect(versions == 2)
                let current = try connection.query("""
                    SELECT d.published_on::text AS day, d.published_on_origin AS origin, c.versions
                    FROM current_document_paths c JOIN documents d USING (document_id) WHERE c.source_path = 'wire-b/sport.txt'
                    """)[0]
                #expect(try current.decode("day", as: String.self) == "2023-06-04", "the new version is current")
                #expect(try current.decode("origin", as: String.self) == "text")
                #expect(try current.decode("versions", as: Int.self) == 2)
                // Unchanged paths keep one version, seen by both runs.
                let unchanged = try connection.query("SELECT count(*) AS n, count(DISTINCT last_run_id) AS runs FROM document_paths WHERE source_path = 'wire-a/one.txt'")[0]
                #expect(try unchanged.decode("n", as: Int.self) == 1)
                #expect(try connection.query("SELECT last_run_id = $1 AS latest FROM document_paths WHERE source_path = 'wire-a/one.txt'", [second.runID])[0].decode(0, as: Bool.self))
            }
        }
    }

    /// A document's path is the first, in byte order, of the paths that hold it now: a copy at an earlier path
    /// takes over, hands back when it is deleted (under --mirror), and takes over again when it comes back.
    @Test func aDocumentsPathFollowsItsCurrentPaths() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            let early = inputs.appendingPathComponent("wire-a/0-early.txt")
            try TestPostgres.withDatabaseURL { url in
                let pipeline = Pipeline(logger: TestPostgres.quietLogger)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                func path() throws -> String {
                    try connection.query("""
                        SELECT d.source_path FROM documents d JOIN document_paths p USING (document_id)
                        WHERE p.source_path = 'wire-b/copy-of-one.txt'
                        """)[0].decode(0, as: String.self)
                }
                var mirror = request(inputs: inputs, runs: directory, url: url)
                mirror.extractOptions.mirror = true

                _ = try pipeline.run(request(inputs: inputs, runs: directory, url: url))
                #expect(try path() == "wire-a/one.txt")
                try FileManager.default.copyItem(at: inputs.appendingPathComponent("wire-a/one.txt"), to: early)
                _ = try pipeline.run(request(inputs: inputs, runs: directory, url: url))
                #expect(try path() == "wire-a/0-early.txt", "a new path that sorts first")
                _ = try pipeline.run(request(inputs: inputs, runs: directory, url: url))
                #expect(try path() == "wire-a/0-early.txt", "a run over unchanged input keeps it")
                try FileManager.default.removeItem(at: early)
                _ = try pipeline.run(mirror)
                #expect(try path() == "wire-a/one.txt", "the first path is gone")
                try FileManager.default.copyItem(at: inputs.appendingPathComponent("wire-a/one.txt"), to: early)
                _ = try pipeline.run(mirror)
                #expect(try path() == "wire-a/0-early.txt", "a gone path seen again")
                let gone = try connection.query("SELECT count(*) FROM document_paths WHERE gone_run_id IS NOT NULL")[0].decode(0, as: Int.self)
                #expect(gone == 0)
            }
        }
    }

    @Test func chromeIsLearnedAcrossNightlyRuns() throws {
        try withTemporaryDirectory { directory in
            let config = directory.appendingPathComponent("config")
            try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.home.defaultConfigDirectory.appendingPathComponent("themes.yaml"), to: config.appendingPathComponent("themes.yaml"))
            try "learning:\n  min_documents: 3\n  edge_lines: 2\nlines:\n  - اظهر المزيد\n".write(to: config.appendingPathComponent("boilerplate.yaml"), atomically: true, encoding: .utf8)
            func article(_ number: Int) -> String {
                "عنوان الخبر رقم \(number)\n\nنص الخبر رقم \(number) عن موضوع مختلف.\n\nتابعوا آخر الأخبار عبر موقعنا\n"
            }
            let night1 = directory.appendingPathComponent("night1/wire")
            let night2 = directory.appendingPathComponent("night2/wire")
            try FileManager.default.createDirectory(at: night1, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: night2, withIntermediateDirectories: true)
            for number in 1...2 { try article(number).write(to: night1.appendingPathComponent("\(number).txt"), atomically: true, encoding: .utf8) }
            for number in 3...4 { try article(number).write(to: night2.appendingPathComponent("\(number).txt"), atomically: true, encoding: .utf8) }
            try TestPostgres.withDatabaseURL { url in
                func run(_ input: URL) throws -> RunReport {
                    var request = request(inputs: input.deletingLastPathComponent(), runs: directory.appendingPathComponent("runs"), url: url)
                    request.configDirectory = config
                    return try Pipeline(logger: TestPostgres.quietLogger).run(request)
                }
                let first = try run(night1)
                #expect(first.transform?.learnedLines == 0, "two documents are not enough")
                let second = try run(night2)
                #expect(second.transform?.learnedLines == 1, "yesterday's two and tonight's two pass three")
                #expect(second.transform?.relearned == 2, "yesterday's two documents are transformed again with the line learned")
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let counts = try connection.query("SELECT documents FROM line_counts WHERE sample_text = 'تابعوا آخر الأخبار عبر موقعنا'")
                #expect(try counts.map { try $0.decode(0, as: Int.self) } == [4], "counts accumulate across runs")
                let learned = try connection.query("""
                    SELECT d.source_path FROM removed_lines r JOIN documents d USING (document_id)
                    JOIN boilerplate_lines b USING (line_hash) WHERE r.rule = 'learned' AND b.origin = 'learned' ORDER BY 1
                    """).map { try $0.decode(0, as: String.self) }
                #expect(learned == ["wire/1.txt", "wire/2.txt", "wire/3.txt", "wire/4.txt"],
                        "the line is removed from every document holding it, as one run over both nights would")
                let sqlHash = try connection.query("""
                    SELECT bool_and(normalized_hash = ('x' || encode(substring(sha256(convert_to(normalized_text, 'UTF8')) FROM 1 FOR 8), 'hex'))::bit(64)::bigint)
                    FROM sentences
                    """)[0].decode(0, as: Bool.self)
                #expect(sqlHash, "the hash written by transform is the one SQL computes")
            }
        }
    }

    /// Copies link to the first of the similar documents by publication date, then id, whichever night each
    /// arrived in.
    @Test func copiesWithOtherChromeAreLinkedToTheFirstByDateAndID() throws {
        try withTemporaryDirectory { directory in
            let body = "وزراء الخارجية يجتمعون في روما\n\nأكد الوزراء التزامهم بهزيمة التنظيم.\nودعوا إلى حماية المدنيين.\n"
            let night1 = directory.appendingPathComponent("n1/wire")
            let night2 = directory.appendingPathComponent("n2/other")
            try FileManager.default.createDirectory(at: night1, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: night2, withIntermediateDirectories: true)
            try (body + "\nاظهر المزيد\n").write(to: night1.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try (body + "\nزر الذهاب إلى الأعلى\n").write(to: night1.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
            try ("\u{FEFF}" + body + "\nليست هناك تعليقات\n").write(to: night2.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
            try TestPostgres.withDatabaseURL { url in
                let first = try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: night1.deletingLastPathComponent(), runs: directory, url: url))
                #expect(first.load?.documentsNew == 2 && first.load?.duplicates == 1)
                let second = try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: night2.deletingLastPathComponent(), runs: directory, url: url))
                #expect(second.load?.duplicates == 1, "tonight's copy of yesterday's article is recognised")
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let rows = try connection.query("""
                    SELECT d.source_path, o.source_path AS original, d.duplicate_similarity::float8 AS similarity,
                           (SELECT count(*) FROM sentences s WHERE s.document_id = d.document_id) AS sentences
                    FROM documents d LEFT JOIN documents o ON o.document_id = d.duplicate_of ORDER BY d.source_path
                    """)
                let table = try rows.map { row in
                    "\(try row.decode("source_path", as: String.self)) → \(try row.decode("original", as: String?.self) ?? "-") "
                        + "\(try row.decode("similarity", as: Double?.self).map { String($0) } ?? "-") \(try row.decode("sentences", as: Int.self))"
                }
                let original = try connection.query("SELECT source_path FROM documents ORDER BY published_on NULLS LAST, document_id LIMIT 1")[0]
                    .decode(0, as: String.self)
                var expected: [String] = []
                for path in ["other/c.txt", "wire/a.txt", "wire/b.txt"] {
                    expected.append(path == original ? path + " → - - 3" : path + " → " + original + " 1.0 0")
                }
                #expect(table == expected)
                // The export leaves copies out.
                var exported = 0
                let sink = FileHandle(forWritingAtPath: "/dev/null")!
                exported = try SentenceExport().write(format: .tsv, sinceRun: nil, connection: connection, to: sink)
                #expect(exported == 3)
            }
        }
    }

    @Test func aLightlyEditedCopyIsANearDuplicate() throws {
        try withTemporaryDirectory { directory in
            let original = """
                وزراء الخارجية يجتمعون في روما لبحث المرحلة المقبلة

                أكد وزراء خارجية دول التحالف في بيانهم المشترك التزامهم الكامل بمواصلة الجهود المشتركة لضمان الهزيمة الدائمة للتنظيم.
                ودعا الوزراء إلى حماية المدنيين في المناطق المحررة وتوفير المساعدات الإنسانية لجميع المحتاجين دون عوائق.
                وشدد البيان على أهمية دعم الاستقرار وإعادة الإعمار وعودة النازحين إلى مناطقهم بطريقة آمنة وطوعية وكريمة.
                وختم الوزراء بيانهم بالتأكيد على وحدة التحالف وعزمه على مواجهة التهديدات المتبقية بكل الوسائل المتاحة.

                """
            let edited = original.replacingOccurrences(of: "دون عوائق", with: "بلا أي عوائق")
            let inputs = directory.appendingPathComponent("in/wire")
            try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
            try original.write(to: inputs.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
            try edited.write(to: inputs.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
            try "فاز الفريق المحلي بالمباراة النهائية للكأس بعد أن سجل مهاجمه هدفين في الشوط الثاني.\n"
                .write(to: inputs.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
            try TestPostgres.withDatabaseURL { url in
                let report = try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: inputs.deletingLastPathComponent(), runs: directory, url: url))
                #expect(report.load?.nearDuplicates == 1)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let row = try connection.query("""
                    SELECT o.source_path AS original, d.duplicate_similarity::float8 AS similarity,
                           (SELECT count(*) FROM sentences s WHERE s.document_id = d.document_id) AS sentences
                    FROM documents d JOIN documents o ON o.document_id = d.duplicate_of WHERE d.source_path = 'wire/b.txt'
                    """)[0]
                #expect(try row.decode("original", as: String.self) == "wire/a.txt")
                let similarity = try row.decode("similarity", as: Double.self)
                #expect(similarity >= 0.8 && similarity < 1, "similarity \(similarity)")
                #expect(try row.decode("sentences", as: Int.self) == 0)
                let unrelated = try connection.query("SELECT duplicate_of IS NULL FROM documents WHERE source_path = 'wire/c.txt'")[0].decode(0, as: Bool.self)
                #expect(unrelated)
            }
        }
    }

    @Test func reTransformingUnderANewLexiconReplacesTheLabels() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            let config = directory.appendingPathComponent("config")
            try FileManager.default.copyItem(at: Self.home.defaultConfigDirectory, to: config)
            try TestPostgres.withDatabaseURL { url in
                var first = request(inputs: inputs, runs: directory.appendingPathComponent("runs"), url: url)
                first.configDirectory = config
                let report = try Pipeline(logger: TestPostgres.quietLogger).run(first)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                func labels() throws -> [String] {
                    try connection.query("SELECT ordinal || ':' || theme_code FROM sentence_themes ORDER BY document_id, ordinal, theme_code")
                        .map { try $0.decode(0, as: String.self) }
                }
                let before = try labels()
                #expect(!before.contains { $0.hasSuffix(":sport") })

                // An analyst adds a theme; transform and load run again on the same run directory.
                let themes = config.appendingPathComponent("themes.yaml")
                try (String(contentsOf: themes, encoding: .utf8) + """
                      - code: sport
                        name_ar: الرياضة
                        name_en: Sport
                        description: matches and players
                        terms: [المباراة, الفريق]

                    """).write(to: themes, atomically: true, encoding: .utf8)
                var again = first
                again.stages = [.transform, .load]
                again.continueRunDirectory = URL(fileURLWithPath: report.runDirectory)
                let relabel = try Pipeline(logger: TestPostgres.quietLogger).run(again)
                #expect(relabel.load?.documentsReplaced == 2)
                #expect(relabel.load?.documentsNew == 0)
                let after = try labels()
                #expect(after.contains { $0.hasSuffix(":sport") }, "the new theme labels the football report")
                #expect(Set(after).isSuperset(of: Set(before)), "the other labels are unchanged")
                #expect(try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self) == 2)
                #expect(try connection.query("SELECT count(*) FROM removed_lines")[0].decode(0, as: Int.self) == 3, "replaced, not doubled")

                // The same configuration again: nothing changes.
                let unchanged = try Pipeline(logger: TestPostgres.quietLogger).run(again)
                #expect(unchanged.load?.documentsReplaced == 0 && unchanged.load?.addedNothing == true)
                #expect(try labels() == after)
            }
        }
    }

    @Test func fullRefreshRelabelsTheWholeWarehouseWithoutTheInputs() throws {
        try withTemporaryDirectory { directory in
            let config = directory.appendingPathComponent("config")
            try FileManager.default.copyItem(at: Self.home.defaultConfigDirectory, to: config)
            try TestPostgres.withDatabaseURL { url in
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                // Two nightly runs over two inputs, whose files are then gone.
                for night in ["night-1", "night-2"] {
                    let inputs = directory.appendingPathComponent(night)
                    try Self.writeInputs(into: inputs)
                    try ("تقرير \(night) عن مباراة كرة القدم\n\nفاز الفريق في المباراة النهائية أمس.\n")
                        .write(to: inputs.appendingPathComponent("wire-a/\(night).txt"), atomically: true, encoding: .utf8)
                    var nightly = request(inputs: inputs, runs: directory.appendingPathComponent("runs"), url: url)
                    nightly.configDirectory = config
                    _ = try Pipeline(logger: TestPostgres.quietLogger).run(nightly)
                    try FileManager.default.removeItem(at: inputs)
                }
                let documents = try connection.query("SELECT count(*) FROM documents WHERE duplicate_of IS NULL")[0].decode(0, as: Int.self)
                let sentences = try connection.query("SELECT count(*) FROM sentences")[0].decode(0, as: Int.self)
                #expect(documents == 4)
                #expect(try connection.query("SELECT count(*) FROM sentence_themes WHERE theme_code = 'sport'")[0].decode(0, as: Int.self) == 0)

                let themes = config.appendingPathComponent("themes.yaml")
                try (String(contentsOf: themes, encoding: .utf8) + """
                      - code: sport
                        name_ar: الرياضة
                        name_en: Sport
                        description: matches and players
                        terms: [المباراة, الفريق]

                    """).write(to: themes, atomically: true, encoding: .utf8)
                var relabel = request(inputs: [], runs: directory.appendingPathComponent("runs"), url: url)
                relabel.configDirectory = config
                relabel.stages = [.transform, .load]
                relabel.extractOptions.fullRefresh = true
                let report = try Pipeline(logger: TestPostgres.quietLogger).run(relabel)
                #expect(report.extract?.documents == documents, "every document read back from the warehouse")
                #expect(report.load?.documentsReplaced == documents && report.load?.documentsNew == 0)
                #expect(try connection.query("SELECT count(DISTINCT transform_config_hash) FROM documents WHERE duplicate_of IS NULL")[0].decode(0, as: Int.self) == 1)
                #expect(try connection.query("SELECT count(DISTINCT document_id) FROM sentence_themes WHERE theme_code = 'sport'")[0].decode(0, as: Int.self) == 3,
                        "the three football reports of both nights carry the new theme")
                #expect(try connection.query("SELECT count(*) FROM sentences")[0].decode(0, as: Int.self) == sentences, "replaced, not doubled")
                #expect(try connection.query("SELECT count(*) FROM runs")[0].decode(0, as: Int.self) == 3)
            }
        }
    }

    /// The search vector the transform writes with each sentence is the one SQL's `bayan_search_vector` computes
    /// from its normalized text (which a sentence written by another tool gets from a trigger).
    @Test func searchVectorsFromTheTransformEqualSQLs() throws {
        let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples")
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("in/edge")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            for file in FileManager.default.enumerator(atPath: samples.path)?.compactMap({ $0 as? String }).filter({ $0.hasSuffix(".txt") }) ?? [] {
                try FileManager.default.copyItem(at: samples.appendingPathComponent(file),
                                                 to: input.appendingPathComponent(file.replacingOccurrences(of: "/", with: "-")))
            }
            try """
                اجتماعُ مَجلِسِ الأمـــنِ الدوليّ في نيويورك يوم ٤/٦/٢٠٢٠ بحضور “الأمين العام” للأمم المتحدة.
                قال المتحدث إن النمو بلغ 2.5 في المئة، وإن UN Security Council's وفد وصل إلى العاصمة.
                أُفرج عن ١٢ معتقلاً والمدنيون يطالبون بالمساءلة؛ وكالات: إسرائيل وآمنة وإبراهيم ومؤتمر ورئيس.
                """.write(to: input.appendingPathComponent("edge-cases.txt"), atomically: true, encoding: .utf8)
            try TestPostgres.withDatabaseURL { url in
                let report = try Pipeline(logger: TestPostgres.quietLogger)
                    .run(request(inputs: directory.appendingPathComponent("in"), runs: directory.appendingPathComponent("runs"), url: url))
                #expect(report.load?.sentences ?? 0 > 20)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let differing = try connection.query("""
                    SELECT normalized_text, search_vector::text, bayan_search_vector(normalized_text)::text FROM sentences
                    WHERE search_vector <> bayan_search_vector(normalized_text)
                    """).map { try "\($0.decode(0, as: String.self)): \($0.decode(1, as: String.self)) <> \($0.decode(2, as: String.self))" }
                #expect(differing.isEmpty, "\(differing)")
                let found = try connection.query("SELECT text FROM search_sentences('إجتماع مجلس الامن')").map { try $0.decode(0, as: String.self) }
                #expect(found.count == 1 && found[0].hasPrefix("اجتماعُ"), "\(found)")
                #expect(try connection.query("SELECT count(*) FROM search_sentences('المعتقلين ١٢')")[0].decode(0, as: Int.self) == 1)
            }
        }
    }

    /// The shipped samples: every file loads, chrome never becomes a sentence, themes are found.
    @Test func shippedSamplesLoadCleanly() throws {
        let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples")
        let files = FileManager.default.enumerator(atPath: samples.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".txt") } ?? []
        #expect(files.count >= 5)
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let report = try Pipeline(logger: TestPostgres.quietLogger).run(request(inputs: samples, runs: directory, url: url))
                #expect(report.load?.documentsNew == files.count)
                #expect(report.extract?.quarantined == 0)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                // Every removed line is a configured entry, and no sentence equals one.
                let chromeSentences = try connection.query("""
                    SELECT s.text FROM sentences s JOIN boilerplate_lines b
                      ON b.origin = 'configured' AND s.normalized_text = b.normalized_text
                    """).map { try $0.decode(0, as: String.self) }
                #expect(chromeSentences.isEmpty, "\(chromeSentences)")
                #expect(try connection.query("SELECT count(*) FROM removed_lines")[0].decode(0, as: Int.self) >= files.count)
                let themed = try connection.query("SELECT count(DISTINCT theme_code) FROM sentence_themes")[0].decode(0, as: Int.self)
                #expect(themed >= 5, "the samples speak of most themes")
                let sources = try connection.query("SELECT count(DISTINCT source_name) FROM documents")[0].decode(0, as: Int.self)
                #expect(sources >= 2)
            }
        }
    }

    /// A load that brings more sentences than the warehouse holds drops the full-text index and builds it once at
    /// its end; a smaller one keeps it; an index a stopped load left dropped is built by the next load; an index
    /// another session is reading is kept rather than waited for.
    @Test func aLargeLoadBuildsTheSearchIndexOnceAtItsEnd() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeInputs(into: inputs)
            try TestPostgres.withDatabaseURL { url in
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let comment = try connection.query("SELECT obj_description('sentences_search_idx'::regclass, 'pg_class')")[0].decode(0, as: String.self)
                let definition = try connection.query("SELECT pg_get_indexdef('sentences_search_idx'::regclass)")[0].decode(0, as: String.self)
                func indexAsMigrated() throws -> Bool {
                    let row = try connection.query("""
                        SELECT pg_get_indexdef(i), obj_description(i, 'pg_class'), (SELECT count(*) FROM deferred_indexes)
                        FROM to_regclass('sentences_search_idx') i
                        """)[0]
                    return try row.decode(0, as: String?.self) == definition && row.decode(1, as: String?.self) == comment
                        && row.decode(2, as: Int.self) == 0
                }
                func run(_ inputs: URL) throws -> (RunReport, [String]) {
                    let (logger, store) = RecordingLogHandler.logger()
                    let report = try Pipeline(logger: logger).run(request(inputs: inputs, runs: directory.appendingPathComponent("runs"), url: url))
                    return (report, store.all.map(\.message))
                }

                let (first, firstLog) = try run(inputs)
                #expect(first.status == "succeeded")
                #expect(firstLog.contains("full-text index dropped for the load, built at its end"), "\(firstLog)")
                #expect(firstLog.contains("index built"))
                #expect(try indexAsMigrated())
                #expect(try connection.query("SELECT count(*) FROM search_sentences('المساعدات')")[0].decode(0, as: Int.self) > 0)

                // Fewer sentences than the warehouse holds: the index stays and is updated.
                let more = directory.appendingPathComponent("more/wire-c")
                try FileManager.default.createDirectory(at: more, withIntermediateDirectories: true)
                try "اجتماع جديد\n\nاجتمع الوفدان في العاصمة.\n".write(to: more.appendingPathComponent("new.txt"), atomically: true, encoding: .utf8)
                let (_, smallLog) = try run(more.deletingLastPathComponent())
                #expect(!smallLog.contains { $0.contains("index dropped") || $0.contains("index built") }, "\(smallLog)")
                #expect(try indexAsMigrated())

                // A load that stopped after dropping the index: the next load, whatever its size, builds it.
                try connection.execute("""
                    INSERT INTO deferred_indexes (index_name, table_name, definition, comment, run_id)
                    SELECT 'sentences_search_idx', 'sentences', pg_get_indexdef(i), obj_description(i, 'pg_class'), 'a-stopped-run'
                    FROM to_regclass('sentences_search_idx') i;
                    DROP INDEX sentences_search_idx;
                    """)
                try "اجتماع آخر\n\nوصل الوفد إلى العاصمة.\n".write(to: more.appendingPathComponent("another.txt"), atomically: true, encoding: .utf8)
                let (resumed, resumedLog) = try run(more.deletingLastPathComponent())
                #expect(resumed.load?.documentsNew == 1)
                #expect(resumedLog.contains("an index an earlier load dropped is built at the end of this load"), "\(resumedLog)")
                #expect(try indexAsMigrated())

                // Another session reads the sentences: the load does not wait for it and keeps the index.
                try connection.execute("TRUNCATE documents CASCADE")
                let reader = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { reader.close() }
                try reader.execute("BEGIN; SELECT count(*) FROM sentences")
                let (busy, busyLog) = try run(inputs)
                try reader.execute("ROLLBACK")
                #expect(busy.status == "succeeded" && busy.load?.documentsNew == 2)
                #expect(busyLog.contains("full-text index kept: another session is using the sentences table"), "\(busyLog)")
                #expect(try indexAsMigrated())
            }
        }
    }
}
