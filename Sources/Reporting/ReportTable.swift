public import Postgres

/// The rows a report returned, as text, with each column's type: what the formatters print.
public struct ReportTable: Sendable, Equatable {
    /// A column's name and how its values read.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// How a column's values are printed: numbers right-aligned and bare in JSON, booleans as true/false.
    public enum Kind: Sendable, Equatable {
        case text, number, boolean, json

        /// The kind of a PostgreSQL type OID.
        public init(typeOID: UInt32) {
            switch typeOID {
            case 20, 21, 23, 26, 700, 701, 1700: self = .number
            case 16: self = .boolean
            case 114, 3802: self = .json
            default: self = .text
            }
        }
    }

    public var columns: [Column]
    /// Rows of values in column order; `nil` is SQL NULL.
    public var rows: [[String?]]

    public init(columns: [Column], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Runs `sql` with its `arguments` as parameters and keeps the result as text.
    public init(connection: PostgresConnection, sql: String, arguments: [String]) throws {
        let result = try connection.query(sql, arguments)
        var columns: [Column] = []
        var rows: [[String?]] = []
        for row in result {
            var values: [String?] = []
            for index in result.columnNames.indices {
                let cell = try row.decode(index, as: CellText.self)
                if rows.isEmpty && columns.count < result.columnNames.count {
                    columns.append(Column(name: result.columnNames[index], kind: Kind(typeOID: cell.typeOID)))
                }
                values.append(cell.text)
            }
            rows.append(values)
        }
        if rows.isEmpty { columns = result.columnNames.map { Column(name: $0, kind: .text) } }
        self.init(columns: columns, rows: rows)
    }
}

/// A cell's text and type, read whatever the column's type.
struct CellText: PostgresDecodable {
    var text: String?
    var typeOID: UInt32
    static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> CellText {
        CellText(text: cell.text, typeOID: cell.typeOID)
    }
}
