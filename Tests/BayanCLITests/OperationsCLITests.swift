import Foundation
import Postgres
import PostgresCluster
import Testing
import TestSupport

/// The operator's commands, run through the built binary: settings, logs, ledger views, housekeeping.
@Suite struct OperationsCLITests {
    static let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples").path

    @Test(arguments: [
        (["status", "--log-format", "xml"], "unknown log format"),     // bad format
        (["status", "--limit", "0"], "--limit must be 1 or more"),
        (["gc", "--keep", "0"], "--keep must be 1 or more"),
        (["runs", "show"], "Missing expected argument"),              // no run id
    ])
    func badUsageExitsWith2(arguments: [String], message: String) throws {
        try withTemporaryDirectory { directory in
            let result = try BayanBinary.run(arguments, workingDirectory: directory)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
    }

    /// A real run on the samples, then the ledger views over it; JSON logs on stderr, no progress line off a terminal.
    @Test func statusAndRunsShowAfterARealRun() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let runs = directory.appendingPathComponent("nightly-runs")
                let environment = ["BAYAN_RUNS_DIR": runs.path, "BAYAN_LOG_FORMAT": "json"]
                let run = try BayanBinary.run(["run", "--input", Self.samples, "--database", url, "--log-level", "info"],
                                              environment: environment, workingDirectory: directory)
                #expect(run.status == 0, "\(run.standardError)")
                #expect(run.standardOutput.contains("run directory  \(runs.path)/"), "runs.dir from BAYAN_RUNS_DIR: \(run.standardOutput)")
                let logLines = run.standardError.split(separator: "\n")
                #expect(!logLines.isEmpty, "info lines were logged")
                for line in logLines {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object?["timestamp"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
                }
                #expect(logLines.contains { $0.contains("\"run.id\"") }, "metadata flattened into the object")
                #expect(!run.standardError.contains("\r"), "no progress line when stderr is not a terminal")

                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let runID = try connection.query("SELECT run_id FROM runs")[0].decode(0, as: String.self)
                #expect(try connection.query("SELECT count(*) FROM run_stages WHERE status = 'succeeded'")[0].decode(0, as: Int.self) == 3,
                        "the run wrote its three stages to the ledger")

                let status = try BayanBinary.run(["status", "--database", url], workingDirectory: directory)
                #expect(status.status == 0, "\(status.standardError)")
                let lines = status.standardOutput.split(separator: "\n")
                #expect(lines.count == 2 && lines[0].hasPrefix("run id"), "\(status.standardOutput)")
                #expect(lines.last?.hasPrefix(runID) == true && lines.last?.contains("succeeded") == true, "\(status.standardOutput)")

                let show = try BayanBinary.run(["runs", "show", runID, "--database", url], environment: ["BAYAN_RUNS_DIR": runs.path],
                                               workingDirectory: directory)
                #expect(show.status == 0, "\(show.standardError)")
                for part in ["Run \(runID): succeeded", "run.json       \(runs.path)/\(runID)/run.json", "extract    succeeded",
                             "transform  succeeded", "load       succeeded", "\"files_seen\": 6", "Rejects: none"] {
                    #expect(show.standardOutput.contains(part), "\(part) in:\n\(show.standardOutput)")
                }

                let unknown = try BayanBinary.run(["runs", "show", "20000101T000000Z-0000", "--database", url], workingDirectory: directory)
                #expect(unknown.status == 1)
                #expect(unknown.standardError.contains("no run '20000101T000000Z-0000' in the ledger"), "\(unknown.standardError)")
            }
        }
    }

    @Test func aSuccessfulRunKeepsTheLastRunDirectoriesOnly() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let runs = directory.appendingPathComponent("runs")
                for _ in 0..<3 {
                    let run = try BayanBinary.run(["run", "--input", Self.samples, "--database", url, "--runs-dir", runs.path],
                                                  environment: ["BAYAN_KEEP_RUNS": "2"], workingDirectory: directory)
                    #expect(run.status == 0, "\(run.standardError)")
                    Thread.sleep(forTimeInterval: 1.1)  // run ids carry the start second
                }
                let left = try FileManager.default.contentsOfDirectory(atPath: runs.path)
                #expect(left.count == 2, "retention.keep_runs = 2: \(left)")
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let ledger = try connection.query("SELECT run_id FROM runs ORDER BY run_id").map { try $0.decode(0, as: String.self) }
                #expect(ledger.count == 3, "the ledger keeps every run")
                #expect(Set(left) == Set(ledger.suffix(2)), "the two most recent directories stay")
            }
        }
    }

    @Test func configShowSaysWhereEachValueComesFromAndHidesPasswords() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("bayan.yaml")
            try """
                database:
                  url: postgresql://etl:Xy7-file-pw@db.internal/warehouse
                retention:
                  keep_runs: 7

                """.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
            let environment = ["BAYAN_CONFIG_FILE": file.path, "BAYAN_BATCH_SIZE": "250", "PGPASSWORD": "Qw3-distinctive-pw"]
            let shown = try BayanBinary.run(["config", "show", "--log-level", "info"], environment: environment, workingDirectory: directory)
            #expect(shown.status == 0, "\(shown.standardError)")
            let output = shown.standardOutput
            func row(_ key: String) -> String { output.split(separator: "\n").first { $0.hasPrefix(key + " ") }.map(String.init) ?? "" }
            #expect(output.contains("settings file: \(file.path)"))
            #expect(row("load.batch_size").contains("250") && row("load.batch_size").hasSuffix("env (BAYAN_BATCH_SIZE)"), "\(output)")
            #expect(row("retention.keep_runs").contains(" 7 ") && row("retention.keep_runs").hasSuffix("file (\(file.path):4)"), "\(output)")
            #expect(row("log.level").contains("info") && row("log.level").hasSuffix("flag (--log-level)"), "\(output)")
            #expect(row("load.max_rejects").hasSuffix("default"), "\(output)")
            #expect(row("database.url").contains("postgresql://etl:***@db.internal/warehouse"), "\(output)")
            #expect(shown.standardError.contains("warning") && shown.standardError.contains("every user can read it"), "\(shown.standardError)")
            for secret in ["Xy7-file-pw", "Qw3-distinctive-pw"] {
                #expect(!output.contains(secret) && !shown.standardError.contains(secret), "\(secret) leaked")
            }

            // The PG* variables name the database: the password they carry is never printed.
            let pg = try BayanBinary.run(["config", "show"], environment: [
                "PGHOST": "/var/run/postgresql", "PGDATABASE": "warehouse", "PGPASSWORD": "Qw3-distinctive-pw",
            ], workingDirectory: directory)
            #expect(pg.status == 0, "\(pg.standardError)")
            #expect(pg.standardOutput.contains("PGHOST=/var/run/postgresql PGDATABASE=warehouse PGPASSWORD=***"), "\(pg.standardOutput)")
            #expect(!pg.standardOutput.contains("Qw3-distinctive-pw") && !pg.standardError.contains("Qw3-distinctive-pw"))
        }
    }

    @Test func aBadSettingNamesWhereItCameFrom() throws {
        try withTemporaryDirectory { directory in
            let result = try BayanBinary.run(["config", "show"], environment: ["BAYAN_BATCH_SIZE": "many"], workingDirectory: directory)
            #expect(result.status == 1)
            #expect(result.standardError.contains("environment variable BAYAN_BATCH_SIZE: load.batch_size: must be a whole number"), "\(result.standardError)")
            let run = try BayanBinary.run(["run", "--input", Self.samples], environment: ["BAYAN_MAX_FILE_SIZE": "huge"], workingDirectory: directory)
            #expect(run.status == 1 && run.standardError.contains("BAYAN_MAX_FILE_SIZE"), "\(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".bayan").path), "nothing started")
        }
    }

    @Test func gcRemovesOlderRunDirectories() throws {
        try withTemporaryDirectory { directory in
            let runs = directory.appendingPathComponent("runs")
            let names = (1...4).map { "2026110\($0)T023000Z-000\($0)" }
            for name in names {
                try FileManager.default.createDirectory(at: runs.appendingPathComponent(name), withIntermediateDirectories: true)
                try #"{"status": "succeeded", "startedAt": "2026-11-01T02:30:00Z"}"#
                    .write(to: runs.appendingPathComponent("\(name)/run.json"), atomically: true, encoding: .utf8)
            }
            try FileManager.default.createDirectory(at: runs.appendingPathComponent("keep-me"), withIntermediateDirectories: true)

            let dry = try BayanBinary.run(["gc", "--dry-run", "--runs-dir", runs.path], environment: ["BAYAN_KEEP_RUNS": "2"], workingDirectory: directory)
            #expect(dry.status == 0, "\(dry.standardError)")
            #expect(dry.standardOutput.contains("would remove  \(runs.path)/\(names[0])") && dry.standardOutput.contains("Would remove 2 run directories"),
                    "\(dry.standardOutput)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: runs.path).count == 5, "a dry run removes nothing")

            let gc = try BayanBinary.run(["gc", "--keep", "1", "--runs-dir", runs.path], environment: ["BAYAN_KEEP_RUNS": "2"], workingDirectory: directory)
            #expect(gc.status == 0, "\(gc.standardError)")
            #expect(gc.standardOutput.contains("removed  \(runs.path)/\(names[2])"), "the flag beats the environment: \(gc.standardOutput)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted() == [names[3], "keep-me"])
        }
    }
}
