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
    /// Temporary: another load holds the warehouse, or the database cannot be reached. Try again later.
    case temporary = 75

    /// Whether `error` is the database being unreachable for now (no answer, connection refused, the server
    /// starting up or shutting down), rather than a refused login or a bad statement.
    public static func isTemporary(_ error: PostgresError) -> Bool {
        error.isConnectionLoss
    }
}
