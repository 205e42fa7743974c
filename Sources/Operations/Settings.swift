import Extract
public import Foundation
public import Logging
import Postgres
import Yams

/// Where a setting's effective value came from.
public enum SettingSource: String, Sendable, Comparable {
    case `default`, file, environment = "env", flag

    public static func < (lhs: SettingSource, rhs: SettingSource) -> Bool {
        let order: [SettingSource] = [.default, .file, .environment, .flag]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// One setting: its key in `config/bayan.yaml`, its environment variables and flag, its default and its rule.
public struct SettingDefinition: Sendable {
    /// Dotted key, `section.name`, as nested in the YAML file.
    public let key: String
    /// Environment variables that set it, the first set one wins.
    public let environment: [String]
    /// The command-line flag that sets it, on the commands that take it.
    public let flag: String?
    /// The built-in default, as text; nil means unset (e.g. no database URL: the embedded cluster).
    public let defaultValue: String?
    /// What the setting does, for `bayan config show` and the README.
    public let summary: String
    /// Nil when `text` is a valid value, else what is wrong with it.
    let check: @Sendable (String) -> String?
}

/// A setting's effective value and where it came from.
public struct SettingValue: Sendable, Equatable {
    /// The value as text; nil when unset.
    public var text: String?
    public var source: SettingSource
    /// Where exactly: the file's path, the environment variable, the flag, or `built-in`.
    public var origin: String
}

/// A setting that cannot be used: where it was given, which key, what is wrong.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (with the line when known), `environment variable NAME`, or the flag.
    public var origin: String
    /// The setting's key; nil for a problem with the file as a whole.
    public var key: String?
    public var problem: String

    public var description: String {
        [origin, key, problem].compactMap { $0 }.joined(separator: ": ")
    }
}

/// Documents per load batch and the rejects a load may take before it fails.
public struct LoadSettings: Sendable, Equatable {
    /// Documents committed together (`load.batch_size`, default 5000).
    public var batchSize: Int
    /// Documents the database may reject before the run fails (`load.max_rejects`, default 0).
    public var maxRejects: Int

    public init(batchSize: Int = 1000, maxRejects: Int = 0) {
        self.batchSize = batchSize
        self.maxRejects = maxRejects
    }
}

/// How often and how patiently a temporary failure (the database unreachable, a serialization failure) is
/// retried: exponential back-off from ``initialDelay``, doubling, capped at ``maxDelay``.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included (`retry.attempts`, default 5); 1 means no retry.
    public var attempts: Int
    /// Seconds before the first retry (`retry.initial_delay`, default 0.5).
    public var initialDelay: Double
    /// The longest wait between two tries, in seconds (`retry.max_delay`, default 30).
    public var maxDelay: Double

    public init(attempts: Int = 5, initialDelay: Double = 0.5, maxDelay: Double = 30) {
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// Seconds to wait after failed try number `failedAttempt` (from 1) before the next one; nil when no
    /// try is left.
    public func delay(afterAttempt failedAttempt: Int) -> Double? {
        guard failedAttempt >= 1, failedAttempt < attempts else { return nil }
        let exponent = Double(min(failedAttempt - 1, 62))
        return min(maxDelay, initialDelay * pow(2, exponent))
    }
}

/// Every operational setting of Bayan, merged from the built-in defaults, `config/bayan.yaml`, the
/// environment and the command line, in increasing precedence: flags > environment > file > defaults.
///
/// ```swift
/// let settings = try Settings.load(file: home.defaultConfigDirectory.appendingPathComponent("bayan.yaml"),
///                                  environment: ProcessInfo.processInfo.environment,
///                                  flags: ["log.level": "debug"])
/// settings.load.batchSize          // 5000 unless configured
/// settings.value("load.batch_size") // SettingValue(text: "5000", source: .default, origin: "built-in")
/// ```
///
/// The database is special: `--database`, `BAYAN_DATABASE_URL` and `DATABASE_URL` set `database.url`, and
/// when none of them does, libpq's `PG*` variables (when they name a database) still beat the file.
public struct Settings: Sendable {
    /// The file the settings were read from, when there was one.
    public let file: URL?
    /// Every setting's effective value, by key.
    public let values: [String: SettingValue]
    /// Things worth telling the operator that are not errors (a password in a file others can read).
    public let warnings: [String]

    public let databaseURL: String?
    public let runsDirectory: String
    public let transformConfigDirectory: String?
    public let maxFileSize: Int
    public let sourceRule: String
    public let load: LoadSettings
    public let retry: RetryPolicy
    public let keepRuns: Int
    public let logLevel: Logger.Level
    public let logFormat: LogFormat

    /// The default place of the settings file: `$BAYAN_CONFIG_FILE`, else `bayan.yaml` in `configDirectory`.
    public static func defaultFile(configDirectory: URL?, environment: [String: String]) -> URL? {
        if let file = environment["BAYAN_CONFIG_FILE"], !file.isEmpty { return URL(fileURLWithPath: file) }
        return configDirectory?.appendingPathComponent("bayan.yaml")
    }

    /// Reads `file` (a missing file is no error unless `required`), then the environment and `flags`.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, by setting key (`["runs.dir": "/srv/runs"]`).
    /// - Throws: ``SettingsError`` for unreadable or invalid YAML, an unknown key, or a bad value.
    public static func load(file: URL?, required: Bool = false, environment: [String: String],
                            flags: [String: String] = [:]) throws(SettingsError) -> Settings {
        var fileValues: [String: (text: String, line: Int?)] = [:]
        var warnings: [String] = []
        if let file {
            if let data = FileManager.default.contents(atPath: file.path) {
                guard let text = String(data: data, encoding: .utf8) else {
                    throw SettingsError(origin: file.path, key: nil, problem: "not valid UTF-8")
                }
                fileValues = try parse(yaml: text, file: file.path)
                if let warning = readableSecretWarning(file: file, values: fileValues.mapValues(\.text)) { warnings.append(warning) }
            } else if required || FileManager.default.fileExists(atPath: file.path) {
                throw SettingsError(origin: file.path, key: nil, problem: "missing or unreadable")
            }
        }
        for key in flags.keys where definition(key) == nil {
            throw SettingsError(origin: "command line", key: key, problem: "unknown setting")
        }

        var values: [String: SettingValue] = [:]
        for definition in definitions {
            var value = SettingValue(text: definition.defaultValue, source: .default, origin: "built-in")
            if let (text, line) = fileValues[definition.key] {
                value = SettingValue(text: text, source: .file, origin: file!.path + (line.map { ":\($0)" } ?? ""))
            }
            if let name = definition.environment.first(where: { !(environment[$0] ?? "").isEmpty }) {
                value = SettingValue(text: environment[name]!, source: .environment, origin: name)
            }
            if let text = flags[definition.key] {
                value = SettingValue(text: text, source: .flag, origin: definition.flag ?? "command line")
            }
            if let text = value.text, let problem = definition.check(text) {
                throw SettingsError(origin: describe(value), key: definition.key, problem: problem)
            }
            values[definition.key] = value
        }
        // libpq's own variables name a database too: below the explicit URLs, above the file.
        if let database = values["database.url"], database.source <= .file,
           PostgresConfiguration.environmentNamesDatabase(environment) {
            values["database.url"] = SettingValue(text: nil, source: .environment, origin: "PG* variables")
        }
        return try Settings(file: file, values: values, warnings: warnings)
    }

    private init(file: URL?, values: [String: SettingValue], warnings: [String]) throws(SettingsError) {
        self.file = file
        self.values = values
        self.warnings = warnings
        func text(_ key: String) -> String { values[key]!.text! }
        databaseURL = values["database.url"]!.text
        runsDirectory = text("runs.dir")
        transformConfigDirectory = values["transform.config_dir"]!.text
        maxFileSize = Self.byteCount(text("extract.max_file_size"))!
        sourceRule = text("extract.source_rule")
        load = LoadSettings(batchSize: Int(text("load.batch_size"))!, maxRejects: Int(text("load.max_rejects"))!)
        retry = RetryPolicy(attempts: Int(text("retry.attempts"))!, initialDelay: Double(text("retry.initial_delay"))!,
                            maxDelay: Double(text("retry.max_delay"))!)
        keepRuns = Int(text("retention.keep_runs"))!
        logLevel = Logger.Level(rawValue: text("log.level"))!
        logFormat = LogFormat(rawValue: text("log.format"))!
        if retry.maxDelay < retry.initialDelay {
            throw SettingsError(origin: Self.describe(values["retry.max_delay"]!), key: "retry.max_delay",
                                problem: "\(retry.maxDelay) is shorter than retry.initial_delay (\(retry.initialDelay))")
        }
    }

    /// The effective value of `key` and where it came from.
    public func value(_ key: String) -> SettingValue? { values[key] }

    /// The URL to hand to `WarehouseDatabase.resolve(explicit:…)`: the one from `--database`,
    /// `BAYAN_DATABASE_URL` or the file; nil when `DATABASE_URL`, the `PG*` variables or the embedded cluster
    /// decide (the resolver reads those itself).
    public var explicitDatabase: String? {
        guard let value = values["database.url"], let text = value.text else { return nil }
        return value.origin == "DATABASE_URL" ? nil : text
    }

    /// The value of `key` fit to print: database URLs with their password masked, `PGPASSWORD` never shown.
    public func displayValue(_ key: String, environment: [String: String]) -> String {
        guard let value = values[key] else { return "" }
        if key == "database.url" {
            if let text = value.text { return LogRedaction.scrub(PostgresConfiguration(text).redactedConnectionString) }
            if value.origin == "PG* variables" {
                var parts = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"].compactMap { name in
                    environment[name].flatMap { $0.isEmpty ? nil : "\(name)=\($0)" }
                }
                if !(environment["PGPASSWORD"] ?? "").isEmpty { parts.append("PGPASSWORD=\(LogRedaction.mask)") }
                return parts.joined(separator: " ")
            }
            return "(none: the embedded cluster in .bayan/postgres)"
        }
        if key == "transform.config_dir", value.text == nil { return "(none: config/ of the Bayan checkout)" }
        return value.text ?? "(none)"
    }

    /// `file (config/bayan.yaml:12)`, `env (BAYAN_BATCH_SIZE)`, `flag (--runs-dir)`, `default`.
    public static func describe(_ value: SettingValue) -> String {
        switch value.source {
        case .default: "default"
        case .file: "file \(value.origin)"
        case .environment: value.origin == "PG* variables" ? "environment (PG* variables)" : "environment variable \(value.origin)"
        case .flag: "flag \(value.origin)"
        }
    }

    /// A size in bytes: digits with an optional `K`, `M` or `G` (powers of 1024); nil unless positive.
    public static func byteCount(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = text.uppercased()
        var multiplier = 1
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits.removeLast()
        }
        guard let value = Int(digits), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    // MARK: - The file

    /// The file's settings as dotted keys, with the line each was on.
    static func parse(yaml: String, file: String) throws(SettingsError) -> [String: (text: String, line: Int?)] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw SettingsError(origin: file, key: nil, problem: "not valid YAML: \(error)")
        }
        guard let root else { return [:] }   // an empty file sets nothing
        guard case .mapping = root else { throw SettingsError(origin: file, key: nil, problem: "the top level must be a mapping of sections") }
        var result: [String: (text: String, line: Int?)] = [:]
        func walk(_ node: Node, prefix: String) throws(SettingsError) {
            guard case .mapping(let mapping) = node else { return }
            for (keyNode, valueNode) in mapping {
                let name = keyNode.string ?? ""
                let key = prefix.isEmpty ? name : "\(prefix).\(name)"
                let line = (valueNode.mark ?? keyNode.mark).map { $0.line }
                let origin = line.map { "\(file):\($0)" } ?? file
                switch valueNode {
                case .mapping:
                    guard definitions.contains(where: { $0.key.hasPrefix(key + ".") }) else {
                        throw SettingsError(origin: origin, key: key, problem: "unknown section; known settings: \(knownKeys)")
                    }
                    try walk(valueNode, prefix: key)
                case .scalar(let scalar):
                    guard definition(key) != nil else {
                        throw SettingsError(origin: origin, key: key, problem: "unknown setting; known settings: \(knownKeys)")
                    }
                    // An empty value (`url:`, `~`, `null`) leaves the setting to the next source down.
                    if scalar.string.isEmpty || (scalar.style == .plain && ["~", "null", "Null", "NULL"].contains(scalar.string)) { continue }
                    result[key] = (scalar.string, line)
                default:
                    throw SettingsError(origin: origin, key: key, problem: "expected a single value, not a list")
                }
            }
        }
        try walk(root, prefix: "")
        return result
    }

    private static var knownKeys: String { definitions.map(\.key).joined(separator: ", ") }

    /// A warning when `file` can be read by every user and holds a database password.
    static func readableSecretWarning(file: URL, values: [String: String]) -> String? {
        guard let url = values["database.url"], holdsPassword(url),
              let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o004 != 0 else { return nil }
        return "\(file.path) holds a database password and every user can read it: chmod o-r it, or keep the password in ~/.pgpass"
    }

    static func holdsPassword(_ connectionString: String) -> Bool {
        LogRedaction.scrub(connectionString) != connectionString
            || ((try? PostgresConfiguration(connectionString).parsedOptions())?["password"].map { !$0.isEmpty } ?? false)
    }

    // MARK: - The settings

    public static func definition(_ key: String) -> SettingDefinition? { definitions.first { $0.key == key } }

    /// Every setting, in the order `bayan config show` and the README list them.
    public static let definitions: [SettingDefinition] = [
        SettingDefinition(
            key: "database.url", environment: ["BAYAN_DATABASE_URL", "DATABASE_URL"], flag: "--database", defaultValue: nil,
            summary: "PostgreSQL URL or libpq keyword string of the warehouse; unset: PG* variables, else the embedded cluster",
            check: { text in
                do { _ = try PostgresConfiguration(text).parsedOptions(); return nil } catch {
                    return "not a PostgreSQL URL or libpq keyword string (\(error))"
                }
            }),
        SettingDefinition(
            key: "runs.dir", environment: ["BAYAN_RUNS_DIR"], flag: "--runs-dir", defaultValue: ".bayan/runs",
            summary: "where run directories go (relative: to the working directory)", check: nonEmpty),
        SettingDefinition(
            key: "transform.config_dir", environment: ["BAYAN_CONFIG_DIR"], flag: "--config", defaultValue: nil,
            summary: "folder of boilerplate.yaml, themes.yaml and transform.yaml; unset: config/ of the checkout", check: nonEmpty),
        SettingDefinition(
            key: "extract.max_file_size", environment: ["BAYAN_MAX_FILE_SIZE"], flag: "--max-file-size", defaultValue: "32M",
            summary: "files larger than this (or inflating to more) are quarantined; suffixes K, M, G",
            check: { byteCount($0) == nil ? "must be a positive number of bytes, optionally with K, M or G, not '\($0)'" : nil }),
        SettingDefinition(
            key: "extract.source_rule", environment: ["BAYAN_SOURCE_RULE"], flag: "--source-rule", defaultValue: "first-folder",
            summary: "source name from the path: first-folder, parent-folder, input-name, regex:PATTERN",
            check: { SourceRule(argument: $0) == nil ? "must be first-folder, parent-folder, input-name or regex:PATTERN with a valid pattern, not '\($0)'" : nil }),
        SettingDefinition(
            key: "load.batch_size", environment: ["BAYAN_BATCH_SIZE"], flag: "--batch-size", defaultValue: "5000",
            summary: "documents committed together by the load", check: wholeNumber(from: 1)),
        SettingDefinition(
            key: "load.max_rejects", environment: ["BAYAN_MAX_REJECTS"], flag: "--max-rejects", defaultValue: "0",
            summary: "documents the database may reject before the run fails", check: wholeNumber(from: 0)),
        SettingDefinition(
            key: "retry.attempts", environment: ["BAYAN_RETRY_ATTEMPTS"], flag: "--retries", defaultValue: "5",
            summary: "tries in all when the database is temporarily unavailable (1: no retry)", check: wholeNumber(from: 1)),
        SettingDefinition(
            key: "retry.initial_delay", environment: ["BAYAN_RETRY_INITIAL_DELAY"], flag: "--retry-delay", defaultValue: "0.5",
            summary: "seconds before the first retry; doubles after each", check: seconds),
        SettingDefinition(
            key: "retry.max_delay", environment: ["BAYAN_RETRY_MAX_DELAY"], flag: "--retry-max-delay", defaultValue: "30",
            summary: "longest wait between two tries, in seconds", check: seconds),
        SettingDefinition(
            key: "retention.keep_runs", environment: ["BAYAN_KEEP_RUNS"], flag: "--keep (bayan gc)", defaultValue: "30",
            summary: "run directories kept by bayan gc (the most recent ones)", check: wholeNumber(from: 1)),
        SettingDefinition(
            key: "log.level", environment: ["BAYAN_LOG_LEVEL"], flag: "--log-level", defaultValue: "warning",
            summary: "trace, debug, info, notice, warning, error or critical",
            check: { Logger.Level(rawValue: $0) == nil ? "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\($0)'" : nil }),
        SettingDefinition(
            key: "log.format", environment: ["BAYAN_LOG_FORMAT"], flag: "--log-format", defaultValue: "text",
            summary: "text (readable lines) or json (one object per line, for log collectors)",
            check: { LogFormat(rawValue: $0) == nil ? "must be text or json, not '\($0)'" : nil }),
    ]

    private static let nonEmpty: @Sendable (String) -> String? = { $0.isEmpty ? "must not be empty" : nil }

    private static func wholeNumber(from minimum: Int) -> @Sendable (String) -> String? {
        { text in
            guard let value = Int(text), value >= minimum else { return "must be a whole number from \(minimum) up, not '\(text)'" }
            _ = value
            return nil
        }
    }

    private static let seconds: @Sendable (String) -> String? = { text in
        guard let value = Double(text), value.isFinite, value >= 0 else { return "must be a number of seconds, 0 or more, not '\(text)'" }
        return nil
    }
}
