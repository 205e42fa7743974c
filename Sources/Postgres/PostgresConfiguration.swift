import CLibPQ
import Foundation

/// Where to connect: a `postgresql://` URL, a libpq keyword string, or the standard environment.
///
/// The connection string is handed to libpq unchanged, so every libpq setting works (service files,
/// `.pgpass`, `sslmode`, `PGPASSWORD` …). ``redactedDescription`` shows host, port, database and user, never
/// the password.
public struct PostgresConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The libpq connection string: a URL, `key=value` pairs, or empty for libpq's environment defaults.
    public var connectionString: String

    /// - Parameter connectionString: a `postgresql://` (or `postgres://`) URL or a libpq keyword string such
    ///   as `host=/tmp dbname=bayan`. Empty means: use libpq's defaults and the `PG*` environment variables.
    public init(_ connectionString: String) {
        self.connectionString = connectionString
    }

    /// The configuration given by the environment: `DATABASE_URL` when set, else libpq's own `PG*` variables.
    public static func fromEnvironment(_ environment: [String: String]) -> PostgresConfiguration {
        if let url = environment["DATABASE_URL"], !url.isEmpty { return PostgresConfiguration(url) }
        return PostgresConfiguration("")
    }

    /// Whether the environment names a database at all (`DATABASE_URL`, `PGHOST`, `PGDATABASE` or `PGSERVICE`).
    public static func environmentNamesDatabase(_ environment: [String: String]) -> Bool {
        ["DATABASE_URL", "PGHOST", "PGDATABASE", "PGSERVICE"].contains { !(environment[$0] ?? "").isEmpty }
    }

    /// The settings libpq will use, parsed from the string (without the environment's defaults).
    ///
    /// - Throws: ``PostgresError`` of kind `connection` when libpq cannot parse the string; the message is
    ///   libpq's, with any password in it redacted.
    public func parsedOptions() throws(PostgresError) -> [String: String] {
        guard !connectionString.isEmpty else { return [:] }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            var message = "invalid connection string"
            if let errorMessage {
                message = String(cString: errorMessage).trimmingTrailingNewlines()
                PQfreemem(errorMessage)
            }
            throw PostgresError(kind: .connection, message: Self.redact(message, secrets: Self.looseSecrets(in: connectionString)))
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val {
                result[String(cString: keyword)] = String(cString: value)
            }
            cursor += 1
        }
        return result
    }

    /// Host, port, database and user, never the password; safe for logs.
    public var redactedDescription: String {
        guard let options = try? parsedOptions() else { return "(unparsable connection string)" }
        return Self.describe(host: options["host"] ?? options["hostaddr"], port: options["port"],
                             database: options["dbname"], user: options["user"])
    }

    public var description: String { redactedDescription }

    /// The connection string with any password replaced by `***` (for recording a command line).
    public var redactedConnectionString: String {
        var secrets = Self.looseSecrets(in: connectionString)
        if let password = (try? parsedOptions())?["password"] { secrets.append(password) }
        return Self.redact(connectionString, secrets: secrets)
    }

    static func describe(host: String?, port: String?, database: String?, user: String?) -> String {
        var text = "host \(host.nonEmpty ?? "(default)"), port \(port.nonEmpty ?? "(default)"), database \(database.nonEmpty ?? "(default)")"
        if let user = user.nonEmpty { text += ", user \(user)" }
        return text
    }

    /// Replaces every occurrence of a secret in `text` with `***`.
    static func redact(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets where !secret.isEmpty {
            text = text.replacingAll(secret, with: "***")
        }
        return text
    }

    /// Password-looking parts of a string libpq could not parse: the URL's `user:password@` part and any
    /// `password=` value, so an error about a malformed string cannot echo them.
    static func looseSecrets(in connectionString: String) -> [String] {
        var secrets: [String] = []
        if let schemeEnd = connectionString.range(of: "://") {
            let rest = connectionString[schemeEnd.upperBound...]
            if let at = rest.firstIndex(of: "@") {
                let userInfo = rest[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    secrets.append(String(userInfo[userInfo.index(after: colon)...]))
                }
            }
        }
        for marker in ["password=", "PASSWORD="] {
            var search = connectionString[...]
            while let range = search.range(of: marker) {
                let value = search[range.upperBound...].prefix { $0 != " " && $0 != "&" }
                secrets.append(String(value.hasPrefix("'") ? value.dropFirst().prefix { $0 != "'" } : value))
                search = search[range.upperBound...]
            }
        }
        return secrets
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        switch self {
        case .some(let value) where !value.isEmpty: value
        default: nil
        }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self[...]
        while let last = text.last, last.isNewline || last == " " { text = text.dropLast() }
        return String(text)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        target.isEmpty ? self : replacingOccurrences(of: target, with: replacement)
    }
}
