import CLibPQ
import CopyText

/// Streams rows into a `COPY … FROM STDIN` in progress, in chunks.
///
/// Rows are encoded in COPY text format into a buffer that is sent with `PQputCopyData` whenever it reaches
/// the chunk size, so memory stays flat however many rows go through.
public struct PostgresCopyInWriter {
    let connection: PostgresConnection
    let raw: OpaquePointer
    let statement: String
    let chunkSize: Int
    var buffer: [UInt8] = []
    /// Rows written so far (by ``writeRow(_:)``).
    public private(set) var rowsWritten = 0
    /// Bytes handed to libpq so far.
    public private(set) var bytesSent = 0

    init(connection: PostgresConnection, raw: OpaquePointer, statement: String, chunkSize: Int) {
        self.connection = connection
        self.raw = raw
        self.statement = statement
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// Writes one row; `nil` fields are SQL `NULL`. Fields are escaped here.
    ///
    /// - Throws: ``PostgresError`` when the server has already failed the COPY (its SQLSTATE included).
    public mutating func writeRow(_ fields: [String?]) throws(PostgresError) {
        CopyTextEncoder.appendRow(fields, to: &buffer)
        rowsWritten += 1
        if buffer.count >= chunkSize { try flush() }
    }

    /// Writes bytes that are already COPY text (whole rows, each ending in a newline), e.g. a run file.
    public mutating func writeEncoded(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Sends what is buffered.
    public mutating func flush() throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBytes { bytes in
            PQputCopyData(raw, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard status == 1 else {
            // -1: the COPY is no longer in progress, usually because the server rejected the data.
            throw connection.drainResults(statement: statement)
                ?? PostgresError(kind: .client, message: connection.lastErrorMessage(), statement: statement)
        }
        bytesSent += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

extension PostgresConnection {
    /// Runs a `COPY … FROM STDIN` and streams the rows `body` writes into it.
    ///
    /// ```swift
    /// let count = try connection.copyIn("COPY sentences (document_id, ordinal, text) FROM STDIN") { writer in
    ///     for sentence in sentences { try writer.writeRow([String(sentence.documentID), String(sentence.ordinal), sentence.text]) }
    /// }
    /// ```
    ///
    /// The protocol is always finished: when `body` throws, the COPY is ended with `PQputCopyEnd` and an
    /// error message, so the server discards it and the connection stays usable.
    ///
    /// - Parameters:
    ///   - sql: a `COPY table (columns) FROM STDIN` statement in text format.
    ///   - chunkSize: bytes buffered before each `PQputCopyData` (default 64 KiB).
    ///   - body: writes the rows.
    /// - Returns: the number of rows the server copied.
    /// - Throws: ``PostgresError`` with the server's SQLSTATE when it rejects a row (e.g. `22P02` for a bad
    ///   value, `23505` for a duplicate key), or whatever `body` threw.
    @discardableResult
    public func copyIn(
        _ sql: String, chunkSize: Int = 64 * 1024, _ body: (inout PostgresCopyInWriter) throws -> Void
    ) throws -> Int {
        let raw = try rawConnection(for: sql)
        _ = try checked(PQexec(raw, sql), statement: sql, expecting: [PGRES_COPY_IN])
        var writer = PostgresCopyInWriter(connection: self, raw: raw, statement: sql, chunkSize: max(1, chunkSize))
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            if PQputCopyEnd(raw, "COPY aborted by the client: \(error)") == 1 {
                _ = drainResults(statement: sql)
            }
            throw error
        }
        guard PQputCopyEnd(raw, nil) == 1 else {
            throw drainResults(statement: sql) ?? PostgresError(kind: .client, message: lastErrorMessage(), statement: sql)
        }
        guard let final = PQgetResult(raw) else {
            throw PostgresError(kind: .client, message: "COPY ended without a result", statement: sql)
        }
        let handle = ResultHandle(raw: final, tracker: tracker)
        guard PQresultStatus(final) == PGRES_COMMAND_OK else {
            let error = Self.error(from: handle, statement: sql, fallback: lastErrorMessage())
            _ = drainResults(statement: sql)
            throw error
        }
        let count = Int(Self.string(PQcmdTuples(final)) ?? "") ?? writer.rowsWritten
        if let trailing = drainResults(statement: sql) { throw trailing }
        return count
    }

    /// Runs a `COPY … TO STDOUT` and hands each row's bytes (COPY text, newline included) to `body`.
    ///
    /// The buffer is valid only during the call. When `body` throws, the rest of the output is read and
    /// discarded so the connection stays usable, and the error is rethrown.
    ///
    /// - Returns: the number of rows copied.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let raw = try rawConnection(for: sql)
        _ = try checked(PQexec(raw, sql), statement: sql, expecting: [PGRES_COPY_OUT])
        var bodyError: (any Error)?
        var rows = 0
        while true {
            var chunk: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(raw, &chunk, 0)
            if length > 0, let chunk {
                defer { PQfreemem(chunk) }
                if bodyError == nil {
                    rows += 1
                    do {
                        try body(UnsafeRawBufferPointer(start: chunk, count: Int(length)))
                    } catch {
                        bodyError = error
                    }
                }
                continue
            }
            if length == -1 { break }  // done; the final result follows
            // -2: an error; the final result describes it.
            break
        }
        var finalError: PostgresError?
        if let final = PQgetResult(raw) {
            let handle = ResultHandle(raw: final, tracker: tracker)
            if PQresultStatus(final) != PGRES_COMMAND_OK {
                finalError = Self.error(from: handle, statement: sql, fallback: lastErrorMessage())
            }
        }
        if let trailing = drainResults(statement: sql), finalError == nil { finalError = trailing }
        if let bodyError { throw bodyError }
        if let finalError { throw finalError }
        return rows
    }

    /// Runs a `COPY … TO STDOUT` and hands each row to `body` as decoded fields (`nil` for `NULL`).
    @discardableResult
    public func copyOutRows(_ sql: String, _ body: ([String?]) throws -> Void) throws -> Int {
        try copyOut(sql) { bytes in
            try body(try CopyTextDecoder.decodeRow(bytes))
        }
    }
}
