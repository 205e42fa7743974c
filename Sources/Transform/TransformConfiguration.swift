import ArabicText
import Crypto
import RunArtifacts
public import Foundation
import Yams

/// The settings transform works from: the boilerplate list and the theme lexicon, read from `config/`.
public struct TransformConfiguration: Sendable {
    public var boilerplate: BoilerplateList
    public var themes: ThemeLexicon
    /// MinHash similarity at or above which a document is linked as a near-duplicate of an earlier one
    /// (`duplicates.near_threshold` in `transform.yaml`; default 0.8).
    public var nearDuplicateThreshold: Double
    /// Sentences with more words are flagged over-long (`sentences.max_words`; default 120).
    public var maxSentenceWords: Int
    /// SHA-256 (hex) of the configuration files' bytes, recorded with the run.
    public var hash: String

    public init(boilerplate: BoilerplateList, themes: ThemeLexicon, hash: String, nearDuplicateThreshold: Double = 0.8,
                maxSentenceWords: Int = 120) {
        self.boilerplate = boilerplate
        self.themes = themes
        self.hash = hash
        self.nearDuplicateThreshold = nearDuplicateThreshold
        self.maxSentenceWords = maxSentenceWords
    }

    /// The files read from a configuration folder (and `transform.yaml`, when present).
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
        // transform.yaml is optional: without it the defaults hold.
        var nearThreshold = 0.8
        var maxSentenceWords = 120
        let settingsURL = directory.appendingPathComponent("transform.yaml")
        if let data = FileManager.default.contents(atPath: settingsURL.path) {
            let file = settingsURL.path
            guard let text = String(data: data, encoding: .utf8) else { throw ConfigurationError(file: file, reason: "not valid UTF-8") }
            hasher.update(data: Data("transform.yaml".utf8))
            hasher.update(data: data)
            let document = try YAMLDocument.load(text, file: file)
            let unknown = Set(document.keys).subtracting(["version", "duplicates", "sentences"])
            if !unknown.isEmpty { throw ConfigurationError(file: file, reason: "unknown keys: \(unknown.sorted().joined(separator: ", "))") }
            if let section = document["duplicates"] {
                guard let mapping = section as? [String: Any], Set(mapping.keys).isSubset(of: ["near_threshold"]) else {
                    throw ConfigurationError(file: file, reason: "'duplicates' takes near_threshold only")
                }
                if let value = mapping["near_threshold"] {
                    let number = (value as? Double) ?? (value as? Int).map(Double.init)
                    guard let number, number > 0, number <= 1 else {
                        throw ConfigurationError(file: file, reason: "duplicates.near_threshold must be a number in (0, 1]")
                    }
                    nearThreshold = number
                }
            }
            if let section = document["sentences"] {
                guard let mapping = section as? [String: Any], Set(mapping.keys).isSubset(of: ["max_words"]) else {
                    throw ConfigurationError(file: file, reason: "'sentences' takes max_words only")
                }
                if let value = mapping["max_words"] {
                    guard let number = value as? Int, number >= 1 else {
                        throw ConfigurationError(file: file, reason: "sentences.max_words must be a whole number ≥ 1")
                    }
                    maxSentenceWords = number
                }
            }
        }
        let hash = hasher.finalize().lowercaseHex
        let boilerplate = try BoilerplateList.parse(yaml: contents["boilerplate.yaml"]!, file: directory.appendingPathComponent("boilerplate.yaml").path)
        let themes = try ThemeLexicon.parse(yaml: contents["themes.yaml"]!, file: directory.appendingPathComponent("themes.yaml").path, version: String(hash.prefix(16)))
        return TransformConfiguration(boilerplate: boilerplate, themes: themes, hash: hash, nearDuplicateThreshold: nearThreshold,
                                      maxSentenceWords: maxSentenceWords)
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
