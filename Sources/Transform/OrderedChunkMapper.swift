import Dispatch
import Synchronization

/// Maps chunks of items on `jobs` threads while the calling thread goes on reading the next chunk and consuming
/// the results of the one before, in input order: reading and writing the run files overlap with the work on
/// the documents instead of leaving the workers idle. The output does not depend on `jobs`.
///
/// At most three chunks are alive at once: the one the caller fills, the one being mapped, and the one being
/// consumed. With `jobs` 1 nothing runs in the background: each chunk is mapped and consumed on the caller's
/// thread as it is submitted.
final class OrderedChunkMapper<Item: Sendable, Output: Sendable> {
    private let jobs: Int
    private let map: @Sendable (Item) -> Output
    private let consume: ([Item], [Output]) throws -> Void
    private let queue = DispatchQueue(label: "bayan.transform.chunks")
    private var inFlight: (items: [Item], mapped: Mapped)?

    /// One chunk's outputs, once its mapping is done.
    private final class Mapped: Sendable {
        let outputs = Mutex<[Output]>([])
        let group = DispatchGroup()

        func wait() -> [Output] {
            group.wait()
            return outputs.withLock { $0 }
        }
    }

    /// - Parameters:
    ///   - map: what each item becomes; it runs on the worker threads.
    ///   - consume: called on the submitting thread with each chunk and its outputs, in the order submitted.
    init(jobs: Int, map: @escaping @Sendable (Item) -> Output, consume: @escaping ([Item], [Output]) throws -> Void) {
        self.jobs = max(1, jobs)
        self.map = map
        self.consume = consume
    }

    deinit {
        // A consumer that threw leaves a chunk in flight: no work outlives the mapper.
        _ = inFlight?.mapped.wait()
    }

    /// Starts mapping `chunk`, then consumes the chunk submitted before it.
    func submit(_ chunk: [Item]) throws {
        guard !chunk.isEmpty else { return }
        guard jobs > 1 else {
            try consume(chunk, chunk.map(map))
            return
        }
        let mapped = Mapped()
        let jobs = self.jobs, map = self.map
        queue.async(group: mapped.group) {
            let outputs = Self.mapInParallel(chunk, jobs: jobs, map)
            mapped.outputs.withLock { $0 = outputs }
        }
        let previous = inFlight
        inFlight = (chunk, mapped)
        if let previous { try consume(previous.items, previous.mapped.wait()) }
    }

    /// Consumes the last chunk submitted.
    func finish() throws {
        guard let last = inFlight else { return }
        inFlight = nil
        try consume(last.items, last.mapped.wait())
    }

    /// `items` mapped on `jobs` threads, in their order.
    static func mapInParallel(_ items: [Item], jobs: Int, _ map: @Sendable (Item) -> Output) -> [Output] {
        if jobs <= 1 || items.count == 1 { return items.map(map) }
        let outputs = Mutex<[Output?]>(Array(repeating: nil, count: items.count))
        let workers = min(jobs, items.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: items.count, by: workers) {
                let output = map(items[index])
                outputs.withLock { $0[index] = output }
            }
        }
        return outputs.withLock { $0.map { $0! } }
    }
}
