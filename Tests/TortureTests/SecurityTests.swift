import Foundation
import Glibc
import Postgres
import PostgresCluster
import Testing
import TestSupport

/// Values that look like SQL stay values; passwords stay secret; the embedded server is reachable only by
/// its owner.
@Suite struct SecurityTests {
    static let samples = TestPostgres.repositoryRoot.appendingPathComponent("samples").path

    /// Every file under `directory`, as bytes decoded leniently, with its path.
    static func filesText(under directory: URL) -> [(String, String)] {
        let paths = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String } ?? []
        return paths.compactMap { path in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(path).path) else { return nil }
            return (path, String(decoding: data, as: UTF8.self))
        }
    }

    /// Where a secret shows up among the outputs of a run: stdout, stderr, every file of the run directory.
    static func leaks(of secrets: [String], in outcome: ChildProcess.Outcome, runs: URL) -> [String] {
        var places: [String] = []
        for secret in secrets {
            if outcome.standardOutput.contains(secret) { places.append("stdout has \(secret)") }
            if outcome.standardError.contains(secret) { places.append("stderr has \(secret)") }
            for (path, text) in filesText(under: runs) where text.contains(secret) { places.append("\(path) has \(secret)") }
        }
        return places
    }

    /// A password in the URL (plain and percent-encoded), in a keyword string and in PGPASSWORD: the server
    /// accepts the connection (local trust), and the password is nowhere in what the run leaves behind.
    @Test func passwordsNeverAppearInOutputRunFilesOrTheWarehouse() throws {
        try withTemporaryDirectory { directory in
            try TestPostgres.withDatabaseURL { url in
                let options = try PostgresConfiguration(url).parsedOptions()
                let plain = "Zq9-Distinct1ve-Secret"
                let encoded = "p%40ss%3Aw0rd%2FZq9"  // p@ss:w0rd/Zq9 once decoded
                let keywordSecret = "Kw0rd-Zq9-Secret"
                let environmentSecret = "Env-Zq9-Secret"
                let runs = directory.appendingPathComponent("runs")
                let keywordString = "host='\(options["host"]!)' port=\(options["port"]!) dbname=\(options["dbname"]!) user=bayan password=\(keywordSecret)"
                let attempts: [(arguments: [String], environment: [String: String])] = [
                    (["--database", url.replacingOccurrences(of: "bayan@", with: "bayan:\(plain)@")], [:]),
                    (["--database=" + url.replacingOccurrences(of: "bayan@", with: "bayan:\(encoded)@")], [:]),
                    (["--database", keywordString], [:]),
                    ([], ["DATABASE_URL": url, "PGPASSWORD": environmentSecret]),
                ]
                let secrets = [plain, encoded, "p@ss:w0rd/Zq9", keywordSecret, environmentSecret]
                for attempt in attempts {
                    let result = try BayanBinary.run(
                        ["run", "--input", Self.samples, "--runs-dir", runs.path, "--log-level", "trace", "--full-refresh"] + attempt.arguments,
                        environment: attempt.environment, workingDirectory: directory)
                    #expect(result.status == 0, "\(attempt.arguments): \(result.standardError)")
                    #expect(Self.leaks(of: secrets, in: result, runs: runs).isEmpty, "\(Self.leaks(of: secrets, in: result, runs: runs))")
                }
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let ledger = try connection.query("SELECT r::text FROM runs r").map { try $0.decode(0, as: String.self) }
                #expect(ledger.count == attempts.count, "every run is in the ledger")
                for row in ledger {
                    for secret in secrets { #expect(!row.contains(secret), "runs row holds \(secret): \(row)") }
                }
            }
        }
    }

    /// The same when the server cannot be reached: the error names where it tried, never the password.
    @Test(arguments: [
        "postgresql://bayan:Unreach-Zq9-Pw@127.0.0.1:1/bayan?connect_timeout=5",            // TCP, nothing listening
        "postgresql://bayan:Unreach-Zq9-Pw@/bayan?host=/nonexistent-socket-dir&port=5499",   // no such socket
        "host=127.0.0.1 port=1 dbname=bayan user=bayan password=Unreach-Zq9-Pw connect_timeout=5",  // keyword form
        "postgresql://bayan:Unreach-Zq9-Pw@[::1:bad/bayan",                                  // unparsable URL
    ])
    func unreachableServerErrorsHideThePassword(_ url: String) throws {
        try withTemporaryDirectory { directory in
            let runs = directory.appendingPathComponent("runs")
            let result = try BayanBinary.run(["run", "--input", Self.samples, "--database", url, "--runs-dir", runs.path, "--log-level", "trace"],
                                             workingDirectory: directory)
            #expect(result.status != 0, "\(url) cannot work")
            #expect(!result.standardError.isEmpty, "the failure is explained")
            #expect(Self.leaks(of: ["Unreach-Zq9-Pw"], in: result, runs: runs).isEmpty, "\(Self.leaks(of: ["Unreach-Zq9-Pw"], in: result, runs: runs))")
        }
    }

    /// PGPASSWORD with libpq's variables pointing nowhere: the failure does not echo it.
    @Test func unreachableServerThroughTheEnvironmentHidesPGPASSWORD() throws {
        try withTemporaryDirectory { directory in
            let runs = directory.appendingPathComponent("runs")
            let environment = ["PGHOST": "127.0.0.1", "PGPORT": "1", "PGDATABASE": "bayan", "PGUSER": "bayan",
                               "PGPASSWORD": "Env-Unreach-Zq9", "PGCONNECT_TIMEOUT": "5"]
            let result = try BayanBinary.run(["run", "--input", Self.samples, "--runs-dir", runs.path, "--log-level", "trace"],
                                             environment: environment, workingDirectory: directory)
            #expect(result.status != 0)
            #expect(result.standardError.contains("127.0.0.1"), "the error says where it tried: \(result.standardError)")
            #expect(Self.leaks(of: ["Env-Unreach-Zq9"], in: result, runs: runs).isEmpty)
        }
    }

    /// Theme names, descriptions and boilerplate lines holding SQL, quotes and backslashes are stored as written.
    @Test func configurationValuesAreStoredLiterally() throws {
        try withTemporaryDirectory { directory in
            let config = directory.appendingPathComponent("config")
            try FileManager.default.copyItem(at: TestPostgres.repositoryRoot.appendingPathComponent("config"), to: config)
            let name = #"'; DROP TABLE documents; -- \N \\ "q" $1"#
            let description = #"Robert'); DELETE FROM themes; -- E'\x41' \t"#
            let chrome = #"تابعونا '; DROP TABLE sentences; -- \\"#
            let themes = config.appendingPathComponent("themes.yaml")
            var yaml = try String(contentsOf: themes, encoding: .utf8)
            yaml += """

                  - code: sql_probe
                    name_ar: '\(name.replacingOccurrences(of: "'", with: "''"))'
                    name_en: '\(name.replacingOccurrences(of: "'", with: "''"))'
                    description: '\(description.replacingOccurrences(of: "'", with: "''"))'
                    threshold: 1.0
                    terms:
                      - {term: اختبارحقن, weight: 1.0}

                """
            try yaml.write(to: themes, atomically: true, encoding: .utf8)
            let boilerplate = config.appendingPathComponent("boilerplate.yaml")
            let list = try String(contentsOf: boilerplate, encoding: .utf8)
                .replacingOccurrences(of: "prefixes:", with: "  - '\(chrome.replacingOccurrences(of: "'", with: "''"))'\nprefixes:")
            try list.write(to: boilerplate, atomically: true, encoding: .utf8)

            let input = directory.appendingPathComponent("input/wire")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try Data("عنوان\n\nجملة اختبارحقن في النص.\n\(chrome)\n".utf8).write(to: input.appendingPathComponent("a.txt"))
            try TestPostgres.withDatabaseURL { url in
                let result = try BayanBinary.run(
                    ["run", "--input", directory.appendingPathComponent("input").path, "--config", config.path, "--database", url,
                     "--runs-dir", directory.appendingPathComponent("runs").path],
                    workingDirectory: directory)
                #expect(result.status == 0, "\(result.standardError)")
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url), logger: TestPostgres.quietLogger)
                defer { connection.close() }
                let theme = try connection.query("SELECT name_ar, name_en, description FROM themes WHERE theme_code = 'sql_probe'")
                #expect(theme.count == 1)
                if theme.count == 1 {
                    #expect(try theme[0].decode("name_ar", as: String.self) == name)
                    #expect(try theme[0].decode("name_en", as: String.self) == name)
                    #expect(try theme[0].decode("description", as: String.self) == description)
                }
                #expect(try connection.query("SELECT 1 FROM sentence_themes WHERE theme_code = 'sql_probe'").count == 1, "the probe theme matched")
                let removed = try connection.query("SELECT text FROM removed_lines").map { try $0.decode(0, as: String.self) }
                #expect(removed.contains(chrome), "\(removed)")
                #expect(try connection.query("SELECT count(*) FROM themes")[0].decode(0, as: Int.self) > 1, "no theme was deleted")
                #expect(try connection.query("SELECT count(*) FROM sentences")[0].decode(0, as: Int.self) >= 1, "sentences is still there")

                // A run id given to export is a value too.
                let export = try BayanBinary.run(["export", "sentences", "--since", "x'; DROP TABLE documents; --", "--database", url],
                                                 workingDirectory: directory)
                #expect(export.status != 0)
                #expect(try connection.query("SELECT count(*) FROM documents")[0].decode(0, as: Int.self) == 1)
            }
        }
    }

    /// `escapeIdentifier` and `escapeLiteral` make any text one name or one string.
    @Test(arguments: [
        #"plain"#,                               // nothing to quote
        #"we"ird"#,                              // a double quote
        #"x'; DROP TABLE documents; --"#,        // SQL
        #"back\slash \N $1 E'\x41'"#,            // backslashes and placeholders
        "اسم عربي\tمع\nسطر",                     // Arabic, tab, newline
    ])
    func escapedNamesAndLiteralsAreLiteral(_ text: String) throws {
        try TestPostgres.withDatabase { connection in
            let table = try connection.escapeIdentifier(text)
            try connection.execute("CREATE TABLE \(table) (value text)")
            try connection.execute("INSERT INTO \(table) VALUES (\(try connection.escapeLiteral(text)))")
            let names = try connection.query("SELECT relname FROM pg_class WHERE relname = $1", [text])
            #expect(names.count == 1, "table \(text.debugDescription)")
            #expect(try connection.query("SELECT value FROM \(table)")[0].decode(0, as: String.self) == text)
            #expect(try connection.query("SELECT to_regclass('documents') IS NOT NULL")[0].decode(0, as: Bool.self))
        }
    }

    /// The embedded cluster: no TCP listener, and a socket folder only the server's user can enter, also when
    /// its path has a space and a quote (pg_ctl passes the options through a shell).
    @Test func embeddedClusterListensOnlyOnAPrivateSocket() throws {
        try withTemporaryDirectory { directory in
            let cluster = try PostgresCluster(directory: directory.appendingPathComponent("it's a cluster"), port: 5491)
            try cluster.initialize(logger: TestPostgres.quietLogger)
            try cluster.start(logger: TestPostgres.quietLogger)
            defer { try? cluster.stop(logger: TestPostgres.quietLogger, mode: "immediate") }
            let connection = try PostgresConnection(configuration: PostgresConfiguration(cluster.url(database: "postgres")), logger: TestPostgres.quietLogger)
            defer { connection.close() }
            #expect(try connection.query("SHOW listen_addresses")[0].decode(0, as: String.self) == "")
            #expect(try connection.query("SELECT inet_server_addr() IS NULL")[0].decode(0, as: Bool.self), "connected through the socket")
            let socketDirectories = try connection.query("SHOW unix_socket_directories")[0].decode(0, as: String.self)
            #expect(socketDirectories == cluster.socketDirectory.path, "\(socketDirectories)")

            let owner = geteuid() == 0 ? getpwnam("postgres").pointee.pw_uid : geteuid()
            for folder in [cluster.socketDirectory, cluster.dataDirectory] {
                var info = stat()
                #expect(stat(folder.path, &info) == 0)
                #expect(info.st_mode & 0o777 == 0o700, "\(folder.path): mode \(String(info.st_mode & 0o777, radix: 8))")
                #expect(info.st_uid == owner, "\(folder.path) belongs to uid \(info.st_uid)")
            }
        }
    }
}
