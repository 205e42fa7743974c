import Foundation
import Logging
import Operations
import Testing
import TestSupport

@Suite struct SettingsTests {
    /// Writes `yaml` to a settings file in a new folder and hands it to `body`.
    func withFile<T>(_ yaml: String, mode: Int = 0o600, _ body: (URL) throws -> T) throws -> T {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("bayan.yaml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
            return try body(file)
        }
    }

    @Test(arguments: [
        // (file, environment, flags, expected value, expected source)
        ("", [:], [:], "5000", SettingSource.default),                                          // built-in default
        ("load:\n  batch_size: 200\n", [:], [:], "200", .file),                                  // file over default
        ("load:\n  batch_size: 200\n", ["BAYAN_BATCH_SIZE": "300"], [:], "300", .environment),   // environment over file
        ("load:\n  batch_size: 200\n", ["BAYAN_BATCH_SIZE": "300"], ["load.batch_size": "400"], "400", .flag),  // flag over all
        ("", ["BAYAN_BATCH_SIZE": ""], [:], "5000", .default),                                 // an empty variable is unset
        ("load:\n  batch_size:\n", [:], [:], "5000", .default),                                 // an empty value is unset
        ("", [:], ["load.batch_size": "50"], "50", .flag),                                      // flag over default
    ] as [(String, [String: String], [String: String], String, SettingSource)])
    func precedenceIsFlagsThenEnvironmentThenFileThenDefaults(
        yaml: String, environment: [String: String], flags: [String: String], expected: String, source: SettingSource
    ) throws {
        try withFile(yaml) { file in
            let settings = try Settings.load(file: file, environment: environment, flags: flags)
            #expect(settings.value("load.batch_size")?.text == expected, "\(yaml) \(environment) \(flags)")
            #expect(settings.value("load.batch_size")?.source == source)
            #expect(settings.load.batchSize == Int(expected))
        }
    }

    @Test func everySettingHasItsDefaultAndTypedValue() throws {
        let settings = try Settings.load(file: nil, environment: [:])
        #expect(settings.load == LoadSettings(batchSize: 5000, maxRejects: 0))
        #expect(settings.retry == RetryPolicy(attempts: 5, initialDelay: 0.5, maxDelay: 30))
        #expect(settings.keepRuns == 30)
        #expect(settings.runsDirectory == ".bayan/runs")
        #expect(settings.maxFileSize == 32 << 20)
        #expect(settings.sourceRule == "first-folder")
        #expect(settings.logLevel == .warning && settings.logFormat == .text)
        #expect(settings.databaseURL == nil && settings.explicitDatabase == nil)
        #expect(Settings.definitions.allSatisfy { settings.value($0.key)?.source == .default })
    }

    @Test func theShippedFileHoldsEverySettingAtItsDefault() throws {
        let shipped = TestPostgres.repositoryRoot.appendingPathComponent("config/bayan.yaml")
        let settings = try Settings.load(file: shipped, required: true, environment: [:])
        let defaults = try Settings.load(file: nil, environment: [:])
        for definition in Settings.definitions {
            #expect(settings.value(definition.key)?.text == defaults.value(definition.key)?.text, "\(definition.key)")
            let inFile = settings.value(definition.key)?.source == .file
            #expect(inFile == (definition.defaultValue != nil), "\(definition.key) is written in the shipped file when it has a default")
        }
    }

    @Test func fileValuesAreTypedAndRememberTheirLine() throws {
        let yaml = """
            runs:
              dir: /srv/bayan/runs
            extract:
              max_file_size: 8M
              source_rule: "regex:^([a-z]+)-"
            retry:
              attempts: 3
              initial_delay: 0.25
              max_delay: 4
            log:
              level: info
              format: json

            """
        try withFile(yaml) { file in
            let settings = try Settings.load(file: file, environment: [:])
            #expect(settings.runsDirectory == "/srv/bayan/runs")
            #expect(settings.maxFileSize == 8 << 20)
            #expect(settings.sourceRule == "regex:^([a-z]+)-")
            #expect(settings.retry == RetryPolicy(attempts: 3, initialDelay: 0.25, maxDelay: 4))
            #expect(settings.logLevel == .info && settings.logFormat == .json)
            #expect(settings.value("runs.dir")?.origin == "\(file.path):2")
        }
    }

    @Test(arguments: [
        // (file, environment, flags, what the message must say)
        ("load:\n  batch_size: many\n", [:], [:], ["bayan.yaml:2", "load.batch_size", "whole number from 1 up, not 'many'"]),
        ("load:\n  batch_size: 0\n", [:], [:], ["load.batch_size", "from 1 up, not '0'"]),
        ("load:\n  max_rejects: -1\n", [:], [:], ["load.max_rejects", "from 0 up"]),
        ("load:\n  batchsize: 10\n", [:], [:], ["bayan.yaml", "load.batchsize", "unknown setting"]),          // a typo
        ("lod:\n  batch_size: 10\n", [:], [:], ["lod", "unknown section"]),
        ("load: [1, 2\n", [:], [:], ["bayan.yaml", "not valid YAML"]),
        ("- a\n- b\n", [:], [:], ["bayan.yaml", "top level must be a mapping"]),
        ("load:\n  batch_size: [1, 2]\n", [:], [:], ["load.batch_size", "single value"]),
        ("", ["BAYAN_KEEP_RUNS": "lots"], [:], ["environment variable BAYAN_KEEP_RUNS", "retention.keep_runs", "not 'lots'"]),
        ("", ["BAYAN_LOG_LEVEL": "loud"], [:], ["BAYAN_LOG_LEVEL", "log.level", "not 'loud'"]),
        ("", ["BAYAN_LOG_FORMAT": "xml"], [:], ["BAYAN_LOG_FORMAT", "log.format", "text or json"]),
        ("", [:], ["extract.max_file_size": "huge"], ["flag --max-file-size", "extract.max_file_size"]),
        ("", [:], ["extract.source_rule": "regex:(["], ["extract.source_rule", "valid pattern"]),
        ("retry:\n  initial_delay: 10\n  max_delay: 1\n", [:], [:], ["retry.max_delay", "shorter than retry.initial_delay"]),
        ("retry:\n  initial_delay: soon\n", [:], [:], ["retry.initial_delay", "number of seconds"]),
        ("database:\n  url: \"postgresql://u:pw-in-bad-url@h/db?nosuchoption=1\"\n", [:], [:], ["database.url", "not a PostgreSQL URL"]),
        ("", [:], ["no.such": "1"], ["no.such", "unknown setting"]),
    ] as [(String, [String: String], [String: String], [String])])
    func badValuesNameTheirOriginKeyAndProblem(yaml: String, environment: [String: String], flags: [String: String], parts: [String]) throws {
        _ = try withFile(yaml) { file in
            #expect {
                _ = try Settings.load(file: file, environment: environment, flags: flags)
            } throws: { error in
                let text = "\(error)"
                let named = parts.allSatisfy { text.contains($0) }
                return named && !text.contains("pw-in-bad-url")
            }
        }
    }

    @Test func aMissingFileIsAnErrorOnlyWhenNamed() throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent/bayan.yaml")
        #expect(try Settings.load(file: nowhere, environment: [:]).value("log.level")?.source == .default)
        #expect(throws: SettingsError.self) { try Settings.load(file: nowhere, required: true, environment: [:]) }
    }

    @Test(arguments: [
        // (file, environment, flag, explicit database, source, origin)
        (nil, [:], nil, nil, SettingSource.default, "built-in"),                                          // embedded
        ("postgresql://f@db/w", [:], nil, "postgresql://f@db/w", .file, "file"),                          // from the file
        ("postgresql://f@db/w", ["PGHOST": "/tmp"], nil, nil, .environment, "PG* variables"),             // PG* beat the file
        ("postgresql://f@db/w", ["DATABASE_URL": "postgresql://e@db/w"], nil, nil, .environment, "DATABASE_URL"),
        (nil, ["BAYAN_DATABASE_URL": "postgresql://b@db/w", "DATABASE_URL": "postgresql://e@db/w"], nil, "postgresql://b@db/w", .environment, "BAYAN_DATABASE_URL"),
        (nil, ["DATABASE_URL": "postgresql://e@db/w"], "postgresql://x@db/w", "postgresql://x@db/w", .flag, "--database"),
    ] as [(String?, [String: String], String?, String?, SettingSource, String)])
    func databaseFollowsTheSamePrecedence(file: String?, environment: [String: String], flag: String?, explicit: String?,
                                          source: SettingSource, origin: String) throws {
        try withFile(file.map { "database:\n  url: \($0)\n" } ?? "") { url in
            let settings = try Settings.load(file: url, environment: environment, flags: flag.map { ["database.url": $0] } ?? [:])
            #expect(settings.explicitDatabase == explicit)
            #expect(settings.value("database.url")?.source == source)
            #expect(settings.value("database.url")?.origin.hasPrefix(origin == "file" ? url.path : origin) == true, "\(String(describing: settings.value("database.url")))")
        }
    }

    @Test func displayedValuesNeverShowAPassword() throws {
        let environment = ["PGHOST": "/var/run/postgresql", "PGUSER": "etl", "PGPASSWORD": "Zq8-distinctive-pw"]
        let fromPG = try Settings.load(file: nil, environment: environment)
        let shownPG = fromPG.displayValue("database.url", environment: environment)
        #expect(shownPG.contains("PGHOST=/var/run/postgresql") && shownPG.contains("PGPASSWORD=***"), "\(shownPG)")
        #expect(!shownPG.contains("Zq8-distinctive-pw"))

        let fromURL = try Settings.load(file: nil, environment: ["BAYAN_DATABASE_URL": "postgresql://etl:Zq8-distinctive-pw@db/w"])
        let shownURL = fromURL.displayValue("database.url", environment: [:])
        #expect(shownURL == "postgresql://etl:***@db/w")
    }

    @Test(arguments: [
        (0o644, "postgresql://etl:Zq8-pw@db/w", true),     // readable by others, a password: warn
        (0o600, "postgresql://etl:Zq8-pw@db/w", false),    // owner only
        (0o644, "postgresql://etl@db/w", false),           // no password in it
        (0o644, "host=db password=Zq8-pw", true),          // keyword string
    ])
    func warnsAboutAPasswordOthersCanRead(mode: Int, url: String, warns: Bool) throws {
        try withFile("database:\n  url: \"\(url)\"\n", mode: mode) { file in
            let settings = try Settings.load(file: file, environment: [:])
            #expect(settings.warnings.isEmpty != warns, "mode \(String(mode, radix: 8)), \(url)")
            #expect(settings.warnings.allSatisfy { $0.contains(file.path) && !$0.contains("Zq8-pw") })
        }
    }

    @Test(arguments: [
        // (policy, failed attempt, expected delay)
        (RetryPolicy(), 1, 0.5),                                       // first retry after the initial delay
        (RetryPolicy(), 2, 1.0),                                       // doubling
        (RetryPolicy(), 4, 4.0),
        (RetryPolicy(), 5, nil),                                       // five tries in all: none left
        (RetryPolicy(attempts: 20, initialDelay: 0.5, maxDelay: 30), 10, 30.0),   // capped
        (RetryPolicy(attempts: 1), 1, nil),                            // no retry
        (RetryPolicy(attempts: 100, initialDelay: 1, maxDelay: 30), 99, 30.0),    // no overflow
    ] as [(RetryPolicy, Int, Double?)])
    func retryDelaysBackOffExponentially(policy: RetryPolicy, attempt: Int, expected: Double?) {
        #expect(policy.delay(afterAttempt: attempt) == expected, "\(policy) after attempt \(attempt)")
    }

    @Test(arguments: [
        ("32M", 32 << 20), ("512k", 512 << 10), ("1G", 1 << 30), ("1000", 1000),
        ("0", nil), ("-5M", nil), ("lots", nil), ("", nil), ("99999999999G", nil),   // overflow
    ] as [(String, Int?)])
    func byteCounts(_ text: String, _ expected: Int?) {
        #expect(Settings.byteCount(text) == expected, "\(text)")
    }
}
