import Synchronization
import Testing
@testable import Transform

/// The mapper behind transform's threads: whatever the number of threads and the chunks, every chunk is consumed
/// once, in the order submitted, with the outputs of its own items; a consumer's error stops it.
@Suite struct OrderedChunkMapperTests {
    struct Stop: Error {}

    @Test(arguments: [1, 2, 3, 8])
    func chunksAreConsumedInOrderWithTheirOwnOutputs(jobs: Int) throws {
        let chunkSizes = [1, 5, 64, 0, 7, 1, 200, 3]
        var next = 0
        let chunks = chunkSizes.map { size in
            defer { next += size }
            return Array(next..<next + size)
        }
        let mapped = Mutex(0)
        var consumed: [[Int]] = []
        var outputs: [[String]] = []
        let mapper = OrderedChunkMapper<Int, String>(jobs: jobs, map: { item in
            mapped.withLock { $0 += 1 }
            return "item \(item)"
        }) { chunk, results in
            consumed.append(chunk)
            outputs.append(results)
        }
        for chunk in chunks { try mapper.submit(chunk) }
        try mapper.finish()
        #expect(consumed == chunks.filter { !$0.isEmpty })
        #expect(outputs == consumed.map { $0.map { "item \($0)" } })
        #expect(mapped.withLock { $0 } == next, "each item mapped once")
        try mapper.finish()
        #expect(consumed.count == chunks.filter { !$0.isEmpty }.count, "a second finish consumes nothing again")
    }

    @Test(arguments: [1, 2, 4])
    func aConsumersErrorStopsTheMapper(jobs: Int) throws {
        var consumed: [[Int]] = []
        let mapper = OrderedChunkMapper<Int, Int>(jobs: jobs, map: { $0 * 2 }) { chunk, _ in
            if chunk.first == 10 { throw Stop() }
            consumed.append(chunk)
        }
        #expect(throws: Stop.self) {
            for start in stride(from: 0, to: 50, by: 10) { try mapper.submit(Array(start..<start + 10)) }
            try mapper.finish()
        }
        #expect(consumed == [Array(0..<10)], "nothing after the chunk whose consumer threw")
    }
}
