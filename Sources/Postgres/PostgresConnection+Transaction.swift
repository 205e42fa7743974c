extension PostgresConnection {
    /// Runs `body` inside a transaction: COMMIT when it returns, ROLLBACK when it throws.
    ///
    /// ```swift
    /// try connection.transaction { connection in
    ///     try connection.query("INSERT INTO runs (run_id) VALUES ($1)", [runID])
    ///     try connection.query("UPDATE documents SET last_run_id = $1", [runID])
    /// }
    /// ```
    ///
    /// - Returns: what `body` returns.
    /// - Throws: the body's error after a successful ROLLBACK; ``PostgresTransactionError`` carrying the body's
    ///   error and the ROLLBACK's when the rollback fails too; the COMMIT's ``PostgresError`` when the commit
    ///   fails (a deferred constraint, a lost connection), in which case nothing was committed.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            do {
                try execute("ROLLBACK")
            } catch let rollbackError {
                throw PostgresTransactionError(bodyError: error, rollbackError: rollbackError)
            }
            throw error
        }
        try execute("COMMIT")
        // COMMIT of a failed transaction answers "ROLLBACK" instead of an error.
        return value
    }
}
