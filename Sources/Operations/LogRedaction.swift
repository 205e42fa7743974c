import Foundation

/// Scrubs passwords out of text about to be logged.
///
/// A second line of defence: code that logs a connection string should log
/// `PostgresConfiguration.redactedConnectionString`, but a message built from a libpq error, a command line or
/// an environment dump may still carry one. Each pattern keeps what it masks recognisable (`user:***@`,
/// `password=***`) so the log still says which credentials were used.
public enum LogRedaction {
    /// What replaces a password.
    public static let mask = "***"

    private static let patterns: [(NSRegularExpression, String)] = [
        // postgresql://user:secret@host/db, and any other scheme://user:secret@
        (#"([A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*):[^\s@]*@"#, "$1:***@"),
        // password=secret or password='it''s secret' (libpq keyword strings, URL query, PGPASSWORD=…)
        (#"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&;,'"]+)"#, "$1***"),
        // "password": "secret" (JSON)
        (#"(?i)("password"\s*:\s*)"(?:[^"\\]|\\.)*""#, "$1\"***\""),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// `text` with every password-looking part replaced by ``mask``.
    public static func scrub(_ text: String) -> String {
        // Cheap test first: most log lines hold neither marker.
        guard text.contains("://") || text.range(of: "password", options: .caseInsensitive) != nil else { return text }
        var result = text
        for (pattern, template) in patterns {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }
}
