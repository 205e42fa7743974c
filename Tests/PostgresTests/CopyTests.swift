import CopyText
import Postgres
import Testing
import TestSupport

@Suite struct CopyTests {
    static let awkward: [[String?]] = [
        ["1", "سطر\tمع\tجدولة", nil],                         // tabs inside Arabic text, a NULL
        ["2", "line one\nline two\r\nthree", "\\N"],          // newlines, CRLF, and the literal text \N
        ["3", "back\\slash \\t not a tab", ""],              // backslashes; empty string is not NULL
        ["4", "“اقتباس” و«آخر» ٢٫٥ 2.5 4/6/2020", "ـــ"],      // quotes, digits, tatweel
    ]

    @Test func copyInRoundTripsAwkwardValues() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (id int PRIMARY KEY, a text, b text)")
            let count = try connection.copyIn("COPY t (id, a, b) FROM STDIN") { writer in
                for row in Self.awkward { try writer.writeRow(row) }
            }
            #expect(count == Self.awkward.count)
            let rows = try connection.query("SELECT id::text, a, b FROM t ORDER BY id")
            let back = try rows.map { row in
                [try row.decode(0, as: String?.self), try row.decode(1, as: String?.self), try row.decode(2, as: String?.self)]
            }
            #expect(back == Self.awkward)
        }
    }

    @Test func copyInStreamsInSmallChunks() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int, word text)")
            var sent = 0
            let count = try connection.copyIn("COPY t FROM STDIN", chunkSize: 37) { writer in
                for n in 1...5_000 { try writer.writeRow([String(n), "كلمة \(n)"]) }
                try writer.flush()
                sent = writer.bytesSent
            }
            #expect(count == 5_000)
            #expect(sent > 37 * 100)
            let row = try connection.query("SELECT count(*) AS c, sum(n) AS s, max(word) FILTER (WHERE n = 4999) AS w FROM t")[0]
            #expect(try row.decode("c", as: Int.self) == 5_000)
            #expect(try row.decode("s", as: Int.self) == 5_000 * 5_001 / 2)
            #expect(try row.decode("w", as: String.self) == "كلمة 4999")
        }
    }

    @Test func serverErrorMidCopySurfacesWithSQLState() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
            #expect {
                try connection.copyIn("COPY t FROM STDIN", chunkSize: 64) { writer in
                    for n in 1...2_000 { try writer.writeRow([n == 1_000 ? "not a number" : String(n)]) }
                }
            } throws: { error in
                let error = error as! PostgresError
                return error.sqlState == .invalidTextRepresentation && error.context?.contains("line 1000") == true
            }
            #expect {
                try connection.copyIn("COPY t FROM STDIN") { writer in
                    try writer.writeRow(["5"]); try writer.writeRow(["5"])
                }
            } throws: { error in (error as? PostgresError)?.sqlState == .uniqueViolation }
            #expect(try connection.query("SELECT count(*) AS c FROM t")[0].decode("c", as: Int.self) == 0)
            #expect(try connection.query("SELECT 1 AS ok")[0].decode("ok", as: Int.self) == 1, "connection still usable")
        }
    }

    @Test func bodyErrorAbortsTheCopy() throws {
        struct Stop: Error {}
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int)")
            #expect(throws: Stop.self) {
                try connection.copyIn("COPY t FROM STDIN", chunkSize: 8) { writer in
                    for n in 1...100 { try writer.writeRow([String(n)]) }
                    throw Stop()
                }
            }
            #expect(try connection.query("SELECT count(*) AS c FROM t")[0].decode("c", as: Int.self) == 0)
        }
    }

    @Test func copyOutReadsRowsBack() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (id int, a text, b text)")
            try connection.copyIn("COPY t FROM STDIN") { writer in for row in Self.awkward { try writer.writeRow(row) } }
            var rows: [[String?]] = []
            let count = try connection.copyOutRows("COPY (SELECT * FROM t ORDER BY id) TO STDOUT") { rows.append($0) }
            #expect(count == Self.awkward.count)
            #expect(rows == Self.awkward)
            // Raw bytes are COPY text, one row per call, newline included.
            var raw: [String] = []
            try connection.copyOut("COPY (SELECT id FROM t WHERE id < 3 ORDER BY id) TO STDOUT") { raw.append(String(decoding: $0, as: UTF8.self)) }
            #expect(raw == ["1\n", "2\n"])
        }
    }

    @Test func copyOutErrorAndBodyErrorLeaveTheConnectionUsable() throws {
        struct Stop: Error {}
        try TestPostgres.withDatabase(migrated: false) { connection in
            #expect { try connection.copyOut("COPY (SELECT 1/(3 - n) FROM generate_series(1, 5) n) TO STDOUT") { _ in } } throws: { error in
                (error as? PostgresError)?.sqlState == SQLState("22012")
            }
            #expect(throws: Stop.self) {
                try connection.copyOut("COPY (SELECT generate_series(1, 100)) TO STDOUT") { _ in throw Stop() }
            }
            let after = try connection.query("SELECT 3 AS n")[0].decode("n", as: Int.self)
            #expect(after == 3)
        }
    }
}
