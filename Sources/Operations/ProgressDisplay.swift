public import Foundation
public import RunArtifacts
import Synchronization

/// A one-line progress display on stderr: the stage, items and bytes done, their rates and the time left,
/// redrawn in place with `\r`.
///
/// Only for people watching a terminal: ``forStandardError(isTerminal:)`` returns nil when stderr is not a
/// terminal (cron, a pipe, a log file), so nothing of it reaches a log. When a stage finishes its line is
/// ended with a newline and stays on screen as that stage's summary.
public final class ProgressDisplay: Sendable {
    public typealias Sink = @Sendable (String) -> Void

    private struct State {
        var stageStarted: [String: Double] = [:]
        var lineOpen = false
    }

    private let sink: Sink
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())

    /// - Parameters:
    ///   - sink: where the text goes (stderr by default).
    ///   - clock: seconds on a monotonic clock (tests fix it).
    public init(sink: @escaping Sink = { FileHandle.standardError.write(Data($0.utf8)) },
                clock: @escaping @Sendable () -> Double = ProgressThrottle.monotonicSeconds) {
        self.sink = sink
        self.clock = clock
    }

    /// The display for stderr, or nil when stderr is not a terminal.
    ///
    /// - Parameter isTerminal: whether a file descriptor is a terminal (`isatty`; tests answer for it).
    public static func forStandardError(
        isTerminal: (Int32) -> Bool = { isatty($0) == 1 }, sink: @escaping Sink = { FileHandle.standardError.write(Data($0.utf8)) }
    ) -> ProgressDisplay? {
        isTerminal(STDERR_FILENO) ? ProgressDisplay(sink: sink) : nil
    }

    /// Shows `event`; hand this to the stages as their ``ProgressHandler``.
    public func handle(_ event: ProgressEvent) {
        let now = clock()
        let text: String = state.withLock { state in
            let started = state.stageStarted[event.stage] ?? now
            state.stageStarted[event.stage] = started
            let line = Self.render(event, elapsed: now - started)
            state.lineOpen = !event.finished
            // \r back to the line start, ESC[K clears what a longer earlier line left behind.
            return "\r" + line + "\u{1B}[K" + (event.finished ? "\n" : "")
        }
        sink(text)
    }

    /// Writes a log line without mangling the progress line: the open line is cleared first and redrawn by
    /// the next event. Hand this to the log handler as its sink while the display is in use.
    public func writeAbove(_ text: String) {
        let open = state.withLock { state in
            defer { state.lineOpen = false }
            return state.lineOpen
        }
        sink((open ? "\r\u{1B}[K" : "") + text)
    }

    /// Ends a line left open (a stage that failed before its last event), so what follows starts on its own line.
    public func finish() {
        let open = state.withLock { state in
            defer { state.lineOpen = false }
            return state.lineOpen
        }
        if open { sink("\n") }
    }

    /// The line for `event` after `elapsed` seconds of its stage:
    /// `transform  1200/4000 documents  310.2 documents/s  5.1 MB/s  ETA 0:09`.
    public static func render(_ event: ProgressEvent, elapsed: Double) -> String {
        var parts = [event.stage.padding(toLength: 9, withPad: " ", startingAt: 0)]
        if let total = event.itemsTotal {
            parts.append("\(event.itemsDone)/\(max(total, event.itemsDone)) \(event.unit)")
        } else {
            parts.append("\(event.itemsDone) \(event.unit)")
        }
        if elapsed > 0 {
            parts.append(String(format: "%.1f", Double(event.itemsDone) / elapsed) + " \(event.unit)/s")
            parts.append(String(format: "%.1f MB/s", Double(event.bytesDone) / 1_000_000 / elapsed))
        }
        if event.finished {
            parts.append(String(format: "done in %.1f s", elapsed))
        } else if let eta = eta(event, elapsed: elapsed) {
            parts.append("ETA \(duration(eta))")
        }
        return parts.joined(separator: "  ")
    }

    /// Seconds left at the rate so far, from bytes when their total is known (files differ in size), else from
    /// items; nil without a total or before anything is done.
    static func eta(_ event: ProgressEvent, elapsed: Double) -> Double? {
        if let total = event.bytesTotal, event.bytesDone > 0, elapsed > 0 {
            return max(0, Double(total - event.bytesDone)) * elapsed / Double(event.bytesDone)
        }
        if let total = event.itemsTotal, event.itemsDone > 0, elapsed > 0 {
            return max(0, Double(total - event.itemsDone)) * elapsed / Double(event.itemsDone)
        }
        return nil
    }

    /// `0:09`, `12:34`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
