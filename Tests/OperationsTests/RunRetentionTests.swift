import Foundation
import Operations
import Testing
import TestSupport

@Suite struct RunRetentionTests {
    static let now = Date(timeIntervalSince1970: 1_795_401_001)

    /// Makes a run directory whose run.json has `status` and started `age` seconds before ``now``.
    func makeRun(_ runs: URL, _ name: String, status: String, age: TimeInterval) throws {
        let directory = runs.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("extract"), withIntermediateDirectories: true)
        try "x\n".write(to: directory.appendingPathComponent("extract/documents.tsv"), atomically: true, encoding: .utf8)
        let started = ISO8601DateFormatter().string(from: Self.now.addingTimeInterval(-age))
        try #"{"runID": "\#(name)", "status": "\#(status)", "startedAt": "\#(started)"}"#
            .write(to: directory.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
    }

    /// A runs directory: five runs (oldest first), a folder without run.json, a stray file.
    func makeRuns(_ directory: URL) throws -> URL {
        let runs = directory.appendingPathComponent("runs")
        try makeRun(runs, "20261101T023000Z-0001", status: "succeeded", age: 22 * 86400)
        try makeRun(runs, "20261102T023000Z-0002", status: "running", age: 21 * 86400)    // crashed long ago
        try makeRun(runs, "20261103T023000Z-0003", status: "failed", age: 20 * 86400)
        try makeRun(runs, "20261122T230000Z-0004", status: "running", age: 3 * 3600)      // still running
        try makeRun(runs, "20261123T023000Z-0005", status: "succeeded", age: 60)
        try FileManager.default.createDirectory(at: runs.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try "keep me".write(to: runs.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        return runs
    }

    @Test(arguments: [
        // (keep, removed, spared)
        (30, [String](), [String]()),                                                   // fewer runs than kept
        (2, ["0001", "0002", "0003"], [String]()),                                      // the still-running one is among the 2 kept
        (1, ["0001", "0002", "0003"], ["0004"]),                                        // a run started 3 h ago is spared
        (0, ["0001", "0002", "0003"], ["0004"]),                                        // the most recent is always kept
    ])
    func keepsTheMostRecentRuns(keep: Int, removed: [String], spared: [String]) throws {
        try withTemporaryDirectory { directory in
            let runs = try makeRuns(directory)
            let retention = RunRetention(runsDirectory: runs, keep: keep)
            let dry = try retention.collect(dryRun: true, now: Self.now)
            #expect(dry.remove.map { String($0.runID.suffix(4)) } == removed, "keep \(keep)")
            #expect(dry.spared.map { String($0.0.runID.suffix(4)) } == spared)
            #expect(try retention.runDirectories().count == 5, "a dry run removes nothing")

            let done = try retention.collect(dryRun: false, now: Self.now)
            #expect(done == dry)
            let left = try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted()
            let expected = (["README.txt", "notes"] + ["0001", "0002", "0003", "0004", "0005"].filter { !removed.contains($0) }
                .map { suffix in try! retention.runDirectories().first { $0.runID.hasSuffix(suffix) }!.runID }).sorted()
            #expect(left == expected)
            #expect(left.contains("20261123T023000Z-0005"), "never the most recent run")
        }
    }

    @Test func aMissingRunsDirectoryHasNothingToCollect() throws {
        let plan = try RunRetention(runsDirectory: URL(fileURLWithPath: "/nonexistent/runs"), keep: 1).collect(dryRun: false)
        #expect(plan.remove.isEmpty && plan.keep.isEmpty)
    }

    @Test func anUnreadableRunJSONIsSpared() throws {
        try withTemporaryDirectory { directory in
            let runs = try makeRuns(directory)
            try "{ not json".write(to: runs.appendingPathComponent("20261101T023000Z-0001/run.json"), atomically: true, encoding: .utf8)
            let plan = try RunRetention(runsDirectory: runs, keep: 2).plan(now: Self.now)
            #expect(plan.spared.map(\.1) == ["run.json unreadable"])
            #expect(plan.remove.map(\.runID) == ["20261102T023000Z-0002", "20261103T023000Z-0003"])
        }
    }
}
