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

    /// A warehouse of schema version 8 keeps its sentences through version 9: each gets the search vector SQL
    /// computes, search finds them, and a sentence whose text is changed by hand gets a new vector.
    @Test func sentencesLoadedBeforeVersion9GetTheirSearchVectors() throws {
        try withTemporaryDirectory { directory in
            let migrations = try copyOfShippedMigrations(into: directory)
            let later = try FileManager.default.contentsOfDirectory(atPath: migrations.path).filter { $0 >= "0009" }
            #expect(later.contains("0009_sentence_search_vector.sql"))
            for name in later { try FileManager.default.removeItem(at: migrations.appendingPathComponent(name)) }
            try TestPostgres.withDatabase(migrated: false) { connection in
                _ = try Migrator(directory: migrations, logger: TestPostgres.quietLogger).migrate(connection)
                try connection.execute("""
                    INSERT INTO runs (run_id, started_at, status, stages) VALUES ('r', now(), 'succeeded', '{load}');
                    INSERT INTO documents (document_id, content_sha256, source_path, source_name, encoding, byte_size, title,
                        paragraph_count, sentence_count, lines_removed, raw_text, normalization_profile, first_run_id)
                    VALUES (1, decode(repeat('ab', 32), 'hex'), 'a.txt', 's', 'UTF-8', 1, 't', 1, 2, 0, 'x', 'default-1', 'r');
                    INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash)
                    VALUES (1, 1, 1, 'اجتماع مجلس الأمن', 'اجتماع مجلس الامن', 1), (1, 2, 1, 'وصل الوفد إلى العاصمة', 'وصل الوفد الي العاصمه', 2);
                    """)
                let applied = try Migrator(directory: TestPostgres.migrationsDirectory, logger: TestPostgres.quietLogger).migrate(connection)
                #expect(applied.first?.version == 9)
                let vectors = try connection.query("SELECT search_vector::text FROM sentences ORDER BY ordinal").map { try $0.decode(0, as: String.self) }
                #expect(vectors == ["'اجتماع' 'امن' 'مجلس'", "'الي' 'عاصم' 'وصل' 'وفد'"])
                #expect(try connection.query("""
                    SELECT count(*) FROM sentences WHERE search_vector IS DISTINCT FROM bayan_search_vector(normalized_text)
                    """)[0].decode(0, as: Int.self) == 0)
                #expect(try connection.query("SELECT ordinal FROM search_sentences('إجتماع الأمن')").map { try $0.decode(0, as: Int.self) } == [1])
                try connection.execute("UPDATE sentences SET normalized_text = 'مدرسه القريه' WHERE ordinal = 2")
                #expect(try connection.query("SELECT ordinal FROM search_sentences('مدرسة')").map { try $0.decode(0, as: Int.self) } == [2])
                #expect(try connection.query("SELECT count(*) FROM search_sentences('العاصمة')")[0].decode(0, as: Int.self) == 0)
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
