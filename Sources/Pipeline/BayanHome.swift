public import Foundation

/// Where Bayan's shipped files are: `sql/migrations/` and `config/`.
///
/// Found, in order: `BAYAN_HOME`; the working directory; the folders above the running executable (so the
/// built binary, e.g. `.build/debug/bayan`, finds the checkout it was built from wherever cron starts it).
public struct BayanHome: Sendable {
    public var root: URL
    public var migrationsDirectory: URL { root.appendingPathComponent("sql/migrations") }
    public var defaultConfigDirectory: URL { root.appendingPathComponent("config") }

    public init(root: URL) { self.root = root }

    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    ) throws(BayanHomeError) -> BayanHome {
        var candidates: [URL] = []
        if let home = environment["BAYAN_HOME"], !home.isEmpty { candidates.append(URL(fileURLWithPath: home)) }
        candidates.append(currentDirectory)
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            candidates.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("sql/migrations").path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return BayanHome(root: candidate.standardizedFileURL)
            }
        }
        throw BayanHomeError(searched: candidates.map(\.path))
    }
}

public struct BayanHomeError: Error, CustomStringConvertible {
    public var searched: [String]
    public var description: String {
        "cannot find Bayan's sql/migrations folder (searched \(searched.prefix(4).joined(separator: ", "))…); "
            + "run from the Bayan checkout or set BAYAN_HOME to it"
    }
}
