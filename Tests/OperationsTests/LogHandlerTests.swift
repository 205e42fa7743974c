import Foundation
import CopyText
import Logging
import Operations
import Synchronization
import Testing

/// Lines a handler wrote, kept for the test.
final class LineSink: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var write: BayanLogHandler.Sink { { line in self.lines.withLock { $0.append(line) } } }
}

@Suite struct LogHandlerTests {
    static let fixedDate = Date(timeIntervalSince1970: 1_795_401_001.042)   // 2026-11-23T02:30:01.042Z

    func logger(_ format: LogFormat, level: Logger.Level = .info) -> (Logger, LineSink) {
        let sink = LineSink()
        var logger = Logger(label: "bayan") { label in
            BayanLogHandler(label: label, format: format, level: level, sink: sink.write, clock: { LogHandlerTests.fixedDate })
        }
        logger.logLevel = level
        return (logger, sink)
    }

    @Test(arguments: [
        ("plain", "\"plain\""),                                   // nothing to escape
        ("say \"hi\"", "\"say \\\"hi\\\"\""),                       // quotes
        ("C:\\path", "\"C:\\\\path\""),                             // backslash
        ("a\nb\tc\r", "\"a\\nb\\tc\\r\""),                          // newline, tab, carriage return
        ("\u{01}\u{1F}\u{7F}", "\"\\u0001\\u001f\\u007f\""),        // other control characters
        ("مقتل 14 شخصا", "\"مقتل 14 شخصا\""),                      // Arabic stays UTF-8
        ("a\u{2028}b", "\"a\\u2028b\""),                            // line separator: one physical line
        ("\u{200F}x", "\"\u{200F}x\""),                             // direction marks are not control characters
    ])
    func quotesJSONStrings(_ input: String, _ expected: String) throws {
        #expect(JSONText.quoted(input) == expected, "input: \(input.debugDescription)")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(JSONText.quoted(input))]".utf8)) as? [String]
        #expect(decoded == [input], "round trip of \(input.debugDescription)")
    }

    @Test func jsonLinesCarryTheFieldsAndFlattenedMetadata() throws {
        let (logger, sink) = logger(.json)
        var scoped = logger
        scoped[metadataKey: "run.id"] = "20261123T023000Z-ab12"
        scoped.warning("quarantined \"bad\" file\nsecond line", metadata: [
            "file.path": "sahel-daily/مقتل.txt", "db": ["host": "db.internal", "port": "5432"], "message": "clash",
        ])
        let lines = sink.all
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasSuffix("}\n") && line.dropLast().firstIndex(of: "\n") == nil, "exactly one line: \(line)")
        #expect(line.contains("sahel-daily/مقتل.txt"), "Arabic written as UTF-8, not escaped: \(line)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["timestamp"] == "2026-11-23T02:30:01.042Z")
        #expect(object["level"] == "warning")
        #expect(object["label"] == "bayan")
        #expect(object["message"] == "quarantined \"bad\" file\nsecond line")
        #expect(object["run.id"] == "20261123T023000Z-ab12")
        #expect(object["file.path"] == "sahel-daily/مقتل.txt")
        #expect(object["db.host"] == "db.internal" && object["db.port"] == "5432", "nested metadata flattened: \(object)")
        #expect(object["metadata.message"] == "clash", "a metadata key named like a fixed field is kept beside it")
    }

    @Test func textLinesAreReadable() throws {
        let (logger, sink) = logger(.text)
        logger.info("extract finished", metadata: ["extract.files": "6", "file.path": "a b.txt"])
        #expect(sink.all == ["2026-11-23T02:30:01.042Z info bayan: extract finished extract.files=6 file.path=\"a b.txt\"\n"])
    }

    /// A file name made to look like a second log line stays inside one escaped line.
    @Test(arguments: [
        "x\n2026-11-23T02:30:00+0000 info bayan : run succeeded\ny.txt",
        "a\rb.txt", "nul\u{0}byte.txt", "esc\u{1B}[31mred.txt",
    ])
    func controlCharactersCannotForgeALine(path: String) throws {
        let (logger, sink) = logger(.text)
        logger.warning("quarantined", metadata: ["file.path": "\(path)"])
        logger.warning("message with \(path)")
        #expect(sink.all.count == 2)
        for line in sink.all {
            #expect(line.filter(\.isNewline).count == 1 && line.last == "\n", "one line: \(line.debugDescription)")
            #expect(!line.unicodeScalars.dropLast().contains { $0.properties.generalCategory == .control }, "\(line.debugDescription)")
        }
    }

    @Test(arguments: [
        (Logger.Level.warning, ["warning", "error"]),   // the default
        (.debug, ["debug", "info", "warning", "error"]),
        (.error, ["error"]),
    ])
    func levelsFilter(_ level: Logger.Level, _ expected: [String]) {
        let sink = LineSink()
        let logger = Logger.bayan(level: level, format: .json, sink: sink.write)
        logger.trace("t")
        logger.debug("d")
        logger.info("i")
        logger.warning("w")
        logger.error("e")
        let levels = sink.all.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])?["level"]
        }
        #expect(levels == expected, "level \(level)")
    }

    @Test(arguments: [
        ("postgresql://etl:s3cret@db/warehouse", "postgresql://etl:***@db/warehouse"),          // URL user:password@
        ("connect to postgres://u:p%40ss@h:5432/d failed", "connect to postgres://u:***@h:5432/d failed"),
        ("host=db user=etl password=s3cret dbname=w", "host=db user=etl password=*** dbname=w"),   // keyword string
        ("host=db password='it\\'s secret' dbname=w", "host=db password=*** dbname=w"),           // quoted value
        ("postgresql://db/w?user=etl&password=s3cret&sslmode=require", "postgresql://db/w?user=etl&password=***&sslmode=require"),
        ("PGPASSWORD=s3cret psql", "PGPASSWORD=*** psql"),                                       // environment dump
        ("{\"password\": \"s3cret\"}", "{\"password\": \"***\"}"),                                 // JSON
        ("postgresql://etl@db/warehouse", "postgresql://etl@db/warehouse"),                       // no password: unchanged
        ("https://example.com/a:b", "https://example.com/a:b"),                                   // a colon after the host is no password
        ("مقتل 14 شخصا", "مقتل 14 شخصا"),                                                       // ordinary text: unchanged
    ])
    func scrubsPasswords(_ input: String, _ expected: String) {
        #expect(LogRedaction.scrub(input) == expected, "input: \(input)")
    }

    @Test(arguments: [LogFormat.text, .json])
    func handlerNeverWritesAPassword(format: LogFormat) {
        let (logger, sink) = logger(format)
        var scoped = logger
        scoped[metadataKey: "db.url"] = "postgresql://etl:hunter2-pw@db/warehouse"
        scoped.error("connection to postgresql://etl:hunter2-pw@db/warehouse failed",
                     metadata: ["conninfo": "host=db password=hunter2-pw", "env": ["PGPASSWORD": "PGPASSWORD=hunter2-pw"]])
        let text = sink.all.joined()
        #expect(!text.isEmpty)
        #expect(!text.contains("hunter2-pw"), "\(text)")
        #expect(text.contains("etl:***@db"), "\(text)")
    }
}
