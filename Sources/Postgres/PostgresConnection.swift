import CLibPQ
import Foundation
public import Logging

/// One session with a PostgreSQL server over libpq, used from one thread at a time.
///
/// Statements run synchronously; the pipeline is a batch job and gains nothing from an event loop. Every
/// `PGresult` this type receives is owned by a ``PostgresResult`` or freed before the call returns, and the
/// `PGconn` is freed by ``close()`` or when the connection is deinitialized, whichever comes first.
///
/// The session is set to UTF-8, ISO dates and UTC, so text results parse the same on every server.
///
/// - Important: Not `Sendable`: a libpq connection must not be used from two threads at once.
public final class PostgresConnection {
    private var handle: ConnectionHandle?
    let tracker: PostgresHandleTracker
    /// Logs connection events; server notices go here too, never to stderr.
    public let logger: Logger
    /// Where this connection goes (host, port, database, user), safe to log.
    public let endpoint: String

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - configuration: where to connect.
    ///   - logger: receives server notices (at `notice`, `warning` or `debug` by their severity).
    /// - Throws: ``PostgresError`` of kind `connection`, naming host, port and database, never the password.
    public convenience init(configuration: PostgresConfiguration, logger: Logger) throws(PostgresError) {
        try self.init(configuration: configuration, logger: logger, tracker: .shared)
    }

    /// Opens a connection whose handles are counted by `tracker` (tests prove nothing leaks with it).
    package init(configuration: PostgresConfiguration, logger: Logger, tracker: PostgresHandleTracker) throws(PostgresError) {
        self.logger = logger
        self.tracker = tracker
        let notices = NoticeForwarder(logger: logger)
        // dbname is expanded as a URL or keyword string; the later keywords override what it says.
        var keywords: [String] = []
        var values: [String] = []
        if !configuration.connectionString.isEmpty {
            keywords.append("dbname"); values.append(configuration.connectionString)
        }
        keywords.append("client_encoding"); values.append("UTF8")
        keywords.append("fallback_application_name"); values.append("bayan")
        let raw = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let raw else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        let handle = ConnectionHandle(raw: raw, tracker: tracker, notices: notices)
        let endpoint = PostgresConfiguration.describe(
            host: Self.string(PQhost(raw)), port: Self.string(PQport(raw)),
            database: Self.string(PQdb(raw)), user: Self.string(PQuser(raw)))
        self.endpoint = endpoint
        guard PQstatus(raw) == CONNECTION_OK else {
            var secrets = PostgresConfiguration.looseSecrets(in: configuration.connectionString)
            if let password = Self.string(PQpass(raw)) { secrets.append(password) }
            let libpqMessage = Self.string(PQerrorMessage(raw))?.trimmingTrailingNewlines() ?? "unknown error"
            _ = consume handle  // PQfinish now: the failed PGconn must be freed too.
            throw PostgresError(
                kind: .connection,
                message: "could not connect to PostgreSQL (\(endpoint)): "
                    + PostgresConfiguration.redact(libpqMessage, secrets: secrets))
        }
        PQsetNoticeReceiver(raw, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
        self.handle = Optional(consume handle)
        try execute("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'")
        logger.debug("connected", metadata: ["db.endpoint": "\(endpoint)"])
    }

    deinit {
        // `handle`'s own deinit calls PQfinish when it is still set.
    }

    /// Closes the connection now; later calls fail with a `client` error. Closing twice does nothing.
    public func close() {
        handle = nil
    }

    /// Whether the connection is open and its last known state is good.
    public var isOpen: Bool {
        guard let raw = handle?.raw else { return false }
        return PQstatus(raw) == CONNECTION_OK
    }

    /// The server's version as an integer, e.g. `150018`.
    public var serverVersion: Int {
        guard let raw = handle?.raw else { return 0 }
        return Int(PQserverVersion(raw))
    }

    /// The open `PGconn*`, or a `client` error when the connection was closed.
    func rawConnection(for statement: String?) throws(PostgresError) -> OpaquePointer {
        guard let raw = handle?.raw else {
            throw PostgresError(kind: .client, message: "the connection is closed", statement: statement)
        }
        return raw
    }

    /// The last error libpq recorded on this connection, as text.
    func lastErrorMessage() -> String {
        guard let raw = handle?.raw else { return "the connection is closed" }
        return Self.string(PQerrorMessage(raw))?.trimmingTrailingNewlines() ?? "unknown libpq error"
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        string(UnsafePointer(pointer))
    }
}

/// Calls `body` with a NULL-terminated array of C strings (for libpq's `const char * const *` parameters).
func withCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var owned: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for pointer in owned { free(pointer) } }
    owned.append(nil)
    return owned.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}

func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withCStringArray(strings.map { Optional($0) }, body)
}

/// Forwards the server's NOTICE, WARNING and similar messages to a `Logger`.
final class NoticeForwarder: Sendable {
    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    func forward(_ result: OpaquePointer) {
        let severity = PostgresConnection.string(PQresultErrorField(result, CLibPQ_DIAG_SEVERITY)) ?? "NOTICE"
        let message = PostgresConnection.string(PQresultErrorField(result, CLibPQ_DIAG_MESSAGE_PRIMARY)) ?? ""
        var metadata: Logger.Metadata = ["db.severity": "\(severity)"]
        if let state = PostgresConnection.string(PQresultErrorField(result, CLibPQ_DIAG_SQLSTATE)) {
            metadata["db.sqlstate"] = "\(state)"
        }
        if let detail = PostgresConnection.string(PQresultErrorField(result, CLibPQ_DIAG_MESSAGE_DETAIL)) {
            metadata["db.detail"] = "\(detail)"
        }
        let level: Logger.Level = switch severity {
        case "WARNING": .warning
        case "NOTICE": .notice
        case "INFO", "LOG": .info
        default: .debug
        }
        logger.log(level: level, "server: \(message)", metadata: metadata)
    }
}

private let noticeReceiver: PQnoticeReceiver = { argument, result in
    guard let argument, let result else { return }
    Unmanaged<NoticeForwarder>.fromOpaque(argument).takeUnretainedValue().forward(result)
}
