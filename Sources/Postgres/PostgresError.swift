/// An error from PostgreSQL or from libpq, with everything the server said about it.
///
/// Server errors carry their SQLSTATE and the fields of the ErrorResponse; errors libpq raises itself (a lost
/// connection, a refused login before the server answered) have no SQLSTATE. ``statement`` is the SQL text
/// that failed, never its parameter values, and nothing here ever contains a password.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Where the error arose.
    public enum Kind: String, Sendable {
        /// Opening the connection failed.
        case connection
        /// The server rejected a statement.
        case server
        /// libpq or this wrapper failed without a server error (lost connection, protocol misuse).
        case client
        /// A value in a result could not be read as the requested Swift type.
        case decoding
    }

    public var kind: Kind
    /// The SQLSTATE, when the server sent one.
    public var sqlState: SQLState?
    /// ERROR, FATAL or PANIC (not localized).
    public var severity: String?
    /// The primary message.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The server's CONTEXT field: the call stack inside the server (functions, COPY line).
    public var context: String?
    /// 1-based character position in the statement, when the server gave one.
    public var position: Int?
    public var schema: String?
    public var table: String?
    public var column: String?
    public var constraint: String?
    /// The SQL that failed (text only; parameter values are never recorded).
    public var statement: String?

    public init(
        kind: Kind, sqlState: SQLState? = nil, severity: String? = nil, message: String,
        detail: String? = nil, hint: String? = nil, context: String? = nil, position: Int? = nil,
        schema: String? = nil, table: String? = nil, column: String? = nil, constraint: String? = nil,
        statement: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.context = context
        self.position = position
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
        self.statement = statement
    }

    /// One readable paragraph: SQLSTATE, message, detail, hint, context and the statement.
    public var description: String {
        var parts: [String] = []
        if let sqlState {
            parts.append("PostgreSQL error \(sqlState.code): \(message)")
        } else {
            parts.append("PostgreSQL \(kind.rawValue) error: \(message)")
        }
        if let detail { parts.append("detail: \(detail)") }
        if let hint { parts.append("hint: \(hint)") }
        if let context { parts.append("context: \(context)") }
        if let statement { parts.append("statement: \(Self.abbreviated(statement))") }
        return parts.joined(separator: "; ")
    }

    static func abbreviated(_ sql: String, limit: Int = 300) -> String {
        let flat = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}

/// A transaction whose body failed and whose ROLLBACK failed too.
///
/// The body's error is the cause and comes first; the rollback's error is reported beside it, so neither is lost.
public struct PostgresTransactionError: Error, CustomStringConvertible {
    /// What the transaction's body threw.
    public var bodyError: any Error
    /// Why the ROLLBACK after it failed.
    public var rollbackError: PostgresError

    public var description: String {
        "\(bodyError) (and the ROLLBACK that followed failed: \(rollbackError))"
    }
}
