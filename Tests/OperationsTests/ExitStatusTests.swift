import Operations
import Postgres
import Testing

@Suite struct ExitStatusTests {
    /// Which database errors are temporary (exit status 75): an outage, or the server out of a resource.
    @Test(arguments: [
        (PostgresError(kind: .server, sqlState: "53100", message: "could not extend file"), true),     // disk full
        (PostgresError(kind: .server, sqlState: "53200", message: "out of memory"), true),             // out of memory
        (PostgresError(kind: .connection, sqlState: "53300", message: "too many clients"), true),      // too many connections
        (PostgresError(kind: .server, sqlState: "53400", message: "temporary file size exceeds"), true),  // temp_file_limit
        (PostgresError(kind: .server, sqlState: "53000", message: "insufficient resources"), true),    // the class itself
        (PostgresError(kind: .connection, message: "could not connect to server"), true),              // unreachable
        (PostgresError(kind: .server, sqlState: "57P01", message: "terminating connection"), true),    // admin shutdown
        (PostgresError(kind: .server, sqlState: "57014", message: "statement timeout"), false),        // a limit of the run's own
        (PostgresError(kind: .server, sqlState: "23505", message: "duplicate key"), false),            // the data
        (PostgresError(kind: .server, sqlState: "54000", message: "program limit exceeded"), false),   // a value too large: the data
        (PostgresError(kind: .server, sqlState: "28P01", message: "password authentication failed"), false),  // a bad login
    ])
    func temporaryDatabaseErrors(_ error: PostgresError, _ temporary: Bool) {
        #expect(ExitStatus.isTemporary(error) == temporary, "\(error)")
        #expect(ExitStatus.isOutOfResources(error) == (error.sqlState?.classCode == "53"), "\(error)")
    }
}
