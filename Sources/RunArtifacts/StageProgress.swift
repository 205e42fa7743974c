/// How far a stage has got, for a progress display.
///
/// Extract counts files and the bytes read from disk; transform counts documents and the bytes of the files
/// they came from. Totals are known when the stage knows them up front (transform, or extract over a
/// `--files-from` list) and `nil` otherwise.
public struct ProgressEvent: Sendable, Equatable {
    /// The stage reporting: `extract` or `transform`.
    public var stage: String
    /// What ``itemsDone`` counts: `files` or `documents`.
    public var unit: String
    public var itemsDone: Int
    public var itemsTotal: Int?
    public var bytesDone: Int
    public var bytesTotal: Int?
    /// The stage's last event: the counts are final.
    public var finished: Bool

    public init(stage: String, unit: String, itemsDone: Int, itemsTotal: Int? = nil, bytesDone: Int = 0,
                bytesTotal: Int? = nil, finished: Bool = false) {
        self.stage = stage
        self.unit = unit
        self.itemsDone = itemsDone
        self.itemsTotal = itemsTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.finished = finished
    }
}

/// Receives a stage's progress; called on the stage's own thread, a few times a second at most.
public typealias ProgressHandler = @Sendable (ProgressEvent) -> Void

/// Lets through at most one progress event per `interval`, and always the last one.
///
/// Stages offer an event after every file or batch; the throttle keeps a display from being redrawn (and a
/// handler from being called) thousands of times a second.
public struct ProgressThrottle: Sendable {
    /// Seconds between two events let through (default 0.25: four updates a second).
    public let interval: Double
    private let clock: @Sendable () -> Double
    private var lastReport: Double?

    /// - Parameters:
    ///   - interval: the shortest time between two events let through, in seconds.
    ///   - clock: the current time in seconds (monotonic by default; tests pass their own).
    public init(interval: Double = 0.25, clock: @escaping @Sendable () -> Double = ProgressThrottle.monotonicSeconds) {
        self.interval = interval
        self.clock = clock
    }

    /// Whether to report now: the first event, a final one, or one at least ``interval`` after the last
    /// reported event.
    public mutating func shouldReport(finished: Bool = false) -> Bool {
        let now = clock()
        if !finished, let lastReport, now - lastReport < interval { return false }
        lastReport = now
        return true
    }

    /// Seconds on a monotonic clock (since an arbitrary start).
    @Sendable public static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - processStart
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let processStart = ContinuousClock.now
}

/// A stage's handler behind a throttle: what extract and transform hold while they run.
public struct ProgressReporter: Sendable {
    private let handler: ProgressHandler?
    private var throttle: ProgressThrottle

    public init(handler: ProgressHandler?, throttle: ProgressThrottle = ProgressThrottle()) {
        self.handler = handler
        self.throttle = throttle
    }

    /// Sends `event` when the throttle lets it through (a finished event always goes through).
    public mutating func report(_ event: ProgressEvent) {
        guard let handler, throttle.shouldReport(finished: event.finished) else { return }
        handler(event)
    }
}
