import Synchronization

/// A request to stop (SIGINT or SIGTERM), seen by every stage at its next safe point: between files in
/// extract, between documents in transform, between batches in load. The work in flight is dropped (a load
/// batch rolls back), the ledger says "interrupted", and the command exits non-zero.
public enum Interruption {
    private static let received = Atomic<Int32>(0)
    private static let handler = Mutex<(@Sendable () -> Void)?>(nil)

    /// The signal received, if any.
    public static var signal: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Records `signal` (the first one wins) and runs the registered handler, e.g. to cancel the statement a
    /// database connection is waiting on.
    public static func request(signal: Int32) {
        _ = received.compareExchange(expected: 0, desired: signal, ordering: .acquiringAndReleasing)
        let current = handler.withLock { $0 }
        current?()
    }

    /// Sets (or clears) what runs when a stop is requested.
    public static func onRequest(_ body: (@Sendable () -> Void)?) {
        handler.withLock { $0 = body }
    }

    /// Throws ``InterruptedError`` when a stop was requested.
    public static func check() throws(InterruptedError) {
        if let signal { throw InterruptedError(signal: signal) }
    }

    /// Forgets a request (for tests that interrupt more than once in one process).
    public static func reset() {
        received.store(0, ordering: .releasing)
    }
}

/// The run stopped because a stop was requested.
public struct InterruptedError: Error, CustomStringConvertible, Sendable {
    public var signal: Int32

    public init(signal: Int32) { self.signal = signal }

    public var signalName: String {
        switch signal {
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    /// The shell's convention: 128 + the signal number (130 for SIGINT, 143 for SIGTERM).
    public var exitCode: Int32 { 128 + signal }

    public var description: String { "interrupted by \(signalName); the work in flight was rolled back" }
}
