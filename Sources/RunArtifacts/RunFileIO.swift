public import Foundation
import CopyText

/// A run file could not be read or written; names the file and, when reading, the line.
public struct RunFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}

/// Writes records to a run file in COPY text format, buffered; memory stays flat.
///
/// Rows go to `<file>.partial` and the file takes its final name only on ``finish()``, so a stage killed
/// halfway never leaves a file that looks complete.
public final class RunFileWriter<Record: RunRecord> {
    public let url: URL
    private let partialURL: URL
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private let flushSize: Int
    /// Rows written so far.
    public private(set) var rowCount = 0

    /// - Parameter flushSize: bytes gathered before they are written (1 MiB; tests use a few bytes to cut
    ///   long fields in many slices).
    public init(url: URL, flushSize: Int = 1 << 20) throws(RunFileError) {
        self.url = url
        self.flushSize = max(1, flushSize)
        self.partialURL = url.appendingPathExtension("partial")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: partialURL.path, contents: nil) else {
                throw RunFileError(path: url.path, reason: "cannot create \(partialURL.lastPathComponent)")
            }
            handle = try FileHandle(forWritingTo: partialURL)
            try handle?.truncate(atOffset: 0)
        } catch {
            throw RunFileError(path: url.path, reason: "cannot create: \(error.localizedDescription)")
        }
        buffer.reserveCapacity(flushSize + 65_536)
    }

    public func write(_ record: Record) throws(RunFileError) {
        let fields = record.fields
        guard fields.contains(where: { ($0?.utf8.count ?? 0) > flushSize }) else {
            CopyTextEncoder.appendRow(fields, to: &buffer)
            rowCount += 1
            if buffer.count >= flushSize { try flush() }
            return
        }
        // A field of megabytes (a one-line article) is escaped and written a slice at a time, so the buffer
        // never holds the whole row.
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard var field, field.utf8.count > flushSize else {
                CopyTextEncoder.appendField(field, to: &buffer)
                continue
            }
            var failure: RunFileError?
            field.withUTF8 { bytes in
                var start = 0
                while start < bytes.count && failure == nil {
                    let end = min(start + flushSize, bytes.count)
                    CopyTextEncoder.appendEscaped(UnsafeBufferPointer(rebasing: bytes[start..<end]), to: &buffer)
                    do { try flush() } catch { failure = error as? RunFileError ?? RunFileError(path: partialURL.path, reason: "\(error)") }
                    start = end
                }
            }
            if let failure { throw failure }
        }
        buffer.append(UInt8(ascii: "\n"))
        rowCount += 1
        if buffer.count >= flushSize { try flush() }
    }

    private func flush() throws(RunFileError) {
        guard !buffer.isEmpty, let handle else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw RunFileError(path: partialURL.path, reason: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and gives the file its final name.
    public func finish() throws(RunFileError) {
        try flush()
        do {
            try handle?.synchronize()
            try handle?.close()
            handle = nil
            guard rename(partialURL.path, url.path) == 0 else {
                throw RunFileError(path: url.path, reason: "cannot rename \(partialURL.lastPathComponent): \(String(cString: strerror(errno)))")
            }
        } catch {
            throw RunFileError(path: url.path, reason: "cannot finish: \(error.localizedDescription)")
        }
    }

    deinit {
        try? handle?.close()
    }
}

/// Reads a run file line by line in chunks, without loading it whole.
public struct RunFileReader {
    public let url: URL
    /// Bytes read at once (1 MiB; tests use a few bytes so lines span many chunks).
    let chunkSize: Int

    public init(url: URL, chunkSize: Int = 1 << 20) {
        self.url = url
        self.chunkSize = max(1, chunkSize)
    }

    /// Calls `body` with each line's bytes (without the newline) and its 1-based line number.
    public func forEachLine(_ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
        try forEachLine(body, afterChunk: {})
    }

    /// As ``forEachLine(_:)``, and calls `afterChunk` after the lines ending in each chunk read, once their
    /// bytes are let go: a line of hundreds of megabytes is not held while what was made of it is used.
    ///
    /// - Complexity: O(*n*) in the file's bytes, however long its lines (each byte is searched for a newline
    ///   once, not again with every chunk that a long line spans).
    private func forEachLine(_ body: (ArraySlice<UInt8>, Int) throws -> Void, afterChunk: () throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw RunFileError(path: url.path, reason: "cannot open (does it exist?)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var searched = 0  // bytes of `pending` known to hold no newline
        var lineNumber = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw RunFileError(path: url.path, line: lineNumber, reason: "cannot read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[max(start, searched)...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                try body(pending[start..<newline], lineNumber)
                start = newline + 1
            }
            if start > 0 && pending.capacity > 4 * chunkSize {
                pending = Array(pending[start...])  // a long line is done: give its memory back
            } else {
                pending.removeSubrange(..<start)
            }
            searched = pending.count
            try afterChunk()
        }
        if !pending.isEmpty {
            throw RunFileError(path: url.path, line: lineNumber + 1, reason: "the last line has no newline (file cut short?)")
        }
    }

    /// Calls `body` with each record, decoded; errors name the file and the line.
    ///
    /// Records are decoded as their lines are read and handed to `body` after each chunk, once the bytes they
    /// were decoded from are let go (so a one-line article is in memory as its fields only, not also as its
    /// line); a line that cannot be decoded throws after the records before it have been handed over.
    public func forEach<Record: RunRecord>(_ type: Record.Type, _ body: (Record) throws -> Void) throws {
        var ready: [Record] = []
        func handOver() throws {
            defer { ready.removeAll(keepingCapacity: true) }
            for record in ready { try body(record) }
        }
        try forEachLine({ line, number in
            do {
                ready.append(try Record(fields: CopyTextDecoder.decodeRow(line)))
            } catch let error as CopyTextDecodingError {
                try handOver()
                throw RunFileError(path: url.path, line: number, reason: error.description)
            } catch let error as RunRecordError {
                try handOver()
                throw RunFileError(path: url.path, line: number, reason: error.reason)
            }
        }, afterChunk: handOver)
    }

    /// Streams the file's raw bytes in chunks (for COPY, which reads the format itself).
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw RunFileError(path: url.path, reason: "cannot open (does it exist?)")
        }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw RunFileError(path: url.path, reason: "cannot read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { try body($0) }
        }
    }
}
