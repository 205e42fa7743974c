import Foundation
@testable import Postgres
import Testing
import TestSupport

@Suite struct QueryTests {
    @Test func parametersAndTypedAccessors() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            let moment = Date(timeIntervalSince1970: 1_591_234_567.123456)
            let rows = try connection.query("""
                SELECT $1::bigint AS big, $2::int AS small, $3::float8 AS ratio, $4::text AS arabic, $5::bool AS flag,
                       $6::bytea AS blob, $7::timestamptz AS moment, $8::text AS missing, $9::date AS day, $10::numeric AS amount
                """, [Int64.max, 42, 2.5, "أكد الوزراء “حماية المدنيين”", true, [0x00, 0xFF, 0x5C, 0x09] as [UInt8],
                      moment, nil, "2020-06-04", "1234.5"])
            #expect(rows.count == 1)
            let row = rows[0]
            #expect(try row.decode("big", as: Int64.self) == Int64.max)
            #expect(try row.decode("small", as: Int.self) == 42)
            #expect(try row.decode(1, as: Int32.self) == 42)
            #expect(try row.decode("ratio", as: Double.self) == 2.5)
            #expect(try row.decode("arabic", as: String.self) == "أكد الوزراء “حماية المدنيين”")
            #expect(try row.decode("flag", as: Bool.self))
            #expect(try row.decode("blob", as: [UInt8].self) == [0x00, 0xFF, 0x5C, 0x09])
            #expect(try row.decode("blob", as: Data.self) == Data([0x00, 0xFF, 0x5C, 0x09]))
            let decoded = try row.decode("moment", as: Date.self)
            #expect(abs(decoded.timeIntervalSince1970 - moment.timeIntervalSince1970) < 0.000_001)
            #expect(try row.decode("missing", as: String?.self) == nil)
            #expect(try row.isNull("missing"))
            #expect(try row.decode("arabic", as: String?.self) == "أكد الوزراء “حماية المدنيين”")
            #expect(try row.decode("day", as: Date.self) == Date(timeIntervalSince1970: 1_591_228_800))
            #expect(try row.decode("amount", as: Double.self) == 1234.5)
            #expect(rows.columnNames == ["big", "small", "ratio", "arabic", "flag", "blob", "moment", "missing", "day", "amount"])
        }
    }

    @Test func nullParametersAreSQLNull() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            let row = try connection.query("SELECT $1::int IS NULL AS a, $2::text IS NULL AS b, coalesce($3::text, 'x') AS c",
                                           [nil, nil, "قيمة"])[0]
            #expect(try row.decode("a", as: Bool.self))
            #expect(try row.decode("b", as: Bool.self))
            #expect(try row.decode("c", as: String.self) == "قيمة")
        }
    }

    @Test func parametersAreNeverSplicedIntoSQL() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            let hostile = "'); DROP TABLE t; --"
            try connection.execute("CREATE TABLE t (v text)")
            try connection.query("INSERT INTO t VALUES ($1)", [hostile])
            #expect(try connection.query("SELECT v FROM t")[0].decode("v", as: String.self) == hostile)
        }
    }

    @Test func decodingErrorsNameTheColumn() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            let row = try connection.query("SELECT NULL::int AS empty, 'abc'::text AS word")[0]
            #expect { try row.decode("empty", as: Int.self) } throws: { error in
                let error = error as! PostgresError
                return error.kind == .decoding && error.message.contains("\"empty\"")
            }
            #expect { try row.decode("word", as: Int.self) } throws: { error in
                (error as! PostgresError).message.contains("\"abc\" is not an integer")
            }
            #expect { try row.decode("nope", as: Int.self) } throws: { error in
                (error as! PostgresError).message.contains("columns: empty, word")
            }
            #expect(throws: PostgresError.self) { try row.decode(7, as: Int.self) }
        }
    }

    @Test func affectedRowsAndCommandTag() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE t (n int)")
            let insert = try connection.query("INSERT INTO t SELECT generate_series(1, 5)")
            #expect(insert.affectedRows == 5)
            #expect(insert.commandTag == "INSERT 0 5")
            #expect(try connection.query("DELETE FROM t WHERE n > $1", [3]).affectedRows == 2)
        }
    }

    @Test func timestampsRoundTripThroughTheServer() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            for seconds in [0.0, 1_700_000_000.5, -86_400.25, 4_102_444_800.000001] {
                let date = Date(timeIntervalSince1970: seconds)
                let back = try connection.query("SELECT $1::timestamptz AS t", [date])[0].decode("t", as: Date.self)
                #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_002, "seconds: \(seconds)")
            }
        }
    }
}
