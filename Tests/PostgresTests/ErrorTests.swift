import Postgres
import Testing
import TestSupport

@Suite struct ErrorTests {
    @Test func serverErrorCarriesEveryField() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL CHECK (name <> ''))")
            try connection.query("INSERT INTO parent VALUES (1, 'a')")
            do {
                try connection.query("INSERT INTO parent VALUES ($1, $2)", [1, "b"])
                Issue.record("duplicate key accepted")
            } catch let error as PostgresError {
                #expect(error.sqlState == .uniqueViolation)
                #expect(error.kind == .server)
                #expect(error.severity == "ERROR")
                #expect(error.table == "parent")
                #expect(error.constraint == "parent_pkey")
                #expect(error.detail?.contains("(id)=(1)") == true)
                #expect(error.statement == "INSERT INTO parent VALUES ($1, $2)")
                #expect("\(error)".contains("23505"))
                #expect(!"\(error)".contains("'b'"), "parameter values are not in the description")
            }
        }
    }

    @Test func hintContextAndPositionAreKept() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("""
                CREATE FUNCTION fail_loudly() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'custom failure' USING ERRCODE = 'P0001', DETAIL = 'some detail', HINT = 'try again'; END $$
                """)
            #expect { try connection.query("SELECT fail_loudly()") } throws: { error in
                let error = error as! PostgresError
                return error.sqlState == .raiseException && error.detail == "some detail" && error.hint == "try again"
                    && error.context?.contains("fail_loudly") == true
            }
            #expect { try connection.query("SELECT nonsense FROM") } throws: { error in
                let error = error as! PostgresError
                return error.sqlState == .syntaxError && error.position != nil
            }
        }
    }

    @Test(arguments: [
        ("SELECT 1/0", SQLState.dataException, true),                   // 22012 is in class 22
        ("SELECT 1/0", SQLState.integrityConstraintViolation, false),   // but not in 23
        ("SELECT 'x'::int", SQLState.invalidTextRepresentation, true),  // exact code
        ("SELECT * FROM missing_table", SQLState.syntaxErrorOrAccessRuleViolation, true),  // 42P01 in class 42
        ("SELECT * FROM missing_table", SQLState.undefinedColumn, false),                  // a different 42 code
    ])
    func sqlStateMatchesCodeAndClass(sql: String, pattern: SQLState, matches: Bool) throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            do {
                try connection.query(sql)
                Issue.record("\(sql) succeeded")
            } catch let error as PostgresError {
                let caught: Bool
                switch error as any Error {
                case pattern: caught = true
                default: caught = false
                }
                #expect(caught == matches, "\(sql) → \(error.sqlState?.code ?? "none") vs \(pattern)")
            }
        }
    }

    @Test func catchClauseMatchesAClass() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int NOT NULL)")
            var handled = false
            do {
                try connection.query("INSERT INTO t VALUES (NULL)")
            } catch SQLState.integrityConstraintViolation {
                handled = true
            } catch {
                Issue.record("unexpected \(error)")
            }
            #expect(handled)
        }
    }

    @Test func connectionStaysUsableAfterAnError() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            #expect(throws: PostgresError.self) { try connection.query("SELECT 1/0") }
            let after = try connection.query("SELECT 2 AS n")[0].decode("n", as: Int.self)
            #expect(after == 2)
        }
    }
}
