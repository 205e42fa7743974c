import Foundation
import Load
import Postgres
import Testing
import TestSupport

@Suite struct MigratorTests {
    func copyOfShippedMigrations(into directory: URL) throws -> URL {
        let target = directory.appendingPathComponent("migrations")
        try FileManager.default.copyItem(at: TestPostgres.migrationsDirectory, to: target)
        return target
    }

    @Test func appliesOnceAndRecordsChecksums() throws {
        try TestPostgres.withDatabase(migrated: false) { connection in
            let migrator = try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.quietLogger)
            let first = try migrator.migrate(connection)
            #expect(first.map(\.version) == migrator.migrations.map(\.version))
            #expect(try migrator.migrate(connection).isEmpty, "second run applies nothing")
            #expect(try migrator.pending(on: connection).isEmpty)
            let rows = try connection.query("SELECT version, checksum FROM schema_migrations ORDER BY version")
            #expect(try rows.map { try $0.decode("checksum", as: String.self) } == migrator.migrations.map(\.checksum))
            #expect(migrator.migrations.allSatisfy { $0.checksum.count == 64 })
        }
    }

    @Test func editedMigrationIsRefused() throws {
        try withTemporaryDirectory { directory in
            let migrations = try copyOfShippedMigrations(into: directory)
            try TestPostgres.withDatabase(migrated: false) { connection in
                try Migrator(directory: migrations, logger: TestPostgres.quietLogger).migrate(connection)
                let file = migrations.appendingPathComponent("0001_warehouse.sql")
                try (String(contentsOf: file, encoding: .utf8) + "\n-- edited afterwards\n").write(to: file, atomically: true, encoding: .utf8)
                #expect {
                    try Migrator(directory: migrations, logger: TestPostgres.quietLogger).migrate(connection)
                } throws: { error in
                    guard case MigrationError.edited(let version, let name, _, _) = error else { return false }
                    return version == 1 && name == "0001_warehouse.sql" && "\(error)".contains("edited after it was applied")
                }
            }
        }
    }

    @Test func failingMigrationRollsBackAndIsNotRecorded() throws {
        try withTemporaryDirectory { directory in
            let migrations = try copyOfShippedMigrations(into: directory)
            try "CREATE TABLE half_done (n int);\nSELECT 1/0;\n".write(
                to: migrations.appendingPathComponent("0099_broken.sql"), atomically: true, encoding: .utf8)
            try TestPostgres.withDatabase(migrated: false) { connection in
                #expect {
                    try Migrator(directory: migrations, logger: TestPostgres.quietLogger).migrate(connection)
                } throws: { error in
                    guard case MigrationError.failed(let file, let cause) = error else { return false }
                    return file == "0099_broken.sql" && cause.sqlState == SQLState("22012")
                }
                let versions = try connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.decode(0, as: Int.self) }
                let shipped = try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.quietLogger).migrations.map(\.version)
                #expect(versions == shipped, "the shipped migrations stay applied, 0099 is not recorded")
                let table = try connection.query("SELECT to_regclass('half_done') IS NULL AS gone")[0].decode("gone", as: Bool.self)
                #expect(table, "the failed migration's table was rolled back")
            }
        }
    }

    @Test func badFileNamesAndUnknownVersionsAreErrors() throws {
        try withTemporaryDirectory { directory in
            let migrations = try copyOfShippedMigrations(into: directory)
            try "SELECT 1;".write(to: migrations.appendingPathComponent("2_no_padding.sql"), atomically: true, encoding: .utf8)
            #expect { try Migrator(directory: migrations, logger: TestPostgres.quietLogger) } throws: { error in
                guard case MigrationError.badFileName(let path) = error else { return false }
                return path.hasSuffix("2_no_padding.sql")
            }
        }
        try TestPostgres.withDatabase { connection in
            try connection.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (99, 'future', 'x')")
            #expect {
                try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.quietLogger).migrate(connection)
            } throws: { error in
                guard case MigrationError.unknownApplied(let version, _) = error else { return false }
                return version == 99
            }
        }
    }

    @Test func everyTableViewAndColumnHasAComment() throws {
        try TestPostgres.withDatabase { connection in
            let missing = try connection.query("""
                SELECT c.relname || coalesce('.' || a.attname, '') AS object
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE c.relkind IN ('r', 'v', 'm')
                  AND (CASE WHEN a.attname IS NULL THEN obj_description(c.oid, 'pg_class')
                            ELSE col_description(c.oid, a.attnum) END) IS NULL
                UNION ALL
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                WHERE c.relkind IN ('r', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
                ORDER BY 1
                """).map { try $0.decode("object", as: String.self) }
            #expect(missing.isEmpty, "objects without COMMENT: \(missing)")
            let tables = try connection.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")[0].decode("n", as: Int.self)
            #expect(tables >= 8)
        }
    }
}
