import CLibPQ
import Synchronization

/// Counts the libpq handles alive, so tests can prove every one is freed exactly once.
///
/// Each connection reports to a tracker (the shared one unless a test passes its own), and so does every
/// result it produces.
package final class PostgresHandleTracker: Sendable {
    private let connections = Atomic<Int>(0)
    private let results = Atomic<Int>(0)
    private let resultsCreated = Atomic<Int>(0)

    package init() {}

    /// The tracker of connections opened without one.
    package static let shared = PostgresHandleTracker()

    /// `PGconn` handles not yet passed to `PQfinish`.
    package var liveConnections: Int { connections.load(ordering: .sequentiallyConsistent) }
    /// `PGresult` handles not yet passed to `PQclear`.
    package var liveResults: Int { results.load(ordering: .sequentiallyConsistent) }
    /// `PGresult` handles ever created.
    package var totalResults: Int { resultsCreated.load(ordering: .sequentiallyConsistent) }

    func connectionOpened() { connections.add(1, ordering: .sequentiallyConsistent) }
    func connectionFinished() { connections.subtract(1, ordering: .sequentiallyConsistent) }
    func resultCreated() {
        results.add(1, ordering: .sequentiallyConsistent)
        resultsCreated.add(1, ordering: .sequentiallyConsistent)
    }
    func resultCleared() { results.subtract(1, ordering: .sequentiallyConsistent) }
}

/// Sole owner of a `PGconn*`: the compiler lets it be neither copied nor used after it was consumed, and its
/// `deinit` calls `PQfinish` exactly once.
///
/// - Important: libpq: "Note that even if the server connection attempt fails (as indicated by PQstatus), the
///   application should call PQfinish to free the memory used by the PGconn object. The PGconn pointer must
///   not be used again after PQfinish has been called."
struct ConnectionHandle: ~Copyable {
    let raw: OpaquePointer
    let tracker: PostgresHandleTracker
    /// Receives the server's notices; kept alive for as long as libpq may call back into it.
    let notices: NoticeForwarder?

    init(raw: OpaquePointer, tracker: PostgresHandleTracker, notices: NoticeForwarder?) {
        self.raw = raw
        self.tracker = tracker
        self.notices = notices
        tracker.connectionOpened()
    }

    deinit {
        PQfinish(raw)
        tracker.connectionFinished()
    }
}

/// Sole owner of a `PGresult*`; `deinit` calls `PQclear` exactly once.
///
/// - Important: libpq: "Every command result should be freed via PQclear when it is no longer needed.
///   If you fail to do this, you will have memory leaks in your application."
struct ResultHandle: ~Copyable {
    let raw: OpaquePointer
    let tracker: PostgresHandleTracker

    init(raw: OpaquePointer, tracker: PostgresHandleTracker) {
        self.raw = raw
        self.tracker = tracker
        tracker.resultCreated()
    }

    deinit {
        PQclear(raw)
        tracker.resultCleared()
    }
}
