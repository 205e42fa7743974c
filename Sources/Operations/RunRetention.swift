public import Foundation

/// Which run directories to keep and which to remove: the most recent `keep` runs stay, older ones go.
///
/// Only folders holding a `run.json` count as run directories; anything else under the runs directory is left
/// alone. The most recent run is always kept, whatever `keep` says, and so is a run whose `run.json` says it
/// is still running, unless it started more than a day ago (a crash left it so).
public struct RunRetention: Sendable {
    /// A run directory found under the runs directory.
    public struct RunDirectory: Sendable, Equatable {
        public var url: URL
        public var runID: String
        /// `status` from its run.json (`running`, `succeeded`, `failed`, …); nil when unreadable.
        public var status: String?
        /// `startedAt` from its run.json, else the run.json's modification time.
        public var startedAt: Date?
    }

    /// What a collection would do.
    public struct Plan: Sendable, Equatable {
        /// Run directories to remove, oldest first.
        public var remove: [RunDirectory] = []
        /// Run directories kept, newest first.
        public var keep: [RunDirectory] = []
        /// Older run directories kept anyway, with the reason.
        public var spared: [(RunDirectory, String)] = []

        public static func == (lhs: Plan, rhs: Plan) -> Bool {
            lhs.remove == rhs.remove && lhs.keep == rhs.keep && lhs.spared.map(\.0) == rhs.spared.map(\.0) && lhs.spared.map(\.1) == rhs.spared.map(\.1)
        }
    }

    /// How long a `running` run is presumed alive.
    public static let runningGrace: TimeInterval = 24 * 3600

    public var runsDirectory: URL
    /// Runs to keep (at least one: the most recent is never removed).
    public var keep: Int

    public init(runsDirectory: URL, keep: Int) {
        self.runsDirectory = runsDirectory
        self.keep = keep
    }

    /// The run directories under ``runsDirectory``, newest first (run ids sort by their start time).
    public func runDirectories() throws -> [RunDirectory] {
        guard FileManager.default.fileExists(atPath: runsDirectory.path) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)
        var runs: [RunDirectory] = []
        for name in names.sorted(by: >) {
            let url = runsDirectory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            let summary = url.appendingPathComponent("run.json")
            // Not a symbolic link to elsewhere: removing it would remove someone else's folder.
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == nil,
                  FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                  FileManager.default.fileExists(atPath: summary.path) else { continue }
            var run = RunDirectory(url: url, runID: name)
            if let data = FileManager.default.contents(atPath: summary.path),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                run.status = object["status"] as? String
                run.startedAt = (object["startedAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
            }
            if run.startedAt == nil {
                run.startedAt = (try? FileManager.default.attributesOfItem(atPath: summary.path))?[.modificationDate] as? Date
            }
            runs.append(run)
        }
        return runs
    }

    /// What ``collect(dryRun:now:)`` removes, without removing anything.
    public func plan(now: Date = Date()) throws -> Plan {
        var plan = Plan()
        for (index, run) in try runDirectories().enumerated() {
            if index < max(1, keep) {
                plan.keep.append(run)
            } else if run.status == "running", let started = run.startedAt, now.timeIntervalSince(started) < Self.runningGrace {
                plan.spared.append((run, "still running (started less than a day ago)"))
            } else if run.status == nil {
                plan.spared.append((run, "run.json unreadable"))
            } else {
                plan.remove.insert(run, at: 0)
            }
        }
        return plan
    }

    /// Removes the run directories the plan names (none when `dryRun`).
    ///
    /// - Returns: the plan carried out.
    /// - Throws: the file system's error for a folder that cannot be removed (the ones before it are gone).
    @discardableResult
    public func collect(dryRun: Bool, now: Date = Date()) throws -> Plan {
        let plan = try plan(now: now)
        if !dryRun {
            for run in plan.remove { try FileManager.default.removeItem(at: run.url) }
        }
        return plan
    }
}
