public import Foundation
import Load
public import Logging
public import Postgres
import PostgresCluster
import Synchronization

/// One throwaway PostgreSQL cluster for the whole test process, and a fresh database for each test.
///
/// The cluster lives in a temporary directory, starts on first use (as the `postgres` user when the tests run
/// as root), listens only on a Unix socket, and is stopped when the process exits, normally or not: a small
/// watchdog process stops it if the test process dies without running its exit handlers.
///
/// ```swift
/// @Test func insertsRows() throws {
///     try TestPostgres.withDatabase { connection in
///         try connection.query("INSERT INTO …")
///     }
/// }
/// ```
public enum TestPostgres {
    /// The repository root (found from this file's path).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped migrations.
    public static var migrationsDirectory: URL { repositoryRoot.appendingPathComponent("sql/migrations") }

    /// A logger that discards everything; tests that check logging make their own.
    public static let quietLogger: Logger = Logger(label: "bayan.tests") { _ in SwiftLogNoOpLogHandler() }

    private static let state = Mutex<SharedCluster?>(nil)
    private static let counter = Atomic<Int>(0)

    struct SharedCluster: Sendable {
        let cluster: PostgresCluster
        let temporaryDirectory: URL
        let templateDatabase: String
    }

    /// Runs `body` with a connection to a new database, migrated to the shipped schema unless `migrated` is
    /// false; drops the database afterwards.
    public static func withDatabase<T>(
        migrated: Bool = true, logger: Logger = quietLogger, _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try withDatabaseURL(migrated: migrated) { url in
            let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: logger)
            defer { connection.close() }
            return try body(connection)
        }
    }

    /// Runs `body` with the URL of a new database (for code that opens its own connections, such as the CLI).
    public static func withDatabaseURL<T>(migrated: Bool = true, _ body: (String) throws -> T) throws -> T {
        let shared = try sharedCluster()
        let name = "test_\(ProcessInfo.processInfo.processIdentifier)_\(counter.add(1, ordering: .relaxed).newValue)"
        let admin = try PostgresConnection(configuration: PostgresConfiguration(shared.cluster.url(database: "postgres")), logger: quietLogger)
        defer { admin.close() }
        if migrated {
            try admin.execute("CREATE DATABASE \(name) TEMPLATE \(shared.templateDatabase)")
        } else {
            try admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        }
        defer { try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        return try body(shared.cluster.url(database: name))
    }

    /// The URL of a database of the shared cluster (e.g. `postgres`), for tests about connecting itself.
    public static func url(database: String) throws -> String {
        try sharedCluster().cluster.url(database: database)
    }

    private static func sharedCluster() throws -> SharedCluster {
        try state.withLock { state in
            if let state { return state }
            let shared = try startCluster()
            state = shared
            atexit { TestPostgres.stopAtExit() }
            return shared
        }
    }

    private static func startCluster() throws -> SharedCluster {
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("bayan-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        // A throwaway cluster needs no durability: turn off what makes writes slow.
        let cluster = try PostgresCluster(
            directory: temporary, port: 5432,
            serverSettings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "100"])
        startWatchdog(cluster: cluster, directory: temporary)
        try cluster.initialize(logger: quietLogger)
        try cluster.start(logger: quietLogger)

        let template = "bayan_template"
        let admin = try PostgresConnection(configuration: PostgresConfiguration(cluster.url(database: "postgres")), logger: quietLogger)
        try admin.execute("CREATE DATABASE \(template)")
        admin.close()
        let connection = try PostgresConnection(configuration: PostgresConfiguration(cluster.url(database: template)), logger: quietLogger)
        try Migrator(directory: migrationsDirectory, logger: quietLogger).migrate(connection)
        connection.close()
        return SharedCluster(cluster: cluster, temporaryDirectory: temporary, templateDatabase: template)
    }

    /// Stops the server and removes its directory if this process dies without its exit handlers.
    private static func startWatchdog(cluster: PostgresCluster, directory: URL) {
        let parent = ProcessInfo.processInfo.processIdentifier
        let pgCtl = cluster.pgCtlPath
        let stop = geteuid() == 0
            ? "runuser -u postgres -- \(pgCtl) -D '\(cluster.dataDirectory.path)' -m immediate stop"
            : "\(pgCtl) -D '\(cluster.dataDirectory.path)' -m immediate stop"
        let script = "while kill -0 \(parent) 2>/dev/null; do sleep 1; done; if [ -d '\(directory.path)' ]; then \(stop) >/dev/null 2>&1; rm -rf '\(directory.path)'; fi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    private static func stopAtExit() {
        guard let shared = state.withLock({ $0 }) else { return }
        try? shared.cluster.stop(logger: quietLogger, mode: "immediate")
        try? FileManager.default.removeItem(at: shared.temporaryDirectory)
    }
}
