import ArabicText
import Crypto
public import Foundation
import Yams

/// The settings transform works from: the boilerplate list and the theme lexicon, read from `config/`.
public struct TransformConfiguration: Sendable {
    public var boilerplate: BoilerplateList
    public var themes: ThemeLexicon
    /// MinHash similarity at or above which a document is linked as a near-duplicate of an earlier one
    /// (`near_threshold` in `duplicates.yaml`; default 0.8).
    public var nearDuplicateThreshold: Double
    /// SHA-256 (hex) of the configuration files' bytes, recorded with the run.
    public var hash: String

    public init(boilerplate: BoilerplateList, themes: ThemeLexicon, hash: String, nearDuplicateThreshold: Double = 0.8) {
        self.boilerplate = boilerplate
        self.themes = themes
        self.hash = hash
        self.nearDuplicateThreshold = nearDuplicateThreshold
    }

    /// The files read from a configuration folder.
    public static let fileNames = ["boilerplate.yaml", "themes.yaml"]

    /// Reads `boilerplate.yaml` and `themes.yaml` from `directory`.
    ///
    /// - Throws: ``ConfigurationError`` naming the file and what is wrong in it.
    public static func load(from directory: URL) throws(ConfigurationError) -> TransformConfiguration {
        var hasher = SHA256()
        var contents: [String: String] = [:]
        for name in fileNames {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ConfigurationError(file: url.path, reason: "missing or unreadable")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigurationError(file: url.path, reason: "not valid UTF-8")
            }
            hasher.update(data: Data(name.utf8))
            hasher.update(data: data)
            contents[name] = text
        }
        // duplicates.yaml is optional.
        var nearThreshold = 0.8
        let duplicatesURL = directory.appendingPathComponent("duplicates.yaml")
        if let data = FileManager.default.contents(atPath: duplicatesURL.path) {
            guard let text = String(data: data, encoding: .utf8) else { throw ConfigurationError(file: duplicatesURL.path, reason: "not valid UTF-8") }
            hasher.update(data: Data("duplicates.yaml".utf8))
            hasher.update(data: data)
            let document = try YAMLDocument.load(text, file: duplicatesURL.path)
            let unknown = Set(document.keys).subtracting(["version", "near_threshold"])
            if !unknown.isEmpty { throw ConfigurationError(file: duplicatesURL.path, reason: "unknown keys: \(unknown.sorted().joined(separator: ", "))") }
            if let value = document["near_threshold"] {
                let number = (value as? Double) ?? (value as? Int).map(Double.init)
                guard let number, number > 0, number <= 1 else {
                    throw ConfigurationError(file: duplicatesURL.path, reason: "near_threshold must be a number in (0, 1]")
                }
                nearThreshold = number
            }
        }
        let hash = hasher.finalize().hexString
        let boilerplate = try BoilerplateList.parse(yaml: contents["boilerplate.yaml"]!, file: directory.appendingPathComponent("boilerplate.yaml").path)
        let themes = try ThemeLexicon.parse(yaml: contents["themes.yaml"]!, file: directory.appendingPathComponent("themes.yaml").path, version: String(hash.prefix(16)))
        return TransformConfiguration(boilerplate: boilerplate, themes: themes, hash: hash, nearDuplicateThreshold: nearThreshold)
    }
}

/// A configuration file that cannot be used.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
    public var description: String { "\(file): \(reason)" }
}

enum YAMLDocument {
    static func load(_ yaml: String, file: String) throws(ConfigurationError) -> [String: Any] {
        let value: Any?
        do {
            value = try Yams.load(yaml: yaml)
        } catch {
            throw ConfigurationError(file: file, reason: "not valid YAML: \(error)")
        }
        guard let mapping = value as? [String: Any] else {
            throw ConfigurationError(file: file, reason: "the top level must be a mapping")
        }
        return mapping
    }
}
