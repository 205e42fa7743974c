import Postgres
import Testing
import TestSupport

@Suite struct TransactionTests {
    struct BodyFailure: Error {}

    @Test func commitsWhenTheBodyReturns() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int)")
            let value = try connection.transaction { c in
                try c.query("INSERT INTO t VALUES (1), (2)")
                return "done"
            }
            #expect(value == "done")
            #expect(try connection.query("SELECT count(*) AS c FROM t")[0].decode("c", as: Int.self) == 2)
        }
    }

    @Test func rollsBackWhenTheBodyThrows() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int)")
            #expect(throws: BodyFailure.self) {
                try connection.transaction { c in
                    try c.query("INSERT INTO t VALUES (1)")
                    throw BodyFailure()
                }
            }
            #expect(try connection.query("SELECT count(*) AS c FROM t")[0].decode("c", as: Int.self) == 0)
            // A failed statement inside the body rolls back the earlier ones too.
            #expect(throws: PostgresError.self) {
                try connection.transaction { c in
                    try c.query("INSERT INTO t VALUES (1)")
                    try c.query("INSERT INTO t VALUES ('x')")
                }
            }
            #expect(try connection.query("SELECT count(*) AS c FROM t")[0].decode("c", as: Int.self) == 0)
            #expect(try connection.query("SELECT 1 AS ok")[0].decode("ok", as: Int.self) == 1, "no transaction left open")
        }
    }

    @Test func failedCommitThrowsAndCommitsNothing() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("""
                CREATE TABLE parent (id int PRIMARY KEY);
                CREATE TABLE child (parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                """)
            #expect { try connection.transaction { c in try c.query("INSERT INTO child VALUES (7)") } } throws: { error in
                (error as? PostgresError)?.sqlState == .foreignKeyViolation
            }
            #expect(try connection.query("SELECT count(*) AS c FROM child")[0].decode("c", as: Int.self) == 0)
        }
    }

    @Test func rollbackFailureIsReportedBesideTheBodyError() throws {
        _ = try TestPostgres.withDatabase(migrated: false) { connection in
            #expect {
                try connection.transaction { c in
                    c.close()  // the session is gone: ROLLBACK cannot run
                    throw BodyFailure()
                }
            } throws: { error in
                guard let error = error as? PostgresTransactionError else { return false }
                return error.bodyError is BodyFailure && error.rollbackError.kind == .client
            }
        }
    }
}
