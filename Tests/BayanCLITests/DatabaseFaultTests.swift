import Foundation
import Glibc
import Postgres
import PostgresCluster
import Testing
import TestSupport

/// Faults of the database and the machine under a real run: the server restarted, the session killed, a
/// statement timeout, the run directory's disk full, the warehouse's disk full. Each ends in a clear one-line error naming the stage (or,
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

    /// The warehouse's disk fills up mid-load (SQLSTATE 53100, class 53: the server is out of a resource). The
    /// warehouse's tables and indexes live on a small tmpfs volume of their own (a tablespace, as a data volume
    /// of a real server); once two batches have committed, a file fills the volume. The load fails on its next
    /// page, the batch in flight rolls back, and the run exits 75 with one line naming the stage and the
    /// SQLSTATE. With the file removed (space freed), `--resume` ends with what an uninterrupted run gives.
    @Test(.enabled(if: SmallVolume.canMount, "needs root and permission to mount tmpfs"))
    func theWarehouseDiskFullMidLoadExitsTempFailAndTheRunResumes() throws {
        try Harness.withArticles(160) { directory, inputs, runs, clean in
            // Room for the whole warehouse of the 160 articles with the dead rows of the batch that failed.
            let volume = try SmallVolume(at: directory.appendingPathComponent("volume"), megabytes: 64)
            defer { volume.unmount() }
            let tablespace = "bayan_small_\(getpid())"
            let admin = try PostgresConnection(configuration: PostgresConfiguration(TestPostgres.url(database: "postgres")), logger: TestPostgres.quietLogger)
            defer { admin.close() }
            try admin.execute("CREATE TABLESPACE \(tablespace) LOCATION '\(volume.data.path)'")
            defer { _ = try? admin.execute("DROP TABLESPACE IF EXISTS \(tablespace)") }
            try TestPostgres.withDatabaseURL { url in
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                try connection.execute("ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE \(tablespace)")
                try connection.execute("ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE \(tablespace)")
                #expect(try connection.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablespace IS DISTINCT FROM $1",
                                             [tablespace])[0].decode(0, as: Int.self) == 0, "every warehouse table on the small volume")
                connection.close()

                let arguments = ["run", "--input", inputs.path, "--database", url, "--batch-size", Harness.batchSize, "--runs-dir", runs.path]
                let run = try BackgroundBayan(arguments, workingDirectory: directory)
                try Harness.waitForBatches(2, url: url, while: run)
                let filled = try volume.fill()
                let full = run.wait()
                let committed = try Harness.count("SELECT count(*) FROM load_batches", url)
                print("disk full after \(filled / 1024) KiB of filler; \(committed) of 40 batches committed")
                #expect(committed >= 2 && committed < 40, "the disk filled mid-load (\(committed) of 40 batches)")
                #expect(full.status == 75, "out of a resource is temporary: \(full.standardError)")
                let lines = Self.errorLines(full.standardError)
                #expect(lines.count == 1 && lines[0].contains("load stage failed") && lines[0].contains("53100"), "\(full.standardError)")
                #expect(try Harness.partialDocuments(url) == 0, "the batch in flight rolled back whole")
                #expect(try Harness.runJSON(runs)["status"] as? String == "failed")
                #expect(try Harness.count("SELECT count(*) FROM runs WHERE status = 'failed' AND error LIKE '%53100%'", url) == 1,
                        "the ledger says why")

                volume.removeFiller()
                let resumed = try BayanBinary.run(arguments + ["--resume"], workingDirectory: directory)
                #expect(resumed.status == 0, "\(resumed.standardError)")
                #expect(try Harness.fingerprint(url) == clean)
                #expect(try Harness.count("SELECT count(*) FROM runs", url) == 1, "the same run, resumed")
                #expect(try Harness.count("SELECT count(*) FROM load_batches", url) == 40)
            }
        }
    }
}

/// A tmpfs volume of a few megabytes, owned by the server's user, that a test can fill to the last byte: a
/// disk that really runs out of space, for the server as for anyone.
struct SmallVolume {
    let mountPoint: URL
    /// The folder for the server (a tablespace wants an empty folder of its own).
    var data: URL { mountPoint.appendingPathComponent("data") }
    var filler: URL { mountPoint.appendingPathComponent("filler") }

    /// Whether this process may mount tmpfs (root, with the capability, as in a privileged container).
    static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-mount-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? ChildProcess.run(["/bin/mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]))?.status == 0 else { return false }
        _ = try? ChildProcess.run(["/bin/umount", probe.path])
        return true
    }()

    init(at mountPoint: URL, megabytes: Int) throws {
        self.mountPoint = mountPoint
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mounted = try ChildProcess.run(["/bin/mount", "-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0755", "tmpfs", mountPoint.path])
        guard mounted.status == 0 else { throw VolumeError(reason: "mount: \(mounted.standardError)") }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let owned = try ChildProcess.run(["/bin/chown", "postgres:postgres", data.path])
        guard owned.status == 0 else { throw VolumeError(reason: "chown: \(owned.standardError)") }
    }

    /// Writes zeros into a file until the volume has no byte left; returns how many were written.
    func fill() throws -> Int {
        // Close-on-exec: a process another test spawns meanwhile (a server that daemonizes) must not inherit the
        // descriptor, or the unlinked filler would keep its space until that process exits.
        let descriptor = open(filler.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw VolumeError(reason: "cannot create the filler: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 { total += written; continue }
            if written < 0 && errno == EINTR { continue }
            if written < 0 && errno != ENOSPC { throw VolumeError(reason: "filler: \(String(cString: strerror(errno)))") }
            return total
        }
    }

    func removeFiller() { unlink(filler.path) }

    func unmount() {
        // A lazy unmount if the server still holds a file there, so no mount outlives the test.
        if (try? ChildProcess.run(["/bin/umount", mountPoint.path]))?.status != 0 {
            _ = try? ChildProcess.run(["/bin/umount", "-l", mountPoint.path])
        }
    }

    struct VolumeError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "small volume: \(reason)" }
    }
}
