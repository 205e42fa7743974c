import CLibPQ

extension PostgresConnection {
    /// Runs one parameterized statement and returns its rows.
    ///
    /// Parameters are sent separately from the SQL (`PQexecParams`), never spliced into it; `nil` is SQL `NULL`.
    ///
    /// ```swift
    /// let rows = try connection.query("SELECT title FROM documents WHERE source_name = $1", ["alwafd-news"])
    /// for row in rows { print(try row.decode("title", as: String.self)) }
    /// ```
    ///
    /// - Parameters:
    ///   - sql: one statement, with `$1`, `$2` … placeholders.
    ///   - parameters: the placeholders' values.
    /// - Returns: the result, which owns the server's rows.
    /// - Important: libpq takes SQL and parameters as NUL-terminated C strings, so a NUL character would cut
    ///   them short without a word; such a statement or parameter is refused before anything is sent, with
    ///   SQLSTATE `22021` (`characterNotInRepertoire`, what the server answers for a NUL in COPY data).
    /// - Throws: ``PostgresError`` with the server's SQLSTATE and fields, and `sql` as its statement.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws(PostgresError) -> PostgresResult {
        let raw = try rawConnection(for: sql)
        let texts: [String?] = parameters.map { $0?.postgresText }
        try Self.refuseNUL(sql: sql, parameters: texts)
        let result = withCStringArray(texts) { values in
            PQexecParams(raw, sql, Int32(texts.count), nil, values, nil, nil, 0)
        }
        let handle = try checked(result, statement: sql, expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK])
        return PostgresResult(handle: handle, statement: sql)
    }

    /// Runs SQL without parameters; several statements separated by `;` are allowed (simple query protocol).
    ///
    /// - Important: Use only with SQL the program controls (migrations, fixed statements). Values go through
    ///   ``query(_:_:)`` parameters.
    /// - Throws: ``PostgresError`` for the first statement that fails.
    public func execute(_ sql: String) throws(PostgresError) {
        let raw = try rawConnection(for: sql)
        try Self.refuseNUL(sql: sql, parameters: [])
        let result = PQexec(raw, sql)
        _ = try checked(result, statement: sql, expecting: [PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY])
    }

    /// Throws when the statement or a parameter holds U+0000, which libpq would silently cut at.
    static func refuseNUL(sql: String, parameters: [String?]) throws(PostgresError) {
        if sql.utf8.contains(0) {
            throw PostgresError(kind: .client, sqlState: .characterNotInRepertoire,
                                message: "the statement contains a NUL character, which libpq would cut it at", statement: sql)
        }
        if let index = parameters.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            throw PostgresError(kind: .client, sqlState: .characterNotInRepertoire,
                                message: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot hold",
                                statement: sql)
        }
    }

    /// Takes ownership of `result` and returns it if its status is one of `expected`; otherwise frees it and
    /// throws the error it describes.
    func checked(_ result: OpaquePointer?, statement: String?, expecting expected: [ExecStatusType]) throws(PostgresError) -> ResultHandle {
        guard let result else {
            throw PostgresError(kind: .client, message: lastErrorMessage(), statement: statement)
        }
        let handle = ResultHandle(raw: result, tracker: tracker)
        let status = PQresultStatus(result)
        guard expected.contains(status) else {
            throw Self.error(from: handle, statement: statement, fallback: lastErrorMessage())
        }
        return handle
    }

    /// Copies every field of an error result into a ``PostgresError`` (the result is freed by the caller's handle).
    static func error(from handle: borrowing ResultHandle, statement: String?, fallback: String) -> PostgresError {
        let raw = handle.raw
        func field(_ code: Int32) -> String? { string(PQresultErrorField(raw, code)) }
        let state = field(CLibPQ_DIAG_SQLSTATE)
        let status = PQresultStatus(raw)
        var message = field(CLibPQ_DIAG_MESSAGE_PRIMARY)
            ?? string(PQresultErrorMessage(raw))?.trimmingTrailingNewlines()
            ?? fallback
        if status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR && state == nil {
            message = "unexpected result status \(string(PQresStatus(status)) ?? "?"): \(message)"
        }
        return PostgresError(
            kind: state == nil ? .client : .server,
            sqlState: state.map { SQLState($0) },
            severity: field(CLibPQ_DIAG_SEVERITY),
            message: message,
            detail: field(CLibPQ_DIAG_MESSAGE_DETAIL),
            hint: field(CLibPQ_DIAG_MESSAGE_HINT),
            context: field(CLibPQ_DIAG_CONTEXT),
            position: field(CLibPQ_DIAG_STATEMENT_POSITION).flatMap { Int($0) },
            schema: field(CLibPQ_DIAG_SCHEMA_NAME),
            table: field(CLibPQ_DIAG_TABLE_NAME),
            column: field(CLibPQ_DIAG_COLUMN_NAME),
            constraint: field(CLibPQ_DIAG_CONSTRAINT_NAME),
            statement: statement)
    }

    /// Reads and frees every pending result, returning the first error among them (libpq requires the
    /// application to call `PQgetResult` until it returns NULL before the next command).
    func drainResults(statement: String?) -> PostgresError? {
        guard let raw = try? rawConnection(for: statement) else { return nil }
        var firstError: PostgresError?
        while let next = PQgetResult(raw) {
            let handle = ResultHandle(raw: next, tracker: tracker)
            let status = PQresultStatus(next)
            if status == PGRES_FATAL_ERROR, firstError == nil {
                firstError = Self.error(from: handle, statement: statement, fallback: lastErrorMessage())
            }
            if status == PGRES_COPY_IN {
                // Never leave a COPY half-open: end it so the connection stays usable.
                _ = PQputCopyEnd(raw, "aborted by client")
            }
        }
        return firstError
    }
}
