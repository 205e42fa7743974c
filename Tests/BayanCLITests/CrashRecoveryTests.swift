import Foundation
import Logging
import Postgres
import PostgresCluster
import Testing
import TestSupport

/// The nightly job under real damage: the `bayan` process killed with SIGKILL or stopped with SIGTERM in the
/// middle of a load, the database stopped under it, a row the database refuses; every case ends, after
/// `--resume`, with the warehouse a clean run gives.
@Suite(.serialized) struct CrashRecoveryTests {
    static let batchSize = "4"

    /// `count` distinct articles recombined from the bundled samples' sentences (seeded, so every call writes
    /// the same files), in three source folders.
    static func writeArticles(count: Int, into directory: URL) throws {
        let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples")
        var pool: [String] = []
        for path in try FileManager.default.subpathsOfDirectory(atPath: samples.path).sorted() where path.hasSuffix(".txt") {
            let text = try String(contentsOf: samples.appendingPathComponent(path), encoding: .utf8)
            pool += text.split(whereSeparator: \.isNewline).map(String.init).filter { $0.count > 40 }
        }
        #expect(pool.count > 20, "the samples give enough sentences to recombine")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for index in 0..<count {
            let folder = directory.appendingPathComponent(["wire-a", "wire-b", "wire-c"][index % 3])
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var lines = ["تقرير رقم \(index + 1) عن تطورات الأحداث في المنطقة", ""]
            for _ in 0..<6 { lines.append(pool[next(pool.count)]) }
            lines.append("وأفاد البيان رقم \(index * 7 + 3) الصادر اليوم بأن المتابعة مستمرة.")
            try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(String(format: "article-%04d.txt", index)),
                                                               atomically: true, encoding: .utf8)
        }
    }

    /// Runs `body` in a temporary directory holding `count` articles under `in/` (see ``writeArticles``), with
    /// the runs directory to use and the fingerprint of a clean run over them.
    static func withArticles(_ count: Int, _ body: (_ directory: URL, _ inputs: URL, _ runs: URL, _ clean: [String: String]) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try writeArticles(count: count, into: inputs)
            try body(directory, inputs, directory.appendingPathComponent("runs"), try cleanRunFingerprint(inputs: inputs, directory: directory))
        }
    }

    /// Row counts and content checksums of every warehouse table, without run ids and times (which differ
    /// between any two runs).
    static func fingerprint(_ url: String) throws -> [String: String] {
        let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
        defer { connection.close() }
        let tables: [(String, String, String)] = [
            ("documents", "document_id, content_sha256, source_path, source_name, title, paragraph_count, sentence_count, lines_removed, duplicate_of, duplicate_similarity, body_hash, transform_config_hash", "document_id"),
            ("sentences", "document_id, ordinal, paragraph, text, normalized_text, normalized_hash, start_offset, end_offset", "document_id, ordinal"),
            ("sentence_themes", "document_id, ordinal, theme_code, score, matched_terms, matched_tokens", "document_id, ordinal, theme_code"),
            ("removed_lines", "document_id, line_number, text, rule", "document_id, line_number"),
            ("boilerplate_lines", "line_hash, origin, documents_seen, sources_seen", "line_hash"),
            ("line_counts", "line_hash, source_name, documents", "line_hash, source_name"),
            ("document_paths", "source_path, document_id", "source_path, document_id"),
            ("document_bands", "band_key, document_id", "band_key, document_id"),
            ("quarantine", "source_path, stage, reason, times_seen", "source_path, stage, reason"),
            ("themes", "theme_code, threshold, lexicon_version", "theme_code"),
        ]
        return try checksums(connection, tables.map { ($0.0, $0.1, $0.2, "") })
    }

    /// Row count and checksum of each (table, columns, order, filter), keyed by table.
    static func checksums(_ connection: PostgresConnection, _ tables: [(String, String, String, String)]) throws -> [String: String] {
        var result: [String: String] = [:]
        for (table, columns, order, filter) in tables {
            let row = try connection.query(
                "SELECT count(*)::text || ' ' || coalesce(md5(string_agg(row(\(columns))::text, '|' ORDER BY \(order))), '-') FROM \(table) \(filter)")[0]
            result[table] = try row.decode(0, as: String.self)
        }
        return result
    }

    static func count(_ sql: String, _ url: String) throws -> Int {
        let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
        defer { connection.close() }
        return try connection.query(sql)[0].decode(0, as: Int.self)
    }

    /// Documents of the warehouse without all their sentences: what a reader must never see.
    static func partialDocuments(_ url: String) throws -> Int {
        try count("""
            SELECT count(*) FROM documents d WHERE d.duplicate_of IS NULL
              AND d.sentence_count <> (SELECT count(*) FROM sentences s WHERE s.document_id = d.document_id)
            """, url)
    }

    /// Waits until the load has committed at least `batches` batches, polling the ledger.
    static func waitForBatches(_ batches: Int, url: String, while process: BackgroundBayan) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            if (try? count("SELECT count(*) FROM load_batches", url)) ?? 0 >= batches { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        Issue.record("the load never committed \(batches) batches")
    }

    /// What a clean, uninterrupted run over `inputs` leaves in a database of its own.
    static func cleanRunFingerprint(inputs: URL, directory: URL) throws -> [String: String] {
        try cleanRun(inputs: inputs, directory: directory).fingerprint
    }

    /// The clean run's fingerprint and how long the `bayan` process took.
    static func cleanRun(inputs: URL, directory: URL) throws -> (fingerprint: [String: String], seconds: Double) {
        try TestPostgres.withDatabaseURL { url in
            let started = Date()
            let result = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--batch-size", batchSize,
                                              "--runs-dir", directory.appendingPathComponent("clean-runs").path], workingDirectory: directory)
            let seconds = Date().timeIntervalSince(started)
            #expect(result.status == 0, "\(result.standardError)")
            return (try fingerprint(url), seconds)
        }
    }

    static func runJSON(_ runsDirectory: URL) throws -> [String: Any] {
        let runs = try FileManager.default.contentsOfDirectory(atPath: runsDirectory.path).sorted()
        let data = try Data(contentsOf: runsDirectory.appendingPathComponent(runs.last!).appendingPathComponent("run.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func killedMidLoadThenResumedEqualsACleanRun() throws {
        try Self.withArticles(160) { directory, inputs, runs, clean in
            try TestPostgres.withDatabaseURL { url in
                let arguments = ["run", "--input", inputs.path, "--database", url, "--batch-size", Self.batchSize, "--runs-dir", runs.path]
                let first = try BackgroundBayan(arguments, workingDirectory: directory)
                try Self.waitForBatches(3, url: url, while: first)
                first.send(SIGKILL)
                let killed = first.wait()
                #expect(killed.status == 128 + SIGKILL)
                let committed = try Self.count("SELECT count(*) FROM load_batches", url)
                #expect(committed >= 3 && committed < 40, "killed mid-load (\(committed) of 40 batches)")
                // What a reader sees meanwhile: whole documents only.
                #expect(try Self.partialDocuments(url) == 0)
                #expect(try Self.count("SELECT count(*) FROM runs WHERE status = 'running' AND finished_at IS NULL", url) == 1,
                        "the ledger shows the crash as a run that never finished")
                // The first load dropped the full-text index to build it at its end; the definition waits for the next load.
                #expect(try Self.count("SELECT count(*) FROM deferred_indexes WHERE to_regclass(index_name) IS NULL", url) == 1)
                let check = try BayanBinary.run(["check", "--database", url], workingDirectory: directory)
                #expect(check.standardOutput.contains("warn  indexes_built") && check.standardOutput.contains("sentences_search_idx"),
                        "the checks say the index waits for the next load: \(check.standardOutput)")

                let resumed = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--resume", "--runs-dir", runs.path],
                                                  workingDirectory: directory)
                #expect(resumed.status == 0, "\(resumed.standardError)")
                #expect(try Self.fingerprint(url) == clean)
                #expect(try Self.count("SELECT count(*) FROM runs", url) == 1, "the resumed run is the same run")
                #expect(try Self.count("SELECT count(*) FROM load_batches", url) == 40)
                #expect(try Self.count("SELECT count(*) FROM runs WHERE status = 'succeeded' AND documents_new = 160", url) == 1)
                #expect(try Self.count("SELECT count(*) FROM deferred_indexes", url) == 0)
                #expect(try Self.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'sentences_search_idx'", url) == 1, "built by the resumed load")
                #expect(try Self.count("SELECT count(*) FROM run_stages WHERE status = 'succeeded'", url) == 3)
                let report = try Self.runJSON(runs)
                #expect(report["status"] as? String == "succeeded")
                #expect((report["load"] as? [String: Any])?["batchesResumed"] as? Int == committed)

                let again = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--resume", "--runs-dir", runs.path],
                                                workingDirectory: directory)
                #expect(again.status == 0 && again.standardOutput.contains("Nothing new was loaded"), "\(again.standardOutput)")
                #expect(try Self.fingerprint(url) == clean, "a run after the resumed one adds nothing")
            }
        }
    }

    /// SIGKILL at seeded random moments across the whole run (extract, transform and load), then `--resume`:
    /// every trial ends with the warehouse of an uninterrupted run. `BAYAN_TORTURE_LONG=1` runs 30 trials;
    /// `BAYAN_TORTURE_SEED` picks other kill points.
    @Test func killedAnywhereThenResumedEqualsACleanRun() throws {
        let environment = ProcessInfo.processInfo.environment
        let trials = environment["BAYAN_TORTURE_LONG"] == "1" ? 30 : 3
        let seed = environment["BAYAN_TORTURE_SEED"].flatMap(UInt64.init) ?? 20_261_123
        var random = SeededGenerator(seed: seed)
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeArticles(count: 120, into: inputs)
            let (clean, cleanSeconds) = try Self.cleanRun(inputs: inputs, directory: directory)
            var stagesHit: [String: Int] = [:]
            for trial in 0..<trials {
                let delay = Double(random.next() % 1000) / 1000 * cleanSeconds
                let runs = directory.appendingPathComponent("runs-\(trial)")
                try TestPostgres.withDatabaseURL { url in
                    let arguments = ["run", "--input", inputs.path, "--database", url, "--batch-size", Self.batchSize, "--runs-dir", runs.path]
                    let victim = try BackgroundBayan(arguments, workingDirectory: directory)
                    Thread.sleep(forTimeInterval: delay)
                    victim.send(SIGKILL)
                    _ = victim.wait()
                    let report = try? Self.runJSON(runs)
                    let stage = (report?["stages"] as? [[String: Any]])?.last { $0["status"] as? String == "running" }?["stage"] as? String
                        ?? (report == nil ? "before extract" : report?["status"] as? String == "succeeded" ? "after load" : "between stages")
                    stagesHit[stage, default: 0] += 1
                    print("trial \(trial): killed after \(String(format: "%.2f", delay)) of \(String(format: "%.2f", cleanSeconds)) s, in \(stage)")

                    let resumed = try BayanBinary.run(arguments + ["--resume"], workingDirectory: directory)
                    #expect(resumed.status == 0, "seed \(seed), trial \(trial), killed after \(delay) s: \(resumed.standardError)")
                    #expect(try Self.fingerprint(url) == clean, "seed \(seed), trial \(trial), killed after \(delay) s in \(stage)")
                    #expect(try Self.count("SELECT count(*) FROM runs WHERE status <> 'succeeded'", url) == 0, "seed \(seed), trial \(trial)")
                }
            }
            print("kill points by stage (seed \(seed)): \(stagesHit.sorted { $0.key < $1.key })")
            if trials >= 30 {
                for stage in ["extract", "transform", "load"] {
                    #expect(stagesHit[stage, default: 0] > 0, "seed \(seed) killed no run during \(stage)")
                }
            }
        }
    }

    /// Extract and transform on one thread and on several write the same bytes. With two threads transform takes
    /// the 150 articles in two chunks (128 a chunk), the second mapped while the first is written.
    @Test func outputDoesNotDependOnTheNumberOfThreads() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeArticles(count: 150, into: inputs)
            try TestPostgres.withDatabaseURL { url in
                var outputs: [[String: Data]] = []
                for jobs in ["1", "2", "3"] {
                    let runs = directory.appendingPathComponent("runs-\(jobs)")
                    let result = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--to", "transform", "--jobs", jobs,
                                                      "--runs-dir", runs.path], workingDirectory: directory)
                    #expect(result.status == 0, "\(result.standardError)")
                    let run = runs.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted().last!)
                    var files: [String: Data] = [:]
                    for stage in ["extract", "transform"] {
                        for name in try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent(stage).path) {
                            files["\(stage)/\(name)"] = try Data(contentsOf: run.appendingPathComponent(stage).appendingPathComponent(name))
                        }
                    }
                    outputs.append(files)
                }
                #expect(outputs[0].count == 12)
                for (other, jobs) in zip(outputs.dropFirst(), ["2", "3"]) {
                    #expect(other.keys.sorted() == outputs[0].keys.sorted())
                    for (name, data) in outputs[0] {
                        #expect(other[name] == data, "\(name) differs between --jobs 1 and --jobs \(jobs)")
                    }
                }
            }
        }
    }

    @Test func sigtermStopsCleanlyAndTheRunResumes() throws {
        try Self.withArticles(160) { directory, inputs, runs, clean in
            try TestPostgres.withDatabaseURL { url in
                let first = try BackgroundBayan(["run", "--input", inputs.path, "--database", url, "--batch-size", Self.batchSize,
                                                 "--runs-dir", runs.path], workingDirectory: directory)
                try Self.waitForBatches(2, url: url, while: first)
                first.send(SIGTERM)
                let stopped = first.wait()
                #expect(stopped.status == 143, "\(stopped.standardError)")
                #expect(stopped.standardError.contains("interrupted by SIGTERM"), "\(stopped.standardError)")
                #expect(try Self.count("SELECT count(*) FROM runs WHERE status = 'interrupted' AND finished_at IS NOT NULL", url) == 1)
                #expect(try Self.count("SELECT count(*) FROM run_stages WHERE stage = 'load' AND status = 'interrupted'", url) == 1)
                #expect(try Self.runJSON(runs)["status"] as? String == "interrupted")
                #expect(try Self.partialDocuments(url) == 0, "the batch in flight rolled back whole")

                let resumed = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--resume", "--runs-dir", runs.path],
                                                  workingDirectory: directory)
                #expect(resumed.status == 0, "\(resumed.standardError)")
                #expect(try Self.fingerprint(url) == clean)
            }
        }
    }

    @Test func databaseStoppedMidLoadExitsTempFailAndResumes() throws {
        try Self.withArticles(160) { directory, inputs, runs, clean in
            // A cluster of this test's own, which it can stop under the run.
            let clusterDirectory = directory.appendingPathComponent("cluster")
            try FileManager.default.createDirectory(at: clusterDirectory, withIntermediateDirectories: true)
            let cluster = try PostgresCluster(directory: clusterDirectory, port: 5433, serverSettings: ["fsync": "off"])
            try cluster.initialize(logger: TestPostgres.quietLogger)
            try cluster.start(logger: TestPostgres.quietLogger)
            defer { try? cluster.stop(logger: TestPostgres.quietLogger, mode: "immediate") }
            let url = cluster.url(database: "postgres")
            let migrate = try BayanBinary.run(["migrate", "--database", url], workingDirectory: directory)
            #expect(migrate.status == 0, "\(migrate.standardError)")

            let first = try BackgroundBayan(["run", "--input", inputs.path, "--database", url, "--batch-size", Self.batchSize, "--runs-dir", runs.path,
                                             "--retries", "3", "--retry-delay", "0.2"], workingDirectory: directory)
            try Self.waitForBatches(2, url: url, while: first)
            try cluster.stop(logger: TestPostgres.quietLogger, mode: "fast")
            let failed = first.wait()
            #expect(failed.status == 75, "\(failed.standardError)")
            let errorLines = failed.standardError.split(separator: "\n").filter { $0.hasPrefix("bayan: error:") }
            #expect(errorLines.count == 1 && errorLines[0].contains("load") && errorLines[0].contains("unreachable"), "\(failed.standardError)")
            #expect(try Self.runJSON(runs)["status"] as? String == "failed")

            try cluster.start(logger: TestPostgres.quietLogger)
            #expect(try Self.partialDocuments(url) == 0, "nothing partial")
            let resumed = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--resume", "--runs-dir", runs.path],
                                              workingDirectory: directory)
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(try Self.fingerprint(url) == clean)
            #expect(try Self.count("SELECT count(*) FROM runs WHERE status = 'succeeded'", url) == 1)
        }
    }

    @Test func aRejectedDocumentIsIsolatedAndTheRestLoads() throws {
        try withTemporaryDirectory { directory in
            let inputs = directory.appendingPathComponent("in")
            try Self.writeArticles(count: 30, into: inputs)
            let runs = directory.appendingPathComponent("runs")
            try TestPostgres.withDatabaseURL { url in
                let prepared = try BayanBinary.run(["run", "--input", inputs.path, "--database", url, "--to", "transform", "--runs-dir", runs.path],
                                                   workingDirectory: directory)
                #expect(prepared.status == 0, "\(prepared.standardError)")
                let runDirectory = runs.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted().last!)
                // A theme hit whose theme does not exist: the database refuses it (foreign key) and so its document.
                let documents = try String(contentsOf: runDirectory.appendingPathComponent("transform/documents.tsv"), encoding: .utf8)
                    .split(separator: "\n")
                let victimLine = String(documents[17])
                let victim = victimLine.prefix { $0 != "\t" }
                let themes = runDirectory.appendingPathComponent("transform/sentence_themes.tsv")
                try (String(contentsOf: themes, encoding: .utf8) + "\(victim)\t1\tno_such_theme\t1\t{x}\tv\t{}\n")
                    .write(to: themes, atomically: true, encoding: .utf8)

                let strict = try BayanBinary.run(["load", "--database", url, "--runs-dir", runs.path, "--batch-size", "8"], workingDirectory: directory)
                #expect(strict.status == 65, "over the budget of 0: \(strict.standardError)")
                #expect(strict.standardError.contains("1 document(s) rejected"), "\(strict.standardError)")
                #expect(try Self.count("SELECT count(*) FROM documents", url) == 29, "the rest of the batch and the run loaded")
                #expect(try Self.count("SELECT count(*) FROM documents WHERE document_id = \(victim)", url) == 0)
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let reject = try connection.query("SELECT document_id, sqlstate, error, record, source_path FROM rejects")
                #expect(reject.count == 1)
                #expect(try reject[0].decode("document_id", as: Int64.self) == Int64(victim))
                #expect(try reject[0].decode("sqlstate", as: String.self) == "23503")
                #expect(try reject[0].decode("error", as: String.self).contains("sentence_themes"))
                #expect(try reject[0].decode("record", as: String.self) == victimLine, "the original record")
                #expect(try connection.query("SELECT rejected FROM runs")[0].decode(0, as: Int.self) == 1)

                let tolerant = try BayanBinary.run(["load", "--database", url, "--runs-dir", runs.path, "--max-rejects", "1"], workingDirectory: directory)
                #expect(tolerant.status == 0, "within the budget: \(tolerant.standardError)")
                #expect(try Self.count("SELECT count(*) FROM rejects", url) == 1, "rejected again, recorded once")
            }
        }
    }
}
