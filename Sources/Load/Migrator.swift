import Crypto
public import Foundation
public import Logging
public import Postgres

/// A numbered schema migration: `sql/migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String
    /// SHA-256 of the file's bytes, hex.
    public var checksum: String

    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

/// Why migrations could not be read or applied.
public enum MigrationError: Error, CustomStringConvertible {
    case unreadableDirectory(path: String, reason: String)
    case badFileName(path: String)
    case duplicateVersion(Int, [String])
    case edited(version: Int, file: String, appliedChecksum: String, fileChecksum: String)
    case unknownApplied(version: Int, name: String)
    case failed(file: String, error: PostgresError)
    case pending([String])

    public var description: String {
        switch self {
        case .unreadableDirectory(let path, let reason):
            return "cannot read migrations from \(path): \(reason)"
        case .badFileName(let path):
            return "\(path): a migration file must be named NNNN_name.sql (4-digit version, lower-case name)"
        case .duplicateVersion(let version, let files):
            return "two migrations have version \(version): \(files.joined(separator: ", "))"
        case .edited(let version, let file, let applied, let now):
            return "migration \(file) (version \(version)) was edited after it was applied: the database recorded checksum "
                + "\(applied.prefix(12))…, the file now has \(now.prefix(12))…. Restore the file and put the change in a new migration."
        case .unknownApplied(let version, let name):
            return "the database has migration \(version) (\(name)) that this Bayan does not know: it is newer than this program"
        case .failed(let file, let error):
            return "migration \(file) failed and was rolled back: \(error)"
        case .pending(let files):
            return "the warehouse schema is not up to date; pending migrations: \(files.joined(separator: ", ")). Run 'bayan migrate' first"
        }
    }
}

/// Applies the numbered migrations in order, each in its own transaction, recording version and checksum.
///
/// Idempotent: applied migrations are skipped. A migration file whose checksum differs from the one recorded
/// when it was applied is refused. Concurrent migrators serialize on an advisory lock.
public struct Migrator {
    public let migrations: [Migration]
    let logger: Logger

    static let lockKey = PostgresConnection.advisoryLockKey("bayan.migrate")

    /// Reads `NNNN_name.sql` files from `directory`.
    public init(directory: URL, logger: Logger) throws(MigrationError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        } catch {
            throw .unreadableDirectory(path: directory.path, reason: error.localizedDescription)
        }
        var migrations: [Migration] = []
        for name in names.sorted() {
            let path = directory.appendingPathComponent(name).path
            guard let match = name.wholeMatch(of: /([0-9]{4})_([a-z0-9_]+)\.sql/), let version = Int(match.1) else {
                throw .badFileName(path: path)
            }
            guard let data = FileManager.default.contents(atPath: path), let sql = String(data: data, encoding: .utf8) else {
                throw .unreadableDirectory(path: path, reason: "not readable as UTF-8")
            }
            let checksum = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            migrations.append(Migration(version: version, name: String(match.2), sql: sql, checksum: checksum))
        }
        let byVersion = Dictionary(grouping: migrations, by: \.version)
        if let duplicate = byVersion.first(where: { $0.value.count > 1 }) {
            throw .duplicateVersion(duplicate.key, duplicate.value.map(\.fileName))
        }
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The migrations not yet applied to the database (after checking the applied ones are unchanged).
    public func pending(on connection: PostgresConnection) throws -> [Migration] {
        try ensureLedger(connection)
        let applied = try appliedMigrations(connection)
        try verify(applied: applied)
        return migrations.filter { applied[$0.version] == nil }
    }

    /// Applies every pending migration; returns those it applied.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Migration] {
        try ensureLedger(connection)
        try connection.query("SELECT pg_advisory_lock($1::bigint)", [Self.lockKey])
        defer { _ = try? connection.advisoryUnlock(Self.lockKey) }
        let applied = try appliedMigrations(connection)
        try verify(applied: applied)
        var done: [Migration] = []
        for migration in migrations where applied[migration.version] == nil {
            logger.info("applying migration", metadata: ["migration.file": "\(migration.fileName)"])
            do {
                try connection.transaction { connection in
                    try connection.execute(migration.sql)
                    try connection.query(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [migration.version, migration.name, migration.checksum])
                }
            } catch let error as PostgresError {
                throw MigrationError.failed(file: migration.fileName, error: error)
            }
            done.append(migration)
        }
        return done
    }

    private func ensureLedger(_ connection: PostgresConnection) throws {
        // Looked up first: CREATE TABLE IF NOT EXISTS on every connection put a server notice ("already exists,
        // skipping") in every run's log.
        guard try connection.query("SELECT to_regclass('schema_migrations') IS NULL")[0].decode(0, as: Bool.self) else { return }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON TABLE schema_migrations IS 'Schema migrations applied to this warehouse, with the checksum of each file.';
            COMMENT ON COLUMN schema_migrations.version IS 'Version number of the migration (the file name''s prefix).';
            COMMENT ON COLUMN schema_migrations.name IS 'Name of the migration (the rest of the file name).';
            COMMENT ON COLUMN schema_migrations.checksum IS 'SHA-256 of the migration file when it was applied.';
            COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.';
            """)
    }

    private func appliedMigrations(_ connection: PostgresConnection) throws -> [Int: (name: String, checksum: String)] {
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version") {
            applied[try row.decode("version", as: Int.self)] = (try row.decode("name"), try row.decode("checksum"))
        }
        return applied
    }

    private func verify(applied: [Int: (name: String, checksum: String)]) throws(MigrationError) {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else { throw .unknownApplied(version: version, name: record.name) }
            if migration.checksum != record.checksum {
                throw .edited(version: version, file: migration.fileName, appliedChecksum: record.checksum, fileChecksum: migration.checksum)
            }
        }
    }
}
