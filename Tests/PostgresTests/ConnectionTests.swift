import Foundation
import Logging
@testable import Postgres
import Testing
import TestSupport

@Suite struct ConnectionTests {
    @Test func connectsFromURL() throws {
        let url = try TestPostgres.url(database: "postgres")
        let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
        defer { connection.close() }
        #expect(connection.isOpen)
        #expect(connection.serverVersion >= 150000)
        let database = try connection.query("SELECT current_database() AS db").first!.decode("db", as: String.self)
        #expect(database == "postgres")
    }

    @Test func connectsFromKeywordString() throws {
        let options = try PostgresConfiguration(TestPostgres.url(database: "postgres")).parsedOptions()
        let keywords = "host='\(options["host"]!)' port=\(options["port"]!) dbname=postgres user=\(options["user"]!)"
        let connection = try PostgresConnection(configuration: PostgresConfiguration(keywords), logger: TestPostgres.quietLogger)
        defer { connection.close() }
        let user = try connection.query("SELECT current_user AS u").first!.decode("u", as: String.self)
        #expect(user == options["user"])
    }

    @Test func environmentPrefersDatabaseURL() {
        let fromURL = PostgresConfiguration.fromEnvironment(["DATABASE_URL": "postgresql://a@b/c", "PGHOST": "x"])
        #expect(fromURL.connectionString == "postgresql://a@b/c")
        // Without DATABASE_URL libpq reads the PG* variables itself: the string stays empty.
        #expect(PostgresConfiguration.fromEnvironment(["PGHOST": "/tmp"]).connectionString == "")
        #expect(PostgresConfiguration.environmentNamesDatabase(["PGDATABASE": "bayan"]))
        #expect(PostgresConfiguration.environmentNamesDatabase(["DATABASE_URL": "postgresql:///x"]))
        #expect(!PostgresConfiguration.environmentNamesDatabase(["PGUSER": "me", "HOME": "/root"]))
    }

    @Test func failedConnectionNamesEndpointButNeverThePassword() throws {
        let options = try PostgresConfiguration(TestPostgres.url(database: "postgres")).parsedOptions()
        let host = options["host"]!.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let url = "postgresql://nobody:s3cr3t-pa55@/no_such_database?host=\(host)&port=\(options["port"]!)"
        do {
            _ = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
            Issue.record("connecting to a missing database succeeded")
        } catch {
            #expect(error.kind == .connection)
            let text = "\(error)"
            #expect(text.contains("no_such_database"), "\(text)")
            #expect(text.contains(options["host"]!), "\(text)")
            #expect(text.contains("port \(options["port"]!)"), "\(text)")
            #expect(!text.contains("s3cr3t-pa55"), "\(text)")
        }
    }

    @Test func unreachableHostIsAConnectionErrorWithoutPassword() {
        let url = "postgresql://someone:hunter2-secret@/bayan?host=/nonexistent-socket-dir&port=5999"
        #expect {
            _ = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
        } throws: { error in
            let text = "\(error)"
            return (error as? PostgresError)?.kind == .connection && text.contains("/nonexistent-socket-dir")
                && text.contains("5999") && !text.contains("hunter2-secret")
        }
    }

    @Test func malformedConnectionStringDoesNotEchoThePassword() {
        let configuration = PostgresConfiguration("postgresql://user:%zzsecret-token@host/db")
        #expect(!configuration.redactedDescription.contains("secret-token"))
        #expect {
            _ = try PostgresConnection(configuration: configuration, logger: TestPostgres.quietLogger)
        } throws: { error in
            !"\(error)".contains("secret-token")
        }
    }

    @Test func redactedDescriptionShowsEndpointOnly() {
        let configuration = PostgresConfiguration("postgresql://analyst:pw-123@db.example:6543/warehouse")
        #expect(configuration.redactedDescription == "host db.example, port 6543, database warehouse, user analyst")
        #expect(!"\(configuration)".contains("pw-123"))
    }

    @Test func closedConnectionThrowsClientError() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            connection.close()
            connection.close()  // closing twice is harmless
            #expect(!connection.isOpen)
            #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        }
    }

    @Test func everyHandleIsFreedExactlyOnce() throws {
        let tracker = PostgresHandleTracker()
        let url = try TestPostgres.url(database: "postgres")
        do {
            let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger, tracker: tracker)
            #expect(tracker.liveConnections == 1)
            var kept: PostgresResult? = try connection.query("SELECT generate_series(1, 3) AS n")
            #expect(tracker.liveResults == 1)
            _ = try connection.query("SELECT 1")                                  // discarded: freed at once
            #expect(throws: PostgresError.self) { try connection.query("SELECT * FROM no_such_table") }  // error path
            try connection.transaction { c in try c.execute("SELECT 1") }
            try? connection.transaction { c in try c.execute("SELECT 1/0") }       // rollback path
            try connection.execute("CREATE TEMP TABLE t (n int)")
            _ = try connection.copyIn("COPY t FROM STDIN") { w in try w.writeRow(["1"]) }
            _ = try? connection.copyIn("COPY t FROM STDIN") { w in try w.writeRow(["x"]) }  // server error path
            _ = try connection.copyOut("COPY t TO STDOUT") { _ in }
            #expect(tracker.liveResults == 1, "only the result still referenced is alive")
            let rows = try kept!.map { try $0.decode("n", as: Int.self) }
            #expect(rows == [1, 2, 3])
            kept = nil
            #expect(tracker.liveResults == 0)
            #expect(tracker.totalResults > 10)
            connection.close()
            #expect(tracker.liveConnections == 0)
        }
        // A failed connection is freed too.
        _ = try? PostgresConnection(configuration: PostgresConfiguration("postgresql:///x?host=/nonexistent&port=1"),
                                    logger: TestPostgres.quietLogger, tracker: tracker)
        #expect(tracker.liveConnections == 0)
        // A connection dropped without close() is freed by its deinit.
        do {
            let dropped = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger, tracker: tracker)
            _ = try dropped.query("SELECT 1")
            #expect(tracker.liveConnections == 1)
        }
        #expect(tracker.liveConnections == 0)
        #expect(tracker.liveResults == 0)
    }

    @Test func serverNoticesGoToTheLogger() throws {
        let (logger, store) = RecordingLogHandler.logger()
        try TestPostgres.withDatabase(migrated: false, logger: logger) { connection in
            try connection.execute("DO $$ BEGIN RAISE NOTICE 'نص عربي: %', 42; RAISE WARNING 'careful'; END $$")
        }
        let notices = store.all.filter { $0.message.hasPrefix("server:") }
        #expect(notices.contains { $0.level == .notice && $0.message == "server: نص عربي: 42" })
        #expect(notices.contains { $0.level == .warning && $0.message == "server: careful" && $0.metadata["db.sqlstate"] == "01000" })
    }

    @Test func advisoryLockIsExclusiveAcrossSessions() throws {
        try TestPostgres.withDatabaseURL(migrated: false) { url in
            let first = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
            let second = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
            defer { first.close(); second.close() }
            let key = PostgresConnection.advisoryLockKey("bayan.test-lock")
            #expect(try first.tryAdvisoryLock(key))
            #expect(try !second.tryAdvisoryLock(key))
            #expect(try !second.advisoryUnlock(key), "second never held it")
            #expect(try first.advisoryUnlock(key))
            #expect(try second.tryAdvisoryLock(key))
            second.close()  // a session lock ends with its session; the server releases it as the backend exits
            var acquired = false
            for _ in 0..<100 where !acquired {
                acquired = try first.tryAdvisoryLock(key)
                if !acquired { usleep(50_000) }
            }
            #expect(acquired, "the lock of a closed session is released within 5 s")
        }
    }

    @Test func advisoryLockKeysAreStable() {
        #expect(PostgresConnection.advisoryLockKey("bayan.load") == PostgresConnection.advisoryLockKey("bayan.load"))
        #expect(PostgresConnection.advisoryLockKey("bayan.load") != PostgresConnection.advisoryLockKey("bayan.migrate"))
        // FNV-1a 64 of the empty string is its offset basis.
        #expect(PostgresConnection.advisoryLockKey("") == Int64(bitPattern: 0xcbf2_9ce4_8422_2325))
    }
}
