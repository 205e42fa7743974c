public import Foundation
public import Postgres
import Yams

/// How bad a failed check is: an error fails `bayan check`, a warning is only reported.
public enum CheckSeverity: String, Sendable, Codable, Comparable {
    case warn, error
    public static func < (a: CheckSeverity, b: CheckSeverity) -> Bool { a == .warn && b == .error }
}

/// The settings of the data checks: `config/checks.yaml`.
public struct CheckConfiguration: Sendable, Equatable, Decodable {
    /// A check with nothing to set but its severity.
    public struct SeverityOnly: Sendable, Equatable {
        public var severity: CheckSeverity
        public init(severity: CheckSeverity) { self.severity = severity }
    }

    /// How a ``SeverityOnly`` check is written: `{severity: warn}`, or `{}` for the check's default.
    private struct SeverityField: Decodable { var severity: CheckSeverity? }

    public struct ThemesSeen: Sendable, Equatable, Decodable {
        public var severity: CheckSeverity = .warn
        /// How many of the latest runs that added documents are looked at.
        public var runs: Int = 5
        public init() {}
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            severity = try container.decodeIfPresent(CheckSeverity.self, forKey: .severity) ?? .warn
            runs = try container.decodeIfPresent(Int.self, forKey: .runs) ?? 5
        }
        enum CodingKeys: String, CodingKey { case severity, runs }
    }

    public struct QuarantineShare: Sendable, Equatable, Decodable {
        public var severity: CheckSeverity = .error
        /// Largest share of quarantined files among the files the latest runs looked at, 0 to 1.
        public var maxShare: Double = 0.05
        /// How many of the latest runs are added up.
        public var runs: Int = 1
        enum CodingKeys: String, CodingKey { case severity, maxShare = "max_share", runs }
        public init() {}
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            severity = try container.decodeIfPresent(CheckSeverity.self, forKey: .severity) ?? .error
            maxShare = try container.decodeIfPresent(Double.self, forKey: .maxShare) ?? 0.05
            runs = try container.decodeIfPresent(Int.self, forKey: .runs) ?? 1
        }
    }

    public struct Freshness: Sendable, Equatable, Decodable {
        public var severity: CheckSeverity = .error
        /// Oldest the newest document may be, in hours since it was loaded.
        public var maxAgeHours: Double = 36
        enum CodingKeys: String, CodingKey { case severity, maxAgeHours = "max_age_hours" }
        public init() {}
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            severity = try container.decodeIfPresent(CheckSeverity.self, forKey: .severity) ?? .error
            maxAgeHours = try container.decodeIfPresent(Double.self, forKey: .maxAgeHours) ?? 36
        }
    }

    public var sentencesWithoutDocument = SeverityOnly(severity: .error)
    public var themeHitsWithoutTheme = SeverityOnly(severity: .error)
    public var themesSeen = ThemesSeen()
    public var quarantineShare = QuarantineShare()
    public var freshness = Freshness()
    /// An index a load dropped to build it once at its end (`deferred_indexes`) is not there.
    public var indexesBuilt = SeverityOnly(severity: .warn)

    enum CodingKeys: String, CodingKey {
        case sentencesWithoutDocument = "sentences_without_document"
        case themeHitsWithoutTheme = "theme_hits_without_theme"
        case themesSeen = "themes_seen"
        case quarantineShare = "quarantine_share"
        case freshness
        case indexesBuilt = "indexes_built"
    }

    struct File: Decodable { var checks: CheckConfiguration }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func severityOnly(_ key: CodingKeys, default severity: CheckSeverity) throws -> SeverityOnly {
            SeverityOnly(severity: try container.decodeIfPresent(SeverityField.self, forKey: key)?.severity ?? severity)
        }
        sentencesWithoutDocument = try severityOnly(.sentencesWithoutDocument, default: .error)
        themeHitsWithoutTheme = try severityOnly(.themeHitsWithoutTheme, default: .error)
        themesSeen = try container.decodeIfPresent(ThemesSeen.self, forKey: .themesSeen) ?? ThemesSeen()
        quarantineShare = try container.decodeIfPresent(QuarantineShare.self, forKey: .quarantineShare) ?? QuarantineShare()
        freshness = try container.decodeIfPresent(Freshness.self, forKey: .freshness) ?? Freshness()
        indexesBuilt = try severityOnly(.indexesBuilt, default: .warn)
    }

    /// Reads `checks.yaml` text: a `checks:` mapping; absent checks and keys keep their defaults.
    public init(yaml: String) throws {
        self = try YAMLDecoder().decode(File.self, from: yaml).checks
    }

    /// Reads `checks.yaml` from `directory`, or the defaults when there is none.
    public init(directory: URL) throws {
        let url = directory.appendingPathComponent("checks.yaml")
        guard FileManager.default.fileExists(atPath: url.path) else { self.init(); return }
        try self.init(yaml: String(contentsOf: url, encoding: .utf8))
    }
}

/// The outcome of one check.
public struct CheckResult: Sendable, Equatable {
    public var name: String
    public var severity: CheckSeverity
    public var passed: Bool
    /// What was measured, in words.
    public var detail: String

    public var status: String { passed ? "pass" : severity == .error ? "ERROR" : "warn" }
}

/// Data checks over the warehouse, in the spirit of dbt tests: each one a query and a rule.
public enum DataChecks {
    /// Runs every check; never stops at the first failure.
    ///
    /// - Parameter now: The time freshness is measured against (the server's `now()` when nil).
    /// - Throws: ``PostgresError`` when a query cannot run.
    public static func run(on connection: PostgresConnection, configuration: CheckConfiguration) throws -> [CheckResult] {
        var results: [CheckResult] = []
        func count(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> Int {
            try connection.query(sql, parameters)[0].decode(0, as: Int.self)
        }

        let orphans = try count("""
            SELECT count(*) FROM sentences s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.document_id = s.document_id)
            """)
        results.append(CheckResult(name: "sentences_without_document", severity: configuration.sentencesWithoutDocument.severity,
                                   passed: orphans == 0, detail: "\(orphans) sentence(s) whose document is missing"))

        // Two anti-joins rather than one scan testing both per row: with OR, the server probes the sentences'
        // index row by row, and the plan's cost made it compile the query (corpus: 0.48 s, now 0.06 s).
        let strayHits = try count("""
            SELECT count(*) FROM (
                SELECT document_id, ordinal, theme_code FROM sentence_themes st
                WHERE NOT EXISTS (SELECT 1 FROM themes t WHERE t.theme_code = st.theme_code)
                UNION
                SELECT document_id, ordinal, theme_code FROM sentence_themes st
                WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document_id = st.document_id AND s.ordinal = st.ordinal)
            ) stray
            """)
        results.append(CheckResult(name: "theme_hits_without_theme", severity: configuration.themeHitsWithoutTheme.severity,
                                   passed: strayHits == 0, detail: "\(strayHits) theme hit(s) whose theme or sentence is missing"))

        let seen = configuration.themesSeen
        let unseen = try connection.query("""
            WITH recent AS (
                SELECT run_id FROM runs WHERE status = 'succeeded' AND documents_new > 0 ORDER BY started_at DESC LIMIT $1
            )
            SELECT (SELECT count(*) FROM recent) AS runs,
                   coalesce((SELECT string_agg(t.theme_code, ', ' ORDER BY t.sort_order) FROM themes t
                    WHERE NOT EXISTS (SELECT 1 FROM sentence_themes st JOIN documents d ON d.document_id = st.document_id
                                      WHERE st.theme_code = t.theme_code AND d.first_run_id IN (SELECT run_id FROM recent))), '') AS missing
            """, [seen.runs])[0]
        let recentRuns: Int = try unseen.decode("runs")
        let missing: String = try unseen.decode("missing")
        results.append(CheckResult(
            name: "themes_seen", severity: seen.severity, passed: recentRuns == 0 || missing.isEmpty,
            detail: recentRuns == 0 ? "no run has added documents yet"
                : missing.isEmpty ? "every theme occurs in the documents of the last \(recentRuns) run(s) that added any"
                : "not seen in the documents of the last \(recentRuns) run(s) that added any: \(missing)"))

        let share = configuration.quarantineShare
        let files = try connection.query("""
            SELECT coalesce(sum(quarantined), 0) AS quarantined, coalesce(sum(files_seen), 0) AS seen, count(*) AS runs
            FROM (SELECT quarantined, files_seen FROM runs WHERE status <> 'running' ORDER BY started_at DESC LIMIT $1) r
            """, [share.runs])[0]
        let quarantined: Int = try files.decode("quarantined"), filesSeen: Int = try files.decode("seen")
        let ratio = filesSeen == 0 ? 0 : Double(quarantined) / Double(filesSeen)
        results.append(CheckResult(
            name: "quarantine_share", severity: share.severity, passed: ratio <= share.maxShare,
            detail: "\(quarantined) of \(filesSeen) file(s) quarantined in the last \(share.runs) run(s): \(percent(ratio)) (limit \(percent(share.maxShare)))"))

        let fresh = configuration.freshness
        let age = try connection.query("SELECT extract(epoch FROM now() - max(loaded_at))::float8 / 3600 AS hours FROM documents")[0]
        let hours: Double? = try age.decode("hours")
        results.append(CheckResult(
            name: "freshness", severity: fresh.severity, passed: hours.map { $0 <= fresh.maxAgeHours } ?? false,
            detail: hours.map { "the newest document was loaded \(String(format: "%.1f", $0)) h ago (limit \(String(format: "%g", fresh.maxAgeHours)) h)" }
                ?? "the warehouse has no document"))

        // A load that stops between dropping an index and building it leaves the index missing until the next
        // load; queries still answer, by scanning. During a large load this is the normal state.
        let pending = try connection.query("""
            SELECT format('%s (dropped by the load of run %s at %s)', index_name, run_id,
                          to_char(dropped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')) AS what
            FROM deferred_indexes WHERE to_regclass(index_name) IS NULL ORDER BY index_name
            """).map { try $0.decode("what", as: String.self) }
        results.append(CheckResult(
            name: "indexes_built", severity: configuration.indexesBuilt.severity, passed: pending.isEmpty,
            detail: pending.isEmpty ? "no index is waiting to be built"
                : "not built yet: \(pending.joined(separator: "; ")); a load still running builds it at its end, "
                + "and after a load that stopped, the next load does (until then searches scan the table)"))
        return results
    }

    /// Whether any error-level check failed.
    public static func hasErrors(_ results: [CheckResult]) -> Bool {
        results.contains { !$0.passed && $0.severity == .error }
    }

    /// One line per check: status, name, detail.
    public static func render(_ results: [CheckResult]) -> String {
        let width = results.map(\.name.count).max() ?? 0
        return results.map { result in
            "\(result.status.padding(toLength: 5, withPad: " ", startingAt: 0)) \(result.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(result.detail)"
        }.joined(separator: "\n") + "\n"
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
