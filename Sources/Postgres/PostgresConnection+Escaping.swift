import CLibPQ
import Glibc

extension PostgresConnection {
    /// Quotes `identifier` as an SQL identifier (`"name"`, inner `"` doubled), with libpq's
    /// `PQescapeIdentifier`, for the places a name cannot be a parameter (a table or database name).
    ///
    /// ```swift
    /// try admin.execute("CREATE DATABASE \(try admin.escapeIdentifier(name))")
    /// ```
    ///
    /// - Important: Values still go through ``query(_:_:)`` parameters; this is for names only.
    /// - Throws: ``PostgresError`` (SQLSTATE `22021`) when the name holds NUL, or of kind `client` when libpq
    ///   refuses it (e.g. bytes invalid in the connection's encoding).
    public func escapeIdentifier(_ identifier: String) throws(PostgresError) -> String {
        try escape(identifier, what: "identifier") { PQescapeIdentifier($0, $1, $2) }
    }

    /// Quotes `value` as an SQL string literal (`'it''s'`, or `E'…'` when it holds a backslash), with libpq's
    /// `PQescapeLiteral`, for the statements that take no parameters (`COPY (SELECT …) TO STDOUT`).
    ///
    /// - Important: Prefer parameters wherever the statement allows them.
    /// - Throws: ``PostgresError`` as ``escapeIdentifier(_:)`` does.
    public func escapeLiteral(_ value: String) throws(PostgresError) -> String {
        try escape(value, what: "literal") { PQescapeLiteral($0, $1, $2) }
    }

    private func escape(
        _ text: String, what: String,
        _ function: (OpaquePointer, UnsafePointer<CChar>, Int) -> UnsafeMutablePointer<CChar>?
    ) throws(PostgresError) -> String {
        let raw = try rawConnection(for: nil)
        if text.utf8.contains(0) {
            throw PostgresError(kind: .client, sqlState: .characterNotInRepertoire,
                                message: "an SQL \(what) cannot contain a NUL character")
        }
        let escaped = text.withCString { function(raw, $0, strlen($0)) }
        guard let escaped else {
            throw PostgresError(kind: .client, message: "cannot quote the \(what): \(lastErrorMessage())")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }
}
