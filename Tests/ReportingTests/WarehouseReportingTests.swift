import Foundation
import Postgres
import PostgresCluster
import Testing
import TestSupport
@testable import Reporting

@Suite struct WarehouseReportingTests {
    static let schemaFile = TestPostgres.repositoryRoot.appendingPathComponent("docs/schema.md")

    @Test func schemaDocIsCompleteAndCurrent() throws {
        try TestPostgres.withDatabase { connection in
            let document = try SchemaDocument(connection: connection)
            #expect(document.missingComments.isEmpty, "without a comment: \(document.missingComments)")
            #expect(document.relations.contains { $0.name == "theme_days" && $0.isView })
            let committed = try String(contentsOf: Self.schemaFile, encoding: .utf8)
            #expect(committed == document.markdown(), "docs/schema.md is stale: run bayan schema docs and commit it")
        }
    }

    @Test func aColumnWithoutACommentIsFound() throws {
        try TestPostgres.withDatabase { connection in
            try connection.execute("ALTER TABLE documents ADD COLUMN undocumented integer")
            #expect(try SchemaDocument(connection: connection).missingComments == ["documents.undocumented"])
        }
    }

    @Test func themeDaysCountsRepeatedSentencesAndCopiesOnce() throws {
        try TestPostgres.withDatabase { connection in
            let quoted = "قال الوزير إن الهجوم الإرهابي فشل."
            try SampleRows.insertDocument(1, sentences: [quoted, "جملة أخرى عن الإرهاب."], on: connection)
            try SampleRows.insertDocument(2, sentences: [quoted], on: connection)
            try SampleRows.insertDocument(3, sentences: [], duplicateOf: 1, on: connection)
            for (document, ordinal) in [(1, 1), (1, 2), (2, 1)] {
                try SampleRows.label(Int64(document), ordinal, theme: "security", on: connection)
            }
            let row = try connection.query("SELECT sentences, hits, documents FROM theme_days WHERE theme_code = 'security'")
            #expect(row.count == 1)
            #expect(try row[0].decode("sentences", as: Int.self) == 2, "the quoted sentence once")
            #expect(try row[0].decode("hits", as: Int.self) == 3)
            #expect(try row[0].decode("documents", as: Int.self) == 2, "the copy carries nothing")
            let shares = try connection.query("SELECT document_id, share FROM document_themes ORDER BY document_id")
                .map { (try $0.decode("document_id", as: Int.self), try $0.decode("share", as: Double.self)) }
            #expect(shares.map(\.0) == [1, 2] && shares.map(\.1) == [1, 1])
            let copies = try connection.query("SELECT original_id FROM duplicate_documents").map { try $0.decode(0, as: Int.self) }
            #expect(copies == [1])
        }
    }

    @Test func checksPassOnCleanDataAndCatchABrokenRow() throws {
        try TestPostgres.withDatabase { connection in
            try SampleRows.insertDocument(1, sentences: ["جملة عن الإرهاب."], on: connection)
            try SampleRows.label(1, 1, theme: "security", on: connection)
            try connection.execute("UPDATE runs SET documents_new = 1")
            let clean = try DataChecks.run(on: connection, configuration: CheckConfiguration())
            #expect(clean.allSatisfy { $0.passed }, "\(DataChecks.render(clean))")
            // An orphan sentence: only possible with the foreign keys switched off, as a bad manual fix would.
            try connection.execute("""
                SET session_replication_role = replica;
                INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash, search_vector) VALUES (999, 1, 1, 'x', 'x', 1, 'x');
                INSERT INTO sentence_themes (document_id, ordinal, theme_code, score, matched_terms, lexicon_version) VALUES (1, 1, 'nonexistent', 1, '{}', 'v');
                SET session_replication_role = origin;
                UPDATE runs SET quarantined = 1, files_seen = 10;
                """)
            // A load that stopped after dropping the full-text index to build it at its end.
            try connection.execute("""
                INSERT INTO deferred_indexes (index_name, table_name, definition, comment, run_id)
                SELECT 'sentences_search_idx', 'sentences', pg_get_indexdef('sentences_search_idx'::regclass), NULL, 'r1';
                DROP INDEX sentences_search_idx;
                """)
            try SampleRows.insertTheme("diplomacy", on: connection)
            let broken = try DataChecks.run(on: connection, configuration: CheckConfiguration())
            let failed = Dictionary(uniqueKeysWithValues: broken.map { ($0.name, $0.passed) })
            #expect(failed == ["sentences_without_document": false, "theme_hits_without_theme": false, "themes_seen": false,
                               "quarantine_share": false, "freshness": true, "indexes_built": false], "\(DataChecks.render(broken))")
            #expect(broken.first { $0.name == "indexes_built" }?.detail.contains("sentences_search_idx (dropped by the load of run r1 at ") == true)
            #expect(DataChecks.hasErrors(broken))
            var lenient = CheckConfiguration()
            lenient.quarantineShare.maxShare = 0.2
            #expect(try DataChecks.run(on: connection, configuration: lenient).first { $0.name == "quarantine_share" }?.passed == true)
        }
    }

    @Test(arguments: [
        ("checks:\n  freshness: {max_age_hours: 2, severity: warn}\n", 2.0, CheckSeverity.warn, 0.05),   // one check changed
        ("checks:\n  quarantine_share: {max_share: 0.5}\n", 36.0, CheckSeverity.error, 0.5),            // defaults kept
    ])
    func checkConfigurationReadsYAML(yaml: String, hours: Double, severity: CheckSeverity, share: Double) throws {
        let configuration = try CheckConfiguration(yaml: yaml)
        #expect(configuration.freshness.maxAgeHours == hours && configuration.freshness.severity == severity)
        #expect(configuration.quarantineShare.maxShare == share)
    }

    @Test(arguments: [
        ("checks:\n  indexes_built: {}\n", CheckSeverity.warn, CheckSeverity.error),                       // each its own default
        ("checks:\n  indexes_built: {severity: error}\n", CheckSeverity.error, CheckSeverity.error),
        ("checks:\n  sentences_without_document: {severity: warn}\n", CheckSeverity.warn, CheckSeverity.warn),
    ])
    func severityOnlyChecksKeepTheirOwnDefault(yaml: String, indexes: CheckSeverity, orphans: CheckSeverity) throws {
        let configuration = try CheckConfiguration(yaml: yaml)
        #expect(configuration.indexesBuilt.severity == indexes && configuration.sentencesWithoutDocument.severity == orphans)
        #expect(configuration.themeHitsWithoutTheme.severity == .error)
    }

    @Test func shippedCheckConfigurationReads() throws {
        let configuration = try CheckConfiguration(directory: TestPostgres.repositoryRoot.appendingPathComponent("config"))
        #expect(configuration.themesSeen.severity == .warn && configuration.quarantineShare.severity == .error)
    }
}

/// The built binary: `bayan report`, `bayan check`, `bayan schema docs` against a loaded warehouse.
@Suite struct ReportingCLITests {
    static let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples").path

    @Test func reportsChecksAndSchemaDocsOnTheSamples() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let load = try BayanBinary.run(["run", "--input", Self.samples, "--database", url], workingDirectory: directory)
                #expect(load.status == 0, "\(load.standardError)")
                #expect(load.standardOutput.contains("  checks         "), "\(load.standardOutput)")

                let list = try BayanBinary.run(["report", "--list"], workingDirectory: directory)
                #expect(list.status == 0)
                let names = try FileManager.default.contentsOfDirectory(atPath: TestPostgres.repositoryRoot.appendingPathComponent("sql/reports").path)
                    .filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }
                for name in names {
                    #expect(list.standardOutput.contains(name))
                    for format in ["table", "csv", "json"] {
                        let result = try BayanBinary.run(["report", name, "--format", format, "--database", url], workingDirectory: directory)
                        #expect(result.status == 0, "\(name) \(format): \(result.standardError)")
                    }
                }
                let trends = try BayanBinary.run(["report", "themes-over-time", "--format", "csv", "--database", url], workingDirectory: directory)
                #expect(trends.standardOutput.hasPrefix("week,theme,theme_code,sentences\r\n"))
                #expect(trends.standardOutput.split(separator: "\r\n").count > 1, "the samples have themed sentences: \(trends.standardOutput)")
                let html = try BayanBinary.run(["report", "themes-over-time", "--format", "html", "--database", url], workingDirectory: directory)
                #expect(html.status == 0 && html.standardOutput.contains("<svg") && html.standardOutput.contains(#"lang="ar""#))

                let hostile = try BayanBinary.run(["report", "theme-top-sentences", "--param", "theme=x'; DROP TABLE documents; --",
                                                   "--format", "json", "--database", url], workingDirectory: directory)
                #expect(hostile.status == 0 && hostile.standardOutput == "[]\n", "\(hostile.standardError)")
                let typo = try BayanBinary.run(["report", "themes-over-time", "--param", "sicne=2018-01-01", "--database", url], workingDirectory: directory)
                #expect(typo.status == 1 && typo.standardError.contains("no parameter 'sicne'"))

                let check = try BayanBinary.run(["check", "--database", url], workingDirectory: directory)
                #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                #expect(try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self) > 0, "documents survived")
                try connection.execute("""
                    SET session_replication_role = replica;
                    INSERT INTO sentences (document_id, ordinal, paragraph, text, normalized_text, normalized_hash, search_vector) VALUES (424242, 1, 1, 'x', 'x', 1, 'x');
                    """)
                let broken = try BayanBinary.run(["check", "--database", url], workingDirectory: directory)
                #expect(broken.status == 65, "\(broken.standardOutput)")
                #expect(broken.standardOutput.contains("ERROR sentences_without_document"), "\(broken.standardOutput)")

                let docs = try BayanBinary.run(["schema", "docs", "--output", "-", "--database", url], workingDirectory: directory)
                #expect(docs.status == 0)
                #expect(docs.standardOutput == (try String(contentsOf: WarehouseReportingTests.schemaFile, encoding: .utf8)))
            }
        }
    }
}
