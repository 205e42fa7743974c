import CopyText
import Foundation
import Postgres
import Testing
import TestSupport

/// The COPY text encoder against a real server: random strings go in with `COPY FROM STDIN` and come back
/// from `COPY TO STDOUT` (and from a parameterized `SELECT`) byte for byte.
@Suite struct CopyRoundTripTortureTests {
    @Test func randomStringsRoundTripThroughTheServer() throws {
        let rows = Torture.scale(4_000, long: 100_000)
        var generator = SeededGenerator(seed: Torture.seed)
        // NUL is left out: PostgreSQL text cannot hold it (see nulIsRefusedLoudly).
        var values: [String?] = (0..<rows).map { _ in
            Int.random(in: 0..<50, using: &generator) == 0 ? nil : RandomText.string(maxLength: 40, using: &generator, allowNUL: false)
        }
        // What COPY text gives meaning to, alone and in the places it matters.
        values += ["\\N", "\\", "\\\\", "\t", "\n", "\r\n", "\\.", ".", "", " ", "\u{8}\u{C}\u{B}", "\\x41", "\\101", "a\\", "\\N\t\\N"]
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE strings (id integer PRIMARY KEY, value text)")
            let copied = try connection.copyIn("COPY strings (id, value) FROM STDIN", chunkSize: 4096) { writer in
                for (index, value) in values.enumerated() { try writer.writeRow([String(index), value]) }
            }
            #expect(copied == values.count)
            var back: [String?] = []
            try connection.copyOutRows("COPY (SELECT value FROM strings ORDER BY id) TO STDOUT") { back.append($0[0]) }
            var mismatches = 0
            for (index, value) in values.enumerated() where back[index].map({ Array($0.utf8) }) != value.map({ Array($0.utf8) }) {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("row \(index): sent \(value.map(TextPropertyTests.escaped) ?? "NULL"), got \(back[index].map(TextPropertyTests.escaped) ?? "NULL"); \(Torture.replay(Torture.seed))")
                }
            }
            #expect(back.count == values.count && mismatches == 0, Comment(rawValue: Torture.replay(Torture.seed)))
            // The server counts the same UTF-8 bytes the client sent (no normalization on the way).
            let lengths = try connection.query("SELECT id, octet_length(value) AS bytes FROM strings ORDER BY id")
            for (index, value) in values.enumerated() {
                #expect(try lengths[index].decode("bytes", as: Int?.self) == value?.utf8.count, "row \(index)")
            }
            // A parameter round-trips the same way (one sample of rows, to keep the test short).
            for index in stride(from: 0, to: values.count, by: max(1, values.count / 200)) {
                let echoed = try connection.query("SELECT $1::text AS value", [values[index]])[0].decode("value", as: String?.self)
                #expect(echoed == values[index], "row \(index), \(Torture.replay(Torture.seed))")
            }
        }
    }

    /// The NUL rule: extract quarantines any file with a NUL (HostileInputTests), so none reaches the
    /// database; if one did, it is an error with SQLSTATE 22021 at every door, never a value cut short.
    @Test func nulIsRefusedLoudly() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            try connection.execute("CREATE TABLE strings (id integer, value text)")
            // COPY: the server refuses the row.
            do {
                try connection.copyIn("COPY strings (id, value) FROM STDIN") { writer in try writer.writeRow(["1", "before\u{0}after"]) }
                Issue.record("COPY accepted a NUL")
            } catch SQLState.characterNotInRepertoire {
            }
            // Parameters and statements: libpq would cut the C string at the NUL; the wrapper refuses instead.
            do {
                try connection.query("INSERT INTO strings VALUES (2, $1)", ["before\u{0}after"])
                Issue.record("a parameter with NUL was sent")
            } catch SQLState.characterNotInRepertoire {
            }
            do {
                try connection.execute("INSERT INTO strings VALUES (3, 'a')\u{0}; DROP TABLE strings")
                Issue.record("a statement with NUL was sent")
            } catch SQLState.characterNotInRepertoire {
            }
            #expect(try connection.query("SELECT count(*) FROM strings")[0].decode(0, as: Int.self) == 0, "nothing was stored, cut or whole")
        }
    }
}
