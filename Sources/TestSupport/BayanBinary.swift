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

    /// Runs `bayan` with `arguments` in `workingDirectory`; the environment is the test process's with
    /// database variables and Bayan's settings removed (so nothing leaks in from the machine), plus `environment`.
    ///
    /// - Parameter argv: a whole command line to run instead of `bayan arguments` (e.g. a shell pipeline), with
    ///   the same environment.
    public static func run(_ arguments: [String], environment: [String: String] = [:], workingDirectory: URL,
                           argv: [String]? = nil) throws -> ChildProcess.Outcome {
        var env = ProcessInfo.processInfo.environment
        for key in ["DATABASE_URL", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGPASSWORD"] {
            env[key] = nil
        }
        // Bayan's own settings too (BAYAN_LOG_LEVEL, BAYAN_RUNS_DIR, …), but not where the server programs are.
        for key in env.keys where key.hasPrefix("BAYAN_") && key != "BAYAN_PG_BINDIR" { env[key] = nil }
        env["BAYAN_HOME"] = TestPostgres.repositoryRoot.path
        env.merge(environment) { $1 }
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
