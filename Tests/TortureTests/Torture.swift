import Foundation
import Glibc
import PostgresCluster
import TestSupport

/// Settings of the torture suite, from the environment.
///
/// - `BAYAN_TORTURE_LONG=1`: the heavy variants (a 200 MB line, 100,000 files, more fuzzing trials) and a
///   fresh random seed per run; without it, smaller inputs and a fixed seed, so CI runs are repeatable.
/// - `BAYAN_TORTURE_SEED=N`: the seed of every seeded test (to replay a failure: its message prints the seed).
enum Torture {
    static let environment = ProcessInfo.processInfo.environment

    static let isLong = environment["BAYAN_TORTURE_LONG"] == "1"

    static let seed: UInt64 = {
        if let text = environment["BAYAN_TORTURE_SEED"], let value = UInt64(text) { return value }
        return isLong ? UInt64.random(in: 1...UInt64.max) : 0xBA7A_2026
    }()

    /// `normal` by default, `long` with `BAYAN_TORTURE_LONG=1`.
    static func scale(_ normal: Int, long: Int) -> Int { isLong ? long : normal }

    /// How to replay a seeded failure.
    static func replay(_ seed: UInt64, _ detail: String = "") -> String {
        "seed \(seed) (replay: BAYAN_TORTURE_SEED=\(seed) swift test --filter TortureTests)\(detail.isEmpty ? "" : ": " + detail)"
    }
}

/// Random text built to hit what Arabic news and broken files hold.
enum RandomText {
    /// Ranges of scalars drawn from, most of them Arabic: letters, marks, presentation forms, digits, the
    /// controls and spaces cleanup removes, and anything else outside the surrogates.
    static let ranges: [ClosedRange<UInt32>] = [
        0x0600...0x06FF,  // Arabic: letters, harakat, tatweel, Arabic-Indic digits, punctuation
        0x0750...0x077F,  // Arabic Supplement
        0x08A0...0x08FF,  // Arabic Extended-A: more combining marks
        0xFB50...0xFDFF,  // Arabic Presentation Forms-A: ligatures such as ﷲ and ﷺ
        0xFE70...0xFEFF,  // Arabic Presentation Forms-B, and the BOM
        0x0300...0x036F,  // combining diacritical marks
        0x200B...0x200F,  // zero-width space, joiners, LRM, RLM
        0x202A...0x202E,  // bidi embeddings and overrides
        0x2066...0x2069,  // bidi isolates
        0x0020...0x007E,  // ASCII
        0x0000...0x001F,  // C0 controls (NUL excluded by the caller when it must be)
        0x2000...0x206F,  // general punctuation, spaces, line and paragraph separators
        0x0660...0x0669,  // Arabic-Indic digits
        0x06F0...0x06F9,  // Persian digits
        0x1F300...0x1F6FF,  // pictographs
        0x0080...0xD7FF,  // anything in the BMP before the surrogates
        0xE000...0x10FFFF,  // anything after them
    ]

    /// One random scalar (never a surrogate, which cannot be a `Unicode.Scalar`).
    static func scalar(using generator: inout SeededGenerator, allowNUL: Bool = true) -> Unicode.Scalar {
        while true {
            let range = ranges[Int.random(in: 0..<ranges.count, using: &generator)]
            let value = UInt32.random(in: range, using: &generator)
            if !allowNUL && value == 0 { continue }
            if let scalar = Unicode.Scalar(value) { return scalar }
        }
    }

    /// A random string of up to `maxLength` scalars; a third of them are words from `words`, so the rules
    /// about letters, digits and terminators are met, not only noise.
    static func string(maxLength: Int, using generator: inout SeededGenerator, allowNUL: Bool = true) -> String {
        let length = Int.random(in: 0...maxLength, using: &generator)
        var scalars = String.UnicodeScalarView()
        while scalars.count < length {
            if Int.random(in: 0..<3, using: &generator) == 0 {
                scalars.append(contentsOf: words.randomElement(using: &generator)!.unicodeScalars)
            } else {
                scalars.append(scalar(using: &generator, allowNUL: allowNUL))
            }
        }
        return String(scalars)
    }

    static let words = [
        "قتل", " ", ". ", "؟", "!", "…", "...", "د.", "2.5", "٢٫٥", "4/6/2020", "«", "»", "“", "”", "\"", "\n", "\r\n",
        "www.example.com", "a@b.co", "https://x.org/a.b?c=1", "كَتَبَ", "ـــ", "أإآ", "ة", "ى", "ی", "ک", "ﻻ", "ﷲ",
        "\u{200F}", "\u{202B}", "\u{00A0}", "\t", "\\", "'", "'; DROP TABLE documents; --", "$1", "م. ", "هـ.", "U.S.",
    ]
}

/// Peak memory of a child process.
enum PeakMemory {
    /// Runs `bayan` and returns its outcome and peak resident set size in bytes, measured by
    /// `/usr/bin/time` when installed, else by `getrusage(RUSAGE_CHILDREN)` (the largest child this process
    /// has waited for: an upper bound of the binary's peak).
    static func runBayan(_ arguments: [String], environment: [String: String] = [:], workingDirectory: URL) throws
        -> (outcome: ChildProcess.Outcome, peakBytes: Int)
    {
        let timeTool = "/usr/bin/time"
        if FileManager.default.isExecutableFile(atPath: timeTool) {
            let report = workingDirectory.appendingPathComponent("peak-rss-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: report) }
            let argv = [timeTool, "-f", "%M", "-o", report.path, try BayanBinary.locate().path] + arguments
            let outcome = try BayanBinary.run([], environment: environment, workingDirectory: workingDirectory, argv: argv)
            let text = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
            let kibibytes = text.split(whereSeparator: \.isNewline).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last ?? 0
            return (outcome, kibibytes * 1024)
        }
        let outcome = try BayanBinary.run(arguments, environment: environment, workingDirectory: workingDirectory)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (outcome, Int(usage.ru_maxrss) * 1024)
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
}

/// Creates a file whose name is raw bytes (which need not be UTF-8) in `folder`.
func writeFile(named name: [UInt8], in folder: URL, contents: [UInt8]) throws {
    var path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name
    path.append(0)
    let descriptor = path.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
    }
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == contents.count else { throw POSIXError(.EIO) }
}

/// Writes `count` bytes of Arabic words with no line break (a whole article on one line), in chunks.
func writeSingleLine(to url: URL, bytes count: Int) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    let unit = Array("وقال المتحدث باسم الوزارة إن الاجتماع ناقش الوضع الإنساني ".utf8)  // whole scalars, a space at the end
    var chunk: [UInt8] = []
    while chunk.count + unit.count <= 1 << 20 { chunk += unit }
    var written = 0
    while written + chunk.count < count {
        try handle.write(contentsOf: chunk)
        written += chunk.count
    }
    var tail: [UInt8] = []
    while written + tail.count + unit.count < count { tail += unit }
    // Pad with ASCII letters to the exact size.
    tail += [UInt8](repeating: UInt8(ascii: "x"), count: count - written - tail.count)
    try handle.write(contentsOf: tail)
}

/// A result handed from one thread to another, read only after a semaphore says it was written.
final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Runs `body` on its own thread and waits at most `seconds`; returns nil when it did not finish (the thread is
/// left behind, and `unblock` is called to release it, e.g. by opening a FIFO's other end).
func finishing<T: Sendable>(within seconds: Double, unblock: () -> Void = {}, _ body: @escaping @Sendable () throws -> T) -> Result<T, any Error>? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = Result { try body() }
        done.signal()
    }
    thread.start()
    if done.wait(timeout: .now() + seconds) == .timedOut {
        unblock()
        _ = done.wait(timeout: .now() + 10)
        return nil
    }
    return box.result
}
