/// A five-character SQLSTATE code, as PostgreSQL reports it.
///
/// The first two characters are the class. A code whose last three characters are `000` names its whole
/// class, so it matches every member in a `catch`:
/// ```swift
/// do { try loader.merge(run) }
/// catch SQLState.integrityConstraintViolation { quarantine(run) }   // any 23xxx
/// catch SQLState.connectionException { try retry() }                // any 08xxx
/// ```
public struct SQLState: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The five characters, e.g. `23505`.
    public let code: String

    public init(_ code: String) { self.code = code }
    public init(stringLiteral value: String) { self.code = value }

    /// The two-character class, e.g. `23`.
    public var classCode: String { String(code.prefix(2)) }
    /// Whether this code names a whole class (`XX000`).
    public var isClass: Bool { code.count == 5 && code.hasSuffix("000") }

    public var description: String { code }

    /// Whether `other` is this code, or a member of this class when this code names a class.
    public func matches(_ other: SQLState) -> Bool {
        if self == other { return true }
        return isClass && classCode == other.classCode
    }

    /// Pattern match against an error: `catch SQLState.uniqueViolation { … }`.
    public static func ~= (pattern: SQLState, error: any Error) -> Bool {
        guard let state = (error as? PostgresError)?.sqlState else { return false }
        return pattern.matches(state)
    }

    public static func ~= (pattern: SQLState, state: SQLState) -> Bool { pattern.matches(state) }

    // Classes and codes the pipeline acts on (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    public static let successfulCompletion: SQLState = "00000"
    public static let connectionException: SQLState = "08000"
    public static let connectionFailure: SQLState = "08006"
    public static let featureNotSupported: SQLState = "0A000"
    public static let dataException: SQLState = "22000"
    public static let invalidTextRepresentation: SQLState = "22P02"
    public static let badCopyFileFormat: SQLState = "22P04"
    public static let characterNotInRepertoire: SQLState = "22021"
    public static let numericValueOutOfRange: SQLState = "22003"
    public static let integrityConstraintViolation: SQLState = "23000"
    public static let notNullViolation: SQLState = "23502"
    public static let foreignKeyViolation: SQLState = "23503"
    public static let uniqueViolation: SQLState = "23505"
    public static let checkViolation: SQLState = "23514"
    public static let invalidTransactionState: SQLState = "25000"
    public static let inFailedSQLTransaction: SQLState = "25P02"
    public static let invalidAuthorizationSpecification: SQLState = "28000"
    public static let invalidPassword: SQLState = "28P01"
    public static let transactionRollback: SQLState = "40000"
    public static let serializationFailure: SQLState = "40001"
    public static let deadlockDetected: SQLState = "40P01"
    public static let syntaxErrorOrAccessRuleViolation: SQLState = "42000"
    public static let syntaxError: SQLState = "42601"
    public static let undefinedTable: SQLState = "42P01"
    public static let undefinedColumn: SQLState = "42703"
    public static let duplicateTable: SQLState = "42P07"
    public static let insufficientResources: SQLState = "53000"
    public static let operatorIntervention: SQLState = "57000"
    public static let queryCanceled: SQLState = "57014"
    public static let lockNotAvailable: SQLState = "55P03"
    public static let adminShutdown: SQLState = "57P01"
    public static let invalidCatalogName: SQLState = "3D000"
    public static let raiseException: SQLState = "P0001"
    public static let internalError: SQLState = "XX000"
}
