public import Postgres

/// The exit statuses of `bayan`, for the supervisor that runs it (the values of BSD's sysexits where one fits).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything asked was done.
    case success = 0
    /// The run failed; the message names the stage, the file and, for database errors, the SQLSTATE.
    case failure = 1
    /// Bad usage: an unknown flag, a bad value, a missing argument (nothing was done).
    case usage = 2
    /// Bad data over the budget: more rejects than `load.max_rejects`, or any quarantined input under `--strict`.
    case dataError = 65
    /// Temporary: another load holds the warehouse, the database cannot be reached, or the database server ran
    /// out of a resource. Try again later with `--resume`.
    case temporary = 75

    /// Whether `error` is the database being unreachable for now (no answer, connection refused, the server
    /// starting up or shutting down) or out of a resource (``isOutOfResources(_:)``), rather than a refused
    /// login or a bad statement.
    public static func isTemporary(_ error: PostgresError) -> Bool {
        error.isConnectionLoss || isOutOfResources(error)
    }

    /// Whether the server refused `error`'s statement for want of a resource: SQLSTATE class 53, insufficient
    /// resources (disk full 53100, out of memory 53200, too many connections 53300, a configured limit such as
    /// `temp_file_limit` 53400).
    ///
    /// Nothing is wrong with the data or the run: the batch in flight rolled back whole, and `--resume` once
    /// the resource is back ends with what an uninterrupted run gives. So it is temporary (75), as an outage
    /// is; but a full disk does not free itself, so a supervisor that retries alerts when it persists.
    public static func isOutOfResources(_ error: PostgresError) -> Bool {
        guard let state = error.sqlState else { return false }
        return SQLState.insufficientResources.matches(state)
    }
}
