public import Foundation
public import Logging

/// A PostgreSQL cluster in a local directory, created with `initdb` and run with `pg_ctl`, reachable only
/// through a Unix socket (no TCP port is opened).
///
/// Layout under ``directory``: `data/` (the cluster), `socket/` (the server's socket), `postgres.log`.
/// When the process runs as root, the server binaries run as the `postgres` user (they refuse to run as root)
/// and those files are owned by that user.
public struct PostgresCluster: Sendable {
    /// The directory holding everything of this cluster.
    public let directory: URL
    /// The socket's port number (it only names the socket file; nothing listens on TCP).
    public let port: Int
    /// The superuser `initdb` creates, and the user to connect as.
    public let superuser: String
    /// Extra server settings passed at start (e.g. `fsync=off` for throwaway test clusters).
    public var serverSettings: [String: String]
    let binaries: PostgresServerBinaries
    let runAs: String?

    public init(
        directory: URL, port: Int = 5432, superuser: String = "bayan", serverSettings: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PostgresClusterError) {
        self.directory = directory.standardizedFileURL
        self.port = port
        self.superuser = superuser
        self.serverSettings = serverSettings
        self.binaries = try PostgresServerBinaries.locate(environment: environment)
        self.runAs = geteuid() == 0 ? "postgres" : nil
    }

    public var dataDirectory: URL { directory.appendingPathComponent("data") }
    public var logFile: URL { directory.appendingPathComponent("postgres.log") }
    /// The `pg_ctl` program this cluster is managed with.
    public var pgCtlPath: String { binaries.pgCtl.path }

    /// Where the server puts its socket: `socket/` in the cluster directory, or a short directory under
    /// `/tmp` derived from it when that path would exceed the 107-byte limit of a Unix socket address.
    public var socketDirectory: URL {
        let local = directory.appendingPathComponent("socket")
        if local.path.utf8.count + "/.s.PGSQL.\(port)".utf8.count < 100 { return local }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in directory.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return URL(fileURLWithPath: "/tmp/bayan-socket-\(String(hash, radix: 16))")
    }

    /// A libpq URL for a database of this cluster: `postgresql://bayan@/NAME?host=SOCKETDIR&port=PORT`.
    public func url(database: String) -> String {
        let host = socketDirectory.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? socketDirectory.path
        return "postgresql://\(superuser)@/\(database)?host=\(host)&port=\(port)"
    }

    /// Whether `initdb` has already run here.
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    /// Runs `initdb` unless the cluster exists: UTF-8, C collation, trust for local socket connections only.
    public func initialize(logger: Logger) throws(PostgresClusterError) {
        if isInitialized { return }
        try makeDirectory(directory)
        try makeDirectory(dataDirectory, mode: 0o700)
        logger.info("creating PostgreSQL cluster", metadata: ["db.data": "\(dataDirectory.path)"])
        do {
            try run(binaries.initdb, [
                "-D", dataDirectory.path, "-U", superuser, "--encoding=UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=reject", "--no-instructions",
            ])
        } catch {
            if let runAs, case .commandFailed(let command, let status, let output) = error, output.contains("Permission denied") {
                throw .commandFailed(command: command, status: status, output: output
                    + "\n(the server runs as the '\(runAs)' user, which must be able to enter every folder above \(directory.path))")
            }
            throw error
        }
    }

    /// Starts the server and waits until it accepts connections. Does nothing when it already runs.
    public func start(logger: Logger) throws(PostgresClusterError) {
        guard isInitialized else { throw .notInitialized(directory: directory.path) }
        if try isRunning() { return }
        try makeDirectory(socketDirectory, mode: 0o700)
        // pg_ctl hands these options to the server through /bin/sh: every value is quoted for it, so a
        // folder with a space or a quote in its name stays one argument (unquoted, the server did not start).
        var options = ["-c listen_addresses=''", "-k \(Self.shellQuoted(socketDirectory.path))", "-p \(port)"]
        for (key, value) in serverSettings.sorted(by: { $0.key < $1.key }) { options.append("-c \(Self.shellQuoted("\(key)=\(value)"))") }
        logger.info("starting PostgreSQL", metadata: ["db.data": "\(dataDirectory.path)", "db.socket": "\(socketDirectory.path)"])
        do {
            try run(binaries.pgCtl, ["-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60",
                                     "-o", options.joined(separator: " "), "start"])
        } catch {
            if case .commandFailed(let command, let status, let output) = error {
                throw .commandFailed(command: command, status: status, output: output + tailOfLog())
            }
            throw error
        }
    }

    /// `text` in single quotes for /bin/sh, each `'` written `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Stops the server (`fast`: active sessions are rolled back) and waits for it to exit.
    public func stop(logger: Logger, mode: String = "fast") throws(PostgresClusterError) {
        guard isInitialized, try isRunning() else { return }
        logger.info("stopping PostgreSQL", metadata: ["db.data": "\(dataDirectory.path)"])
        try run(binaries.pgCtl, ["-D", dataDirectory.path, "-m", mode, "-w", "-t", "60", "stop"])
    }

    /// Whether the server of this cluster is running.
    public func isRunning() throws(PostgresClusterError) -> Bool {
        guard isInitialized else { return false }
        do {
            try run(binaries.pgCtl, ["-D", dataDirectory.path, "status"])
            return true
        } catch {
            if case .commandFailed(_, let status, _) = error, status == 3 { return false }
            throw error
        }
    }

    // MARK: - Processes and files

    func makeDirectory(_ url: URL, mode: Int = 0o755) throws(PostgresClusterError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
            if let runAs {
                guard let user = getpwnam(runAs) else { throw PostgresClusterError.missingUser(runAs) }
                guard chown(url.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                    throw PostgresClusterError.fileSystem(path: url.path, reason: String(cString: strerror(errno)))
                }
            }
        } catch let error as PostgresClusterError {
            throw error
        } catch {
            throw .fileSystem(path: url.path, reason: "\(error)")
        }
    }

    func tailOfLog() -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return "\n--- last lines of \(logFile.path) ---\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    struct CommandFailure: Error { var status: Int32; var output: String }

    /// Runs a server binary (as the `postgres` user when root), returns its output, throws on non-zero exit.
    @discardableResult
    func run(_ executable: URL, _ arguments: [String]) throws(PostgresClusterError) -> String {
        do {
            return try runProcess(executable, arguments)
        } catch {
            throw .commandFailed(command: ([executable.lastPathComponent] + arguments).joined(separator: " "),
                                 status: error.status, output: error.output)
        }
    }

    func runProcess(_ executable: URL, _ arguments: [String]) throws(CommandFailure) -> String {
        // Started from `/`, which the `postgres` user can always enter (the caller's directory may be private).
        let program: [String] = if let runAs {
            ["/usr/sbin/runuser", "-u", runAs, "--", executable.path] + arguments
        } else {
            [executable.path] + arguments
        }
        let argv = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\""] + program
        // Output goes to a file, and the exit is awaited with waitpid on the child alone: `pg_ctl start` leaves a
        // server running that inherits the child's descriptors, so waiting for a pipe (or Foundation's Process,
        // which watches a socket the server would inherit) to close would wait for the server to stop.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-pg-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        let status = spawnAndWait(argv, outputPath: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        switch status {
        case .success(0): return text
        case .success(let code): throw CommandFailure(status: code, output: text)
        case .failure(let reason): throw CommandFailure(status: -1, output: "could not run \(argv[0]): \(reason)")
        }
    }
}

/// Why a local cluster could not be created, started or stopped.
public enum PostgresClusterError: Error, CustomStringConvertible, Sendable {
    case serverNotInstalled(searched: [String])
    case missingUser(String)
    case notInitialized(directory: String)
    case commandFailed(command: String, status: Int32, output: String)
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case .serverNotInstalled(let searched):
            return "the PostgreSQL server programs (initdb, pg_ctl, postgres) were not found (searched: "
                + searched.joined(separator: ", ")
                + "). Install them (Debian/Ubuntu: apt-get install postgresql), set BAYAN_PG_BINDIR to their folder, "
                + "or point Bayan at an existing database with --database or DATABASE_URL"
        case .missingUser(let name):
            return "running as root, but there is no '\(name)' user to run the PostgreSQL server as "
                + "(the server refuses to run as root; installing the postgresql package creates that user)"
        case .notInitialized(let directory):
            return "no PostgreSQL cluster in \(directory) (it is created by 'bayan db start' or the first run)"
        case .commandFailed(let command, let status, let output):
            return "\(command) failed (exit status \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .fileSystem(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}

/// Where the PostgreSQL server programs are.
struct PostgresServerBinaries: Sendable {
    let directory: URL
    var initdb: URL { directory.appendingPathComponent("initdb") }
    var pgCtl: URL { directory.appendingPathComponent("pg_ctl") }

    /// `BAYAN_PG_BINDIR`, then Debian's `/usr/lib/postgresql/<newest>/bin`, then `PATH`, then `/usr/local/pgsql/bin`.
    static func locate(environment: [String: String], debianRoot: String = "/usr/lib/postgresql") throws(PostgresClusterError) -> PostgresServerBinaries {
        var candidates: [String] = []
        if let explicit = environment["BAYAN_PG_BINDIR"], !explicit.isEmpty { candidates.append(explicit) }
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: debianRoot) {
            for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
                candidates.append("\(debianRoot)/\(version)/bin")
            }
        }
        candidates += (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        candidates.append("/usr/local/pgsql/bin")
        for candidate in candidates {
            let fileManager = FileManager.default
            if ["initdb", "pg_ctl", "postgres"].allSatisfy({ fileManager.isExecutableFile(atPath: "\(candidate)/\($0)") }) {
                return PostgresServerBinaries(directory: URL(fileURLWithPath: candidate).resolvingSymlinksInPath())
            }
        }
        throw .serverNotInstalled(searched: candidates.isEmpty ? ["PATH"] : candidates)
    }
}

/// Runs a program to completion without pipes: stdin from /dev/null, stdout and stderr to files, and the
/// exit awaited with `waitpid` on that process alone, so a server it leaves running (which inherits its
/// descriptors) cannot make the wait last as long as the server.
public enum ChildProcess {
    /// What a finished program left.
    public struct Outcome: Sendable {
        /// Exit status, or 128 + signal number when a signal ended it.
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// The child's peak resident set in KiB (`ru_maxrss`), when it was waited for here.
        public var peakResidentKB: Int?

        public init(status: Int32, standardOutput: String, standardError: String) {
            self.status = status
            self.standardOutput = standardOutput
            self.standardError = standardError
        }
    }

    /// Runs `argv` (the program path first) in `workingDirectory` with `environment`.
    public static func run(_ argv: [String], environment: [String: String]? = nil, workingDirectory: String = "/") throws -> Outcome {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("bayan-child-\(UUID().uuidString)").path
        let outPath = base + ".out", errPath = base + ".err"
        defer { unlink(outPath); unlink(errPath) }
        let wrapped = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory] + argv
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var peak = 0
        let status = try spawnAndWait(wrapped, environment: env, outputPath: outPath, errorPath: errPath, peakResidentKB: &peak).get()
        var outcome = Outcome(status: status,
                              standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                              standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        outcome.peakResidentKB = peak
        return outcome
    }
}

private func spawnAndWait(_ argv: [String], environment: [String]?, outputPath: String, errorPath: String?,
                          peakResidentKB: UnsafeMutablePointer<Int>? = nil) -> Result<Int32, SpawnFailure> {
    var fileActions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fileActions)
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&fileActions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if let errorPath {
        posix_spawn_file_actions_addopen(&fileActions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    } else {
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)
    }
    var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cArguments.append(nil)
    defer { for pointer in cArguments { free(pointer) } }
    var cEnvironment: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
    defer { for pointer in cEnvironment ?? [] { free(pointer) } }
    var pid: pid_t = 0
    let spawned: Int32 = if cEnvironment != nil {
        posix_spawn(&pid, argv[0], &fileActions, nil, cArguments, &cEnvironment!)
    } else {
        posix_spawn(&pid, argv[0], &fileActions, nil, cArguments, environ)
    }
    guard spawned == 0 else { return .failure(SpawnFailure(reason: String(cString: strerror(spawned)))) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 {
        guard errno == EINTR else { return .failure(SpawnFailure(reason: String(cString: strerror(errno)))) }
    }
    peakResidentKB?.pointee = Int(usage.ru_maxrss)
    // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
    if status & 0x7f == 0 { return .success((status >> 8) & 0xff) }
    return .success(128 + (status & 0x7f))
}

private func spawnAndWait(_ argv: [String], outputPath: String) -> Result<Int32, SpawnFailure> {
    spawnAndWait(argv, environment: nil, outputPath: outputPath, errorPath: nil)
}

struct SpawnFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
