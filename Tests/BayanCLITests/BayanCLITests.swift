import Foundation
import Postgres
import PostgresCluster
import Testing
import TestSupport

/// The built `bayan` binary, run as a user or cron would run it.
@Suite struct BayanCLITests {
    static let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples").path

    @Test func helpListsTheCommands() throws {
        try withTemporaryDirectory { directory in
            let result = try BayanBinary.run(["--help"], workingDirectory: directory)
            #expect(result.status == 0)
            for command in ["run", "migrate", "db"] { #expect(result.standardOutput.contains(command), "\(command)") }
        }
    }

    @Test(arguments: [
        (["run"], "give at least one --input"),                          // nothing to read
        (["run", "--input", "x", "--log-level", "loud"], "unknown log level"),  // bad level
        (["frobnicate"], "Unexpected argument"),                          // unknown command
        (["run", "--input", "x", "--encoding", "latin-9"], "unknown encoding"),       // unsupported encoding
        (["run", "--input", "x", "--max-file-size", "lots"], "--max-file-size"),      // not a size
        (["run", "--input", "x", "--source-rule", "regex:(["], "--source-rule"),     // bad pattern
    ])
    func badUsageExitsWith2(arguments: [String], message: String) throws {
        try withTemporaryDirectory { directory in
            let result = try BayanBinary.run(arguments, workingDirectory: directory)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
    }

    @Test func runTwiceAgainstAConfiguredDatabase() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let first = try BayanBinary.run(["run", "--input", Self.samples, "--database", url], workingDirectory: directory)
                #expect(first.status == 0, "\(first.standardError)")
                let fileCount = try FileManager.default.subpathsOfDirectory(atPath: Self.samples).filter { $0.hasSuffix(".txt") }.count
                #expect(first.standardOutput.contains("documents      \(fileCount) new (0 copies of earlier articles), 0 already in the warehouse"), "\(first.standardOutput)")
                #expect(!first.standardOutput.contains("Nothing new"))
                let second = try BayanBinary.run(["run", "--input", Self.samples, "--database", url], workingDirectory: directory)
                #expect(second.status == 0, "\(second.standardError)")
                #expect(second.standardOutput.contains("documents      0 new (0 copies of earlier articles), \(fileCount) already in the warehouse"), "\(second.standardOutput)")
                #expect(second.standardOutput.contains("Nothing new was loaded"))
            }
        }
    }

    @Test func connectsThroughThePGEnvironment() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL(migrated: false) { url in
                let options = try PostgresConfiguration(url).parsedOptions()
                let environment = ["PGHOST": options["host"]!, "PGPORT": options["port"]!, "PGDATABASE": options["dbname"]!, "PGUSER": options["user"]!]
                let migrate = try BayanBinary.run(["migrate"], environment: environment, workingDirectory: directory)
                #expect(migrate.status == 0, "\(migrate.standardError)")
                #expect(migrate.standardOutput.contains("applied 0001_warehouse.sql"), "\(migrate.standardOutput)")
                #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".bayan").path), "no embedded cluster was made")
                let again = try BayanBinary.run(["migrate"], environment: environment, workingDirectory: directory)
                let shipped = try FileManager.default.contentsOfDirectory(atPath: TestPostgres.migrationsDirectory.path).filter { $0.hasSuffix(".sql") }.count
                #expect(again.status == 0 && again.standardOutput.contains("Schema up to date (\(shipped) migration(s) applied)"), "\(again.standardOutput)")
                #expect(!again.standardOutput.contains("applied 0001"), "nothing applied the second time")
            }
        }
    }

    @Test func pendingMigrationsStopARunAgainstAConfiguredDatabase() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL(migrated: false) { url in
                let result = try BayanBinary.run(["run", "--input", Self.samples, "--database", url], workingDirectory: directory)
                #expect(result.status == 1)
                #expect(result.standardError.contains("Run 'bayan migrate' first"), "\(result.standardError)")
            }
        }
    }

    @Test func failedConnectionNeverPrintsThePassword() throws {
        try withTemporaryDirectory { directory in
            let url = "postgresql://bayan:top-secret-pw@/nowhere?host=/nonexistent-dir&port=5499"
            let result = try BayanBinary.run(["run", "--input", Self.samples, "--database", url, "--log-level", "trace", "--retries", "2", "--retry-delay", "0.1"],
                                             workingDirectory: directory)
            #expect(result.status == 75, "an unreachable database is a temporary failure")
            #expect(result.standardError.contains("/nonexistent-dir") && result.standardError.contains("5499"), "\(result.standardError)")
            #expect(result.standardError.contains("unreachable after 2 attempts"), "\(result.standardError)")
            #expect(!result.standardError.contains("top-secret-pw"))
            #expect(!result.standardOutput.contains("top-secret-pw"))
        }
    }

    /// The README's first command: no database configured, so Bayan makes, starts and uses its own.
    @Test func embeddedDatabaseEndToEnd() throws {
        try withTemporaryDirectory { directory in
            defer { _ = try? BayanBinary.run(["db", "stop"], workingDirectory: directory) }
            let before = try BayanBinary.run(["db", "status"], workingDirectory: directory)
            #expect(before.status == 3, "no cluster yet: \(before.standardOutput)")

            let run = try BayanBinary.run(["run", "--input", Self.samples], workingDirectory: directory)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput.contains("embedded cluster in \(directory.path)/.bayan/postgres"), "\(run.standardOutput)")

            let status = try BayanBinary.run(["db", "status"], workingDirectory: directory)
            #expect(status.status == 0 && status.standardOutput.contains("running"), "\(status.standardOutput)")
            let url = try BayanBinary.run(["db", "url"], workingDirectory: directory).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(url.hasPrefix("postgresql://"))
            let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
            let documents = try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self)
            let themed = try connection.query("SELECT count(*) FROM sentence_themes")[0].decode(0, as: Int.self)
            connection.close()
            #expect(documents >= 5 && themed > 0)

            let stop = try BayanBinary.run(["db", "stop"], workingDirectory: directory)
            #expect(stop.status == 0 && stop.standardOutput.contains("stopped"), "\(stop.standardOutput)")
            #expect(try BayanBinary.run(["db", "status"], workingDirectory: directory).status == 3)
            // The next run starts it again by itself and finds everything loaded.
            let again = try BayanBinary.run(["run", "--input", Self.samples], workingDirectory: directory)
            #expect(again.status == 0 && again.standardOutput.contains("Nothing new was loaded"), "\(again.standardOutput)\(again.standardError)")
        }
    }

    /// `find … | bayan run --files-from -`, as cron runs it; a quarantined file under --strict exits 65.
    @Test func filesFromStandardInputAndStrict() throws {
        try withTemporaryDirectory { directory in
            let dumps = directory.appendingPathComponent("dumps")
            try FileManager.default.createDirectory(at: dumps.appendingPathComponent("wire"), withIntermediateDirectories: true)
            try "خبر أول\n\nنص الخبر.\n".write(to: dumps.appendingPathComponent("wire/a.txt"), atomically: true, encoding: .utf8)
            try Data([0xFF, 0x00, 0x01]).write(to: dumps.appendingPathComponent("wire/b.txt"))
            try TestPostgres.withDatabaseURL { url in
                let binary = try BayanBinary.locate().path
                let command = "cd '\(dumps.path)' && find . -name '*.txt' | '\(binary)' run --files-from - --database '\(url)' --runs-dir '\(directory.path)/runs'"
                let lenient = try BayanBinary.run([], workingDirectory: directory, argv: ["/bin/sh", "-c", command])
                #expect(lenient.status == 0, "\(lenient.standardError)")
                #expect(lenient.standardOutput.contains("documents      1 new"), "\(lenient.standardOutput)")
                #expect(lenient.standardOutput.contains("1 quarantined"), "\(lenient.standardOutput)")
                let strict = try BayanBinary.run([], workingDirectory: directory, argv: ["/bin/sh", "-c", command + " --strict"])
                #expect(strict.status == 65, "\(strict.standardOutput)\(strict.standardError)")
                #expect(strict.standardError.contains("quarantined and --strict is set"))
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let rows = try connection.query("SELECT source_path, source_name FROM documents")
                #expect(try rows.map { try $0.decode("source_path", as: String.self) } == ["wire/a.txt"])
                #expect(try rows.map { try $0.decode("source_name", as: String.self) } == ["wire"])
                let quarantine = try connection.query("SELECT source_path, times_seen FROM quarantine")
                #expect(quarantine.count == 1, "the same bad file met twice is one row")
                #expect(try quarantine.first?.decode("times_seen", as: Int.self) == 2)
            }
        }
    }

    @Test func exportsSentencesAsTSVAndJSONLines() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let run = try BayanBinary.run(["run", "--input", Self.samples, "--database", url], workingDirectory: directory)
                #expect(run.status == 0, "\(run.standardError)")
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                let total = try connection.query("SELECT count(*) FROM sentences")[0].decode(0, as: Int.self)
                let themed = try connection.query("SELECT count(DISTINCT (document_id, ordinal)) FROM sentence_themes")[0].decode(0, as: Int.self)
                let runID = try connection.query("SELECT run_id FROM runs")[0].decode(0, as: String.self)
                connection.close()

                let tsv = try BayanBinary.run(["export", "sentences", "--database", url], workingDirectory: directory)
                #expect(tsv.status == 0, "\(tsv.standardError)")
                let lines = tsv.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                #expect(lines.count == total)
                #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 6 })
                #expect(lines.filter { !$0.hasSuffix("\t") }.count == themed, "the last column lists themes, empty for none")
                let first = lines.first?.split(separator: "\t", omittingEmptySubsequences: false) ?? []
                #expect(first.count == 6 && first[0] == "alwafd-news/2024-03-14-coalition-ministers.txt" && first[1] == "1")
                // Sorted by path, then sentence number.
                let keys = lines.map { line -> String in
                    let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                    return fields[0] + "\u{0}" + String(repeating: "0", count: 6 - fields[1].count) + fields[1]
                }
                #expect(keys == keys.sorted())

                let jsonl = try BayanBinary.run(["export", "sentences", "--format", "jsonl", "--since", runID, "--database", url], workingDirectory: directory)
                #expect(jsonl.status == 0, "\(jsonl.standardError)")
                let objects = try jsonl.standardOutput.split(separator: "\n").map {
                    try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }
                #expect(objects.count == total)
                #expect(objects.allSatisfy { $0?["text"] is String && $0?["themes"] is [Any] && $0?["sentence_no"] is Int })

                let unknown = try BayanBinary.run(["export", "sentences", "--since", "no-such-run", "--database", url], workingDirectory: directory)
                #expect(unknown.status == 1 && unknown.standardError.contains("no run 'no-such-run'"))
            }
        }
    }

    @Test func classifyExplainsAndPrintsOneLinePerInputLine() throws {
        try withTemporaryDirectory { directory in
            let explained = try BayanBinary.run(["classify", "أسفر الهجوم الانتحاري عن مقتل 30 شخصا"], workingDirectory: directory)
            #expect(explained.status == 0, "\(explained.standardError)")
            for part in ["normalized  اسفر الهجوم الانتحاري", "stems", "matches     مقتل → casualties", "themes      casualties"] {
                #expect(explained.standardOutput.contains(part), "\(part) in \(explained.standardOutput)")
            }
            let input = directory.appendingPathComponent("gold.txt")
            try "فاز الفريق بالمباراة النهائية\nدعا البيان إلى حماية المدنيين\tوالأطفال\n\nأسفر الهجوم الانتحاري عن مقتل 30 شخصا\n"
                .write(to: input, atomically: true, encoding: .utf8)
            let tsv = try BayanBinary.run(["classify", "--file", input.path, "--format", "tsv"], workingDirectory: directory)
            #expect(tsv.status == 0, "\(tsv.standardError)")
            let lines = tsv.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            #expect(lines.count == 4, "one line per input line: \(lines)")
            #expect(lines[0] == "فاز الفريق بالمباراة النهائية\t", "a sports sentence has no theme")
            #expect(lines[1].hasPrefix("دعا البيان إلى حماية المدنيين\\tوالأطفال\t"), "a tab inside the sentence is escaped")
            #expect(lines[1].hasSuffix("civilians_rights"))
            #expect(lines[2] == "\t")
            #expect(lines[3].hasSuffix("\tsecurity,casualties"), "codes in the codebook's order: \(lines[3])")
        }
    }

    @Test func evalThemesPrintsScoresAsTableAndJSON() throws {
        try withTemporaryDirectory { directory in
            let gold = directory.appendingPathComponent("gold.tsv")
            try """
                أسفر الهجوم الانتحاري عن مقتل 30 شخصا\tsecurity,casualties
                فاز الفريق بالمباراة النهائية\t
                ارتفعت أسعار النفط في الأسواق العالمية\t
                دعا البيان إلى حماية المدنيين والأطفال\tcivilians_rights

                """.write(to: gold, atomically: true, encoding: .utf8)
            let json = try BayanBinary.run(["eval", "themes", "--gold", gold.path, "--format", "json"], workingDirectory: directory)
            #expect(json.status == 0, "\(json.standardError)")
            let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
            #expect(object?["macro_f1"] is Double && object?["false_positive_rate"] is Double)
            let perTheme = object?["per_theme"] as? [String: [String: Any]]
            #expect(perTheme?.count == 9, "every theme of the codebook")
            #expect(perTheme?["casualties"]?["support"] as? Int == 1)
            let table = try BayanBinary.run(["eval", "themes", "--gold", gold.path], workingDirectory: directory)
            #expect(table.status == 0 && table.standardOutput.contains("macro-F1") && table.standardOutput.contains("casualties"))
            try "بلا تبويب\n".write(to: gold, atomically: true, encoding: .utf8)
            let bad = try BayanBinary.run(["eval", "themes", "--gold", gold.path], workingDirectory: directory)
            #expect(bad.status != 0 && bad.standardError.contains("gold.tsv:1"), "\(bad.standardError)")
        }
    }

    /// Operators re-run stages by flag: extract, then transform, then load, each alone.
    @Test func stagesRunAloneByFlagAndContinueTheLatestRun() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let database = ["--database", url]
                let early = try BayanBinary.run(["load"] + database, workingDirectory: directory)
                #expect(early.status == 1 && early.standardError.contains("run 'bayan transform' first"), "\(early.standardError)")

                let extract = try BayanBinary.run(["extract", "--input", Self.samples] + database, workingDirectory: directory)
                #expect(extract.status == 0 && extract.standardOutput.contains("extract done"), "\(extract.standardOutput)\(extract.standardError)")
                let runID = try #require(extract.standardOutput.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
                let notYet = try BayanBinary.run(["run", "--stage", "load"] + database, workingDirectory: directory)
                #expect(notYet.status == 1 && notYet.standardError.contains("run 'bayan transform' first"), "\(notYet.standardError)")

                let transform = try BayanBinary.run(["transform", "--run-id", runID] + database, workingDirectory: directory)
                #expect(transform.status == 0 && transform.standardOutput.contains("Next: bayan load --run-id \(runID)"), "\(transform.standardOutput)\(transform.standardError)")
                let load = try BayanBinary.run(["run", "--from", "load"] + database, workingDirectory: directory)
                #expect(load.status == 0, "\(load.standardError)")
                let fileCount = try FileManager.default.subpathsOfDirectory(atPath: Self.samples).filter { $0.hasSuffix(".txt") }.count
                #expect(load.standardOutput.contains("documents      \(fileCount) new"), "\(load.standardOutput)")

                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let ledger = try connection.query("SELECT run_id, stages::text FROM runs")
                #expect(try ledger.map { try $0.decode(0, as: String.self) } == [runID], "one run, continued stage by stage")
                #expect(try ledger.first?.decode(1, as: String.self) == "{load}")

                let backwards = try BayanBinary.run(["run", "--from", "load", "--to", "extract"] + database, workingDirectory: directory)
                #expect(backwards.status == 2, "bad usage")
            }
        }
    }

    @Test func dryRunReportsButWritesNothing() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let dry = try BayanBinary.run(["run", "--input", Self.samples, "--database", url, "--dry-run"], workingDirectory: directory)
                #expect(dry.status == 0, "\(dry.standardError)")
                let fileCount = try FileManager.default.subpathsOfDirectory(atPath: Self.samples).filter { $0.hasSuffix(".txt") }.count
                #expect(dry.standardOutput.contains("documents      \(fileCount) new"), "\(dry.standardOutput)")
                #expect(dry.standardOutput.contains("Dry run: the load was rolled back"))
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                for table in ["runs", "documents", "sentences", "sentence_themes", "line_counts", "quarantine"] {
                    #expect(try connection.query("SELECT count(*) FROM \(table)")[0].decode(0, as: Int.self) == 0, "\(table)")
                }
            }
        }
    }

    @Test func anOverlappingLoadExitsWithTempFail() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let holder = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { holder.close() }
                try holder.execute("SET application_name = 'bayan run 20261123T000000Z-beef'")
                #expect(try holder.tryAdvisoryLock(PostgresConnection.advisoryLockKey("bayan.load")))
                let result = try BayanBinary.run(["run", "--input", Self.samples, "--database", url], workingDirectory: directory)
                #expect(result.status == 75, "\(result.standardError)")
                #expect(result.standardError.contains("another Bayan run (bayan run 20261123T000000Z-beef) holds this warehouse"), "\(result.standardError)")
            }
        }
    }
}
