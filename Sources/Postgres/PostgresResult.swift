import CLibPQ

/// The rows a statement returned: owns its `PGresult` and frees it when the last reference goes.
///
/// Rows and values are read in place (text format); a ``PostgresRow`` keeps its result alive.
///
/// - Complexity: Column lookup by name is O(1) after the first lookup builds the name index.
public final class PostgresResult: RandomAccessCollection {
    private let handle: ResultHandle
    /// The SQL that produced the result (for errors).
    public let statement: String
    /// Column names, in order.
    public let columnNames: [String]
    private let columnIndex: [String: Int]

    init(handle: consuming ResultHandle, statement: String) {
        let raw = handle.raw
        let count = Int(PQnfields(raw))
        var names: [String] = []
        names.reserveCapacity(count)
        var index: [String: Int] = [:]
        for column in 0..<count {
            let name = PostgresConnection.string(PQfname(raw, Int32(column))) ?? ""
            names.append(name)
            if index[name] == nil { index[name] = column }
        }
        self.handle = handle
        self.statement = statement
        self.columnNames = names
        self.columnIndex = index
    }

    var raw: OpaquePointer { handle.raw }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(raw)) }
    public subscript(position: Int) -> PostgresRow { PostgresRow(result: self, index: position) }

    /// The number of rows the command affected (`INSERT`, `UPDATE`, `DELETE`, `COPY` …), 0 when it says none.
    public var affectedRows: Int { Int(PostgresConnection.string(PQcmdTuples(raw)) ?? "") ?? 0 }

    /// The command tag, e.g. `INSERT 0 3`.
    public var commandTag: String { PostgresConnection.string(PQcmdStatus(raw)) ?? "" }

    /// The index of a column by name, or a `decoding` error naming the columns there are.
    public func columnIndex(of name: String) throws(PostgresError) -> Int {
        guard let index = columnIndex[name] else {
            throw PostgresError(
                kind: .decoding,
                message: "no column named \"\(name)\" (columns: \(columnNames.joined(separator: ", ")))",
                statement: statement)
        }
        return index
    }

    func cell(row: Int, column: Int) throws(PostgresError) -> PostgresCell {
        guard row >= 0, row < endIndex else {
            throw PostgresError(kind: .decoding, message: "row \(row) is out of range (0..<\(endIndex))", statement: statement)
        }
        guard column >= 0, column < columnNames.count else {
            throw PostgresError(kind: .decoding, message: "column \(column) is out of range (0..<\(columnNames.count))", statement: statement)
        }
        let r = Int32(row), c = Int32(column)
        let isNull = PQgetisnull(raw, r, c) == 1
        let bytes: UnsafeRawBufferPointer? = isNull ? nil : PQgetvalue(raw, r, c).map {
            UnsafeRawBufferPointer(start: $0, count: Int(PQgetlength(raw, r, c)))
        }
        return PostgresCell(bytes: bytes, typeOID: UInt32(PQftype(raw, c)), columnName: columnNames[column])
    }
}

/// One row of a ``PostgresResult``.
public struct PostgresRow {
    let result: PostgresResult
    /// The row's position in its result.
    public let index: Int

    /// The value of a column, by name, decoded as `T` (use an optional type for nullable columns).
    ///
    /// - Throws: ``PostgresError`` of kind `decoding` naming the column, when there is no such column, the value
    ///   is NULL and `T` is not optional, or the text does not read as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        try decode(result.columnIndex(of: column), as: type)
    }

    /// The value of a column, by zero-based index, decoded as `T`.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        let cell = try result.cell(row: index, column: column)
        do {
            return try T.decode(cell)
        } catch {
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(cell.columnName)\" of row \(index): \(error.reason)",
                statement: result.statement)
        }
    }

    /// Whether a column's value is NULL.
    public func isNull(_ column: String) throws(PostgresError) -> Bool {
        try result.cell(row: index, column: result.columnIndex(of: column)).bytes == nil
    }
}
