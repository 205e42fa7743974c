import Foundation
import Operations
import Pipeline
import Synchronization

/// Warnings about the settings file go to stderr once per process, however many times it is read.
private let warned = Mutex(false)

/// The effective settings: `flags` (by setting key) over the environment over the settings file
/// (BAYAN_CONFIG_FILE, else config/bayan.yaml of the Bayan checkout) over the built-in defaults.
///
/// - Throws: ``SettingsError`` naming the file, the key and what is wrong.
func loadSettings(flags: [String: String]) throws -> Settings {
    let environment = ProcessInfo.processInfo.environment
    let file = Settings.defaultFile(configDirectory: (try? BayanHome.locate())?.defaultConfigDirectory, environment: environment)
    let settings = try Settings.load(file: file, required: !(environment["BAYAN_CONFIG_FILE"] ?? "").isEmpty,
                                     environment: environment, flags: flags)
    let first = warned.withLock { warned in
        defer { warned = true }
        return !warned
    }
    if first {
        for warning in settings.warnings { FileHandle.standardError.write(Data("bayan: warning: \(warning)\n".utf8)) }
    }
    return settings
}
