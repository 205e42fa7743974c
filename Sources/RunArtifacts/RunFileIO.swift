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
    private let flushSize = 1 << 20
    /// Rows written so far.
    public private(set) var rowCount = 0

    public init(url: URL) throws(RunFileError) {
        self.url = url
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
        CopyTextEncoder.appendRow(record.fields, to: &buffer)
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

    public init(url: URL) { self.url = url }

    /// Calls `body` with each line's bytes (without the newline) and its 1-based line number.
    public func forEachLine(_ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw RunFileError(path: url.path, reason: "cannot open (does it exist?)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw RunFileError(path: url.path, line: lineNumber, reason: "cannot read: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                try body(pending[start..<newline], lineNumber)
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        if !pending.isEmpty {
            throw RunFileError(path: url.path, line: lineNumber + 1, reason: "the last line has no newline (file cut short?)")
        }
    }

    /// Calls `body` with each record, decoded; errors name the file and the line.
    public func forEach<Record: RunRecord>(_ type: Record.Type, _ body: (Record) throws -> Void) throws {
        try forEachLine { line, number in
            let record: Record
            do {
                record = try Record(fields: CopyTextDecoder.decodeRow(line))
            } catch let error as CopyTextDecodingError {
                throw RunFileError(path: url.path, line: number, reason: error.description)
            } catch let error as RunRecordError {
                throw RunFileError(path: url.path, line: number, reason: error.reason)
            }
            try body(record)
        }
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
