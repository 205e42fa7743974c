import CLibPQ

/// Asks the server to cancel the statement a connection is running, from any thread (a signal handler's
/// queue, say) while the connection's own thread waits for the result.
///
/// Wraps libpq's `PGcancel`, which is made for exactly this: `PQcancel` may be called from another thread
/// than the one using the connection. The statement then fails with SQLSTATE `57014` (query_canceled) on the
/// connection's thread, and its transaction rolls back.
public final class PostgresCanceller: @unchecked Sendable {
    // PGcancel is immutable after PQgetCancel and PQcancel only reads it: sharing it across threads is safe.
    private let raw: OpaquePointer

    init?(connection: OpaquePointer) {
        guard let raw = PQgetCancel(connection) else { return nil }
        self.raw = raw
    }

    deinit { PQfreeCancel(raw) }

    /// Sends the cancel request; returns libpq's error text when it could not be sent.
    @discardableResult
    public func cancel() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        if PQcancel(raw, &buffer, Int32(buffer.count)) == 1 { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension PostgresConnection {
    /// A canceller for the statements of this connection, or nil when the connection is closed.
    public func makeCanceller() -> PostgresCanceller? {
        guard let raw = try? rawConnection(for: nil) else { return nil }
        return PostgresCanceller(connection: raw)
    }
}

extension PostgresError {
    /// Whether the error means the session is gone or the server cannot serve it now (connection lost or
    /// refused, server shutting down or restarting): worth reconnecting and trying again, unlike an error
    /// in the data or the SQL.
    public var isConnectionLoss: Bool {
        switch kind {
        case .connection: return true
        case .client: return sqlState == nil
        case .server, .decoding: break
        }
        guard let sqlState else { return false }
        return SQLState.connectionException.matches(sqlState)
            || [SQLState.adminShutdown, "57P02", "57P03", "53300"].contains(sqlState)
    }

    /// Whether the server refused the data itself (a bad value, a violated constraint, a value too large):
    /// another row would go through, so the row can be set aside and the rest loaded.
    public var isDataRejection: Bool {
        guard let sqlState else { return false }
        return ["22", "23", "54"].contains(sqlState.classCode)
    }
}
