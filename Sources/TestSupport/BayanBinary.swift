public import Foundation
public import PostgresCluster

/// The built `bayan` executable, for tests that run it as a user would.
public enum BayanBinary {
    /// The executable beside the test bundle (`swift test` builds both into the same folder).
    public static func locate() throws -> URL {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("bayan"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("bayan"))
        candidates.append(TestPostgres.repositoryRoot.appendingPathComponent(".build/debug/bayan"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw BinaryNotFound(searched: candidates.map(\.path))
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "the bayan executable was not built (searched \(searched.joined(separator: ", ")))" }
    }

    /// The test process's environment without anything that would point `bayan` elsewhere (database, log and
    /// settings variables), plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in ["DATABASE_URL", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGPASSWORD"] {
            env[key] = nil
        }
        // Bayan's own settings too (BAYAN_LOG_LEVEL, BAYAN_RUNS_DIR, …), but not where the server programs are.
        for key in env.keys where key.hasPrefix("BAYAN_") && key != "BAYAN_PG_BINDIR" { env[key] = nil }
        env["BAYAN_HOME"] = TestPostgres.repositoryRoot.path
        env.merge(extra) { $1 }
        return env
    }

    /// Runs `bayan` with `arguments` in `workingDirectory`; the environment is the test process's with
    /// database variables and Bayan's settings removed (so nothing leaks in from the machine), plus `environment`.
    ///
    /// - Parameter argv: a whole command line to run instead of `bayan arguments` (e.g. a shell pipeline), with
    ///   the same environment.
    public static func run(_ arguments: [String], environment: [String: String] = [:], workingDirectory: URL,
                           argv: [String]? = nil) throws -> ChildProcess.Outcome {
        let env = Self.environment(environment)
        return try ChildProcess.run(argv ?? [try locate().path] + arguments, environment: env, workingDirectory: workingDirectory.path)
    }
}

/// A temporary directory removed when the closure returns.
public func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// A `bayan` process running in the background, for tests that stop it from outside (a signal, a kill -9).
public final class BackgroundBayan {
    let process: Process
    let outputURL: URL
    let errorURL: URL

    /// Starts `bayan arguments` with the environment ``BayanBinary/run(_:environment:workingDirectory:argv:)``
    /// uses; stdout and stderr go to files (read by ``wait()``).
    public init(_ arguments: [String], environment: [String: String] = [:], workingDirectory: URL) throws {
        let env = BayanBinary.environment(environment)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-background-\(UUID().uuidString)")
        outputURL = base.appendingPathExtension("out")
        errorURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        process = Process()
        process.executableURL = try BayanBinary.locate()
        process.arguments = arguments
        process.environment = env
        process.currentDirectoryURL = workingDirectory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputURL)
        try? FileManager.default.removeItem(at: errorURL)
    }

    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGKILL, SIGTERM, SIGINT) to the process.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to end; the status is 128 + the signal number when a signal ended it.
    public func wait() -> ChildProcess.Outcome {
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ChildProcess.Outcome(status: status,
                                    standardOutput: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "",
                                    standardError: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
    }
}
