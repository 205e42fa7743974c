import Foundation
import Postgres
import PostgresCluster
import Testing
import TestSupport

/// Faults of the database and the machine under a real run: the server restarted, the session killed, a
/// statement timeout, the run directory's disk full. Each ends in a clear one-line error naming the stage (or,
/// for what retries can ride out, in success), nothing partial in the warehouse, and a resume once the fault
/// is gone that gives what an uninterrupted run gives.
@Suite(.serialized) struct DatabaseFaultTests {
    typealias Harness = CrashRecoveryTests

    static func errorLines(_ standardError: String) -> [Substring] {
        standardError.split(separator: "\n").filter { $0.hasPrefix("bayan: error:") }
    }

    @Test func serverRestartedMidLoadIsRiddenOutByTheRetries() throws {
        try Harness.withArticles(160) { directory, inputs, runs, clean in
            let clusterDirectory = directory.appendingPathComponent("cluster")
            try FileManager.default.createDirectory(at: clusterDirectory, withIntermediateDirectories: true)
            let cluster = try PostgresCluster(directory: clusterDirectory, port: 5434, serverSettings: ["fsync": "off"])
            try cluster.initialize(logger: TestPostgres.quietLogger)
            try cluster.start(logger: TestPostgres.quietLogger)
            defer { try? cluster.stop(logger: TestPostgres.quietLogger, mode: "immediate") }
            let url = cluster.url(database: "postgres")
            #expect(try BayanBinary.run(["migrate", "--database", url], workingDirectory: directory).status == 0)

            let run = try BackgroundBayan(["run", "--input", inputs.path, "--database", url, "--batch-size", Harness.batchSize,
                                           "--runs-dir", directory.appendingPathComponent("runs").path, "--retries", "8", "--retry-delay", "0.5"],
                                          workingDirectory: directory)
            try Harness.waitForBatches(2, url: url, while: run)
            try cluster.stop(logger: TestPostgres.quietLogger, mode: "fast")
            try cluster.start(logger: TestPostgres.quietLogger)
            let outcome = run.wait()
            #expect(outcome.status == 0, "the run reconnected and finished: \(outcome.standardError)")
            #expect(try Harness.fingerprint(url) == clean)
        }
    }

    @Test func sessionKilledMidLoadReconnectsAndFinishes() throws {
        try Harness.withArticles(160) { directory, inputs, runs, clean in
            try TestPostgres.withDatabaseURL { url in
                let run = try BackgroundBayan(["run", "--input", inputs.path, "--database", url, "--batch-size", Harness.batchSize,
                                               "--runs-dir", directory.appendingPathComponent("runs").path, "--retry-delay", "0.1"],
                                              workingDirectory: directory)
                try Harness.waitForBatches(2, url: url, while: run)
                // What an administrator's pg_terminate_backend, or a failover, does to the session in flight.
                let killed = try Harness.count("""
                    SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                          WHERE datname = current_database() AND application_name LIKE 'bayan run %') t
                    """, url)
                #expect(killed == 1)
                let outcome = run.wait()
                #expect(outcome.status == 0, "\(outcome.standardError)")
                #expect(try Harness.fingerprint(url) == clean)
                #expect(try Harness.count("SELECT count(*) FROM runs WHERE status = 'succeeded'", url) == 1)
            }
        }
    }

    @Test func aStatementTimeoutFailsTheStageAndTheRunResumes() throws {
        try Harness.withArticles(60) { directory, inputs, runs, clean in
            try TestPostgres.withDatabaseURL { url in
                let arguments = ["run", "--input", inputs.path, "--database", url, "--batch-size", Harness.batchSize, "--runs-dir", runs.path]
                let timedOut = try BayanBinary.run(arguments, environment: ["PGOPTIONS": "-c statement_timeout=1"], workingDirectory: directory)
                #expect(timedOut.status == 1, "\(timedOut.standardError)")
                let lines = Self.errorLines(timedOut.standardError)
                #expect(lines.count == 1 && lines[0].contains("stage failed") && lines[0].contains("statement timeout"), "\(timedOut.standardError)")
                #expect(try Harness.partialDocuments(url) == 0)

                let resumed = try BayanBinary.run(arguments + ["--resume"], workingDirectory: directory)
                #expect(resumed.status == 0, "\(resumed.standardError)")
                #expect(try Harness.fingerprint(url) == clean)
            }
        }
    }

    @Test func aFullDiskForTheRunDirectoryFailsTheStageAndTheRunResumes() throws {
        try Harness.withArticles(60) { directory, inputs, runs, clean in
            try TestPostgres.withDatabaseURL { url in
                let arguments = ["run", "--input", inputs.path, "--database", url, "--batch-size", Harness.batchSize, "--runs-dir", runs.path]
                // A 32 KiB file-size limit: extract's documents file cannot be written whole.
                let full = try BayanBinary.run([], workingDirectory: directory,
                                               argv: ["/bin/sh", "-c", "ulimit -f 32 && exec \"$0\" \"$@\"", try BayanBinary.locate().path] + arguments)
                #expect(full.status == 1, "\(full.standardError)")
                let lines = Self.errorLines(full.standardError)
                #expect(lines.count == 1 && lines[0].contains("extract stage failed") && lines[0].contains("documents.tsv"), "\(full.standardError)")
                #expect(try Harness.count("SELECT count(*) FROM documents", url) == 0, "nothing loaded")
                #expect(try Harness.runJSON(runs)["status"] as? String == "failed")

                let resumed = try BayanBinary.run(arguments + ["--resume"], workingDirectory: directory)
                #expect(resumed.status == 0, "\(resumed.standardError)")
                #expect(try Harness.fingerprint(url) == clean)
                #expect(try Harness.count("SELECT count(*) FROM runs", url) == 1, "the same run, resumed")
            }
        }
    }
}
