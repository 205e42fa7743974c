import Extract
import Foundation
import Operations
import RunArtifacts
import Synchronization
import Testing
import TestSupport
import Transform

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Mutex(0.0)
    var now: Double {
        get { seconds.withLock { $0 } }
        set { seconds.withLock { $0 = newValue } }
    }
    var read: @Sendable () -> Double { { self.now } }
}

/// Events a handler received.
final class EventLog: Sendable {
    private let events = Mutex<[ProgressEvent]>([])
    var all: [ProgressEvent] { events.withLock { $0 } }
    var handler: ProgressHandler { { event in self.events.withLock { $0.append(event) } } }
}

@Suite struct ProgressTests {
    @Test(arguments: [
        // (offer times, finished flags, expected let through)
        ([0.0, 0.1, 0.2, 0.3], [false, false, false, false], [true, false, false, true]),       // one per 0.25 s
        ([0.0, 0.0, 0.0], [false, false, true], [true, false, true]),                            // the last one always
        ([5.0, 5.24, 5.26, 5.3, 5.6], [false, false, false, false, false], [true, false, true, false, true]),
        ([0.0, 10.0], [false, false], [true, true]),                                             // a slow stage: every event
    ])
    func throttleLetsAFewEventsASecondThrough(times: [Double], finished: [Bool], expected: [Bool]) {
        let clock = ManualClock()
        var throttle = ProgressThrottle(interval: 0.25, clock: clock.read)
        var passed: [Bool] = []
        for (time, last) in zip(times, finished) {
            clock.now = time
            passed.append(throttle.shouldReport(finished: last))
        }
        #expect(passed == expected, "times \(times)")
    }

    @Test func reporterForwardsThrottledEventsAndTheLastOne() {
        let clock = ManualClock()
        let log = EventLog()
        var reporter = ProgressReporter(handler: log.handler, throttle: ProgressThrottle(interval: 0.25, clock: clock.read))
        for index in 1...1000 {
            clock.now = Double(index) / 1000   // 1000 events in one second
            reporter.report(ProgressEvent(stage: "extract", unit: "files", itemsDone: index))
        }
        reporter.report(ProgressEvent(stage: "extract", unit: "files", itemsDone: 1000, finished: true))
        let events = log.all
        #expect(events.count == 5, "four a second plus the last: \(events.map(\.itemsDone))")
        #expect(events.last?.finished == true && events.last?.itemsDone == 1000)
    }

    @Test(arguments: [false, true])
    func displayOnlyOnATerminal(isTerminal: Bool) {
        let output = LineSink()
        let display = ProgressDisplay.forStandardError(isTerminal: { descriptor in
            #expect(descriptor == STDERR_FILENO, "asks about stderr")
            return isTerminal
        }, sink: output.write)
        #expect((display != nil) == isTerminal)
        display?.handle(ProgressEvent(stage: "extract", unit: "files", itemsDone: 3, bytesDone: 3000))
        display?.handle(ProgressEvent(stage: "extract", unit: "files", itemsDone: 6, bytesDone: 6000, finished: true))
        let text = output.all.joined()
        if isTerminal {
            #expect(text.hasPrefix("\r") && text.hasSuffix("\n"), "\(text.debugDescription)")
            #expect(text.contains("6 files"))
        } else {
            #expect(text.isEmpty)
        }
    }

    @Test func displayRedrawsOneLineAndEndsItWhenTheStageFinishes() {
        let output = LineSink()
        let clock = ManualClock()
        let display = ProgressDisplay(sink: output.write, clock: clock.read)
        display.handle(ProgressEvent(stage: "transform", unit: "documents", itemsDone: 0, itemsTotal: 100, bytesDone: 0, bytesTotal: 1_000_000))
        clock.now = 2
        display.handle(ProgressEvent(stage: "transform", unit: "documents", itemsDone: 50, itemsTotal: 100, bytesDone: 600_000, bytesTotal: 1_000_000))
        display.finish()
        let lines = output.all
        #expect(lines.count == 3)
        #expect(lines[1] == "\rtransform  50/100 documents  25.0 documents/s  0.3 MB/s  ETA 0:02\u{1B}[K", "\(lines[1].debugDescription)")
        #expect(lines[2] == "\n", "a line left open is ended")
    }

    @Test func logLinesClearAnOpenProgressLineFirst() {
        let output = LineSink()
        let display = ProgressDisplay(sink: output.write, clock: { 0 })
        display.writeAbove("before\n")
        display.handle(ProgressEvent(stage: "extract", unit: "files", itemsDone: 1))
        display.writeAbove("quarantined\n")
        display.writeAbove("again\n")
        display.finish()
        #expect(output.all == ["before\n", "\rextract    1 files\u{1B}[K", "\r\u{1B}[Kquarantined\n", "again\n"])
    }

    @Test(arguments: [
        // (event, elapsed, expected)
        (ProgressEvent(stage: "extract", unit: "files", itemsDone: 120, bytesDone: 12_000_000), 4.0,
         "extract    120 files  30.0 files/s  3.0 MB/s"),                                            // no total: no ETA
        (ProgressEvent(stage: "extract", unit: "files", itemsDone: 10, itemsTotal: 40, bytesDone: 1_000_000), 5.0,
         "extract    10/40 files  2.0 files/s  0.2 MB/s  ETA 0:15"),                                  // ETA from files
        (ProgressEvent(stage: "transform", unit: "documents", itemsDone: 10, itemsTotal: 20, bytesDone: 100, bytesTotal: 1000), 60.0,
         "transform  10/20 documents  0.2 documents/s  0.0 MB/s  ETA 9:00"),                          // ETA from bytes
        (ProgressEvent(stage: "transform", unit: "documents", itemsDone: 20, itemsTotal: 20, bytesDone: 1000, bytesTotal: 1000, finished: true), 4000.0,
         "transform  20/20 documents  0.0 documents/s  0.0 MB/s  done in 4000.0 s"),
        (ProgressEvent(stage: "extract", unit: "files", itemsDone: 0), 0.0, "extract    0 files"),     // nothing yet
    ])
    func rendersRatesAndTimeLeft(_ event: ProgressEvent, _ elapsed: Double, _ expected: String) {
        #expect(ProgressDisplay.render(event, elapsed: elapsed) == expected)
    }

    /// Extract and transform report through the handler they are given, ending with a finished event.
    @Test func stagesReportTheirProgress() throws {
        try withTemporaryDirectory { directory in
            let input = directory.appendingPathComponent("in/wire")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            for index in 0..<5 {
                try "خبر رقم \(index)\n\nنص الخبر رقم \(index) عن مقتل شخص.\n".write(to: input.appendingPathComponent("\(index).txt"), atomically: true, encoding: .utf8)
            }
            let run = directory.appendingPathComponent("run")
            let extractEvents = EventLog()
            let summary = try Extractor(logger: TestPostgres.quietLogger).run(ExtractRequest(
                inputs: [directory.appendingPathComponent("in")], runDirectory: run, batchSize: 1, progress: extractEvents.handler))
            let last = try #require(extractEvents.all.last)
            #expect(last == ProgressEvent(stage: "extract", unit: "files", itemsDone: 5, bytesDone: summary.bytesRead, finished: true))
            #expect(extractEvents.all.count <= 6, "throttled: \(extractEvents.all.count)")

            let transformEvents = EventLog()
            let configuration = try TransformConfiguration.load(from: TestPostgres.repositoryRoot.appendingPathComponent("config"))
            _ = try Transformer(configuration: configuration, logger: TestPostgres.quietLogger).run(runDirectory: run, progress: transformEvents.handler)
            let final = try #require(transformEvents.all.last)
            #expect(final.finished && final.stage == "transform" && final.itemsDone == 5 && final.itemsTotal == 5, "\(final)")
            #expect(final.bytesDone == summary.bytesRead && final.bytesTotal == summary.bytesRead)
        }
    }
}
