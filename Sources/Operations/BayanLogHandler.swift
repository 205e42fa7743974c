public import Foundation
public import Logging
import CopyText

/// How log lines look on stderr.
public enum LogFormat: String, CaseIterable, Sendable {
    /// One readable line per message: `2026-11-23T02:30:01.042Z warning bayan: quarantined file.path=a.txt …`.
    case text
    /// One JSON object per line, for log collectors: `timestamp`, `level`, `label`, `message`, then the
    /// metadata keys flattened beside them.
    case json
}

/// Bayan's log handler: text or JSON lines on stderr (or any sink), passwords scrubbed.
///
/// Every message and metadata value goes through ``LogRedaction/scrub(_:)`` before it is written. Each line is
/// written with one call to the sink, so lines from several threads never interleave.
public struct BayanLogHandler: LogHandler {
    /// Where finished lines go (each ends with a newline).
    public typealias Sink = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    public let format: LogFormat
    private let sink: Sink
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - clock: the time stamped on each line (tests fix it).
    public init(label: String, format: LogFormat, level: Logger.Level = .info, sink: @escaping Sink = BayanLogHandler.standardError,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
        self.clock = clock
    }

    /// Writes a line to stderr.
    @Sendable public static func standardError(_ line: String) {
        FileHandle.standardError.write(Data(line.utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        let fields = Self.flatten(merged).map { ($0.key, LogRedaction.scrub($0.value)) }
        let message = LogRedaction.scrub(event.message.description)
        let timestamp = Self.timestamp(clock())
        switch format {
        case .text:
            sink(Self.textLine(timestamp: timestamp, level: event.level, label: label, message: message, fields: fields))
        case .json:
            sink(Self.jsonLine(timestamp: timestamp, level: event.level, label: label, message: message, fields: fields))
        }
    }

    static func textLine(timestamp: String, level: Logger.Level, label: String, message: String, fields: [(String, String)]) -> String {
        // One event, one line: a control character in a message or a value (a file name with a newline, say)
        // is escaped, so input cannot forge a log line.
        let isControl: (Character) -> Bool = { $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        let shownMessage = message.contains(where: isControl) ? String(JSONText.quoted(message).dropFirst().dropLast()) : message
        var line = "\(timestamp) \(level.rawValue) \(label): \(shownMessage)"
        for (key, value) in fields {
            let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || isControl($0) }
            line += " \(key)=" + (needsQuotes ? JSONText.quoted(value) : value)
        }
        return line + "\n"
    }

    static func jsonLine(timestamp: String, level: Logger.Level, label: String, message: String, fields: [(String, String)]) -> String {
        var line = "{\"timestamp\":\(JSONText.quoted(timestamp)),\"level\":\(JSONText.quoted(level.rawValue))"
        line += ",\"label\":\(JSONText.quoted(label)),\"message\":\(JSONText.quoted(message))"
        let reserved: Set<String> = ["timestamp", "level", "label", "message"]
        for (key, value) in fields {
            // A metadata key named like a fixed field keeps its value beside it, under metadata.<key>.
            let name = reserved.contains(key) ? "metadata.\(key)" : key
            line += ",\(JSONText.quoted(name)):\(JSONText.quoted(value))"
        }
        return line + "}\n"
    }

    /// Metadata as (key, text) pairs sorted by key; nested dictionaries become dotted keys
    /// (`["db": ["host": "x"]]` → `db.host=x`), arrays their `[a, b]` text.
    static func flatten(_ metadata: Logger.Metadata, prefix: String = "") -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for (key, value) in metadata {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case .dictionary(let nested): pairs += flatten(nested, prefix: name)
            default: pairs.append((name, value.description))
            }
        }
        return pairs.sorted { $0.key < $1.key }
    }

    /// ISO 8601 in UTC with milliseconds: `2026-11-23T02:30:01.042Z`.
    static func timestamp(_ date: Date) -> String {
        var seconds = date.timeIntervalSince1970
        var milliseconds = Int(((seconds - seconds.rounded(.down)) * 1000).rounded())
        if milliseconds >= 1000 { milliseconds = 999 }
        seconds = seconds.rounded(.down)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }
}

extension Logger {
    /// A logger writing through ``BayanLogHandler``: what every `bayan` command logs with.
    public static func bayan(level: Logger.Level, format: LogFormat, label: String = "bayan",
                             sink: @escaping BayanLogHandler.Sink = BayanLogHandler.standardError) -> Logger {
        var logger = Logger(label: label) { label in BayanLogHandler(label: label, format: format, level: level, sink: sink) }
        logger.logLevel = level
        return logger
    }
}
