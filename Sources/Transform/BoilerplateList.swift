import ArabicText
import Crypto
import Foundation
import RunArtifacts

/// Page chrome to remove: whole lines and line prefixes, matched on the normalized line.
public struct BoilerplateList: Sendable {
    /// One configured entry.
    public struct Entry: Sendable, Equatable {
        /// As written in the configuration.
        public var text: String
        /// Normalized for matching.
        public var normalized: String
        /// `line` or `prefix`.
        public var rule: String
        /// SHA-256 (hex) of the normalized text.
        public var hash: String
    }

    public private(set) var entries: [Entry] = []
    /// When repeated head and tail lines are learned as chrome.
    public var learning = ChromeLearningSettings()
    private var lines: [String: Int] = [:]
    private var prefixes: [(normalized: String, index: Int)] = []
    /// The line entries by the bytes of the plain text equal to them (see ``PlainText``), for plain lines.
    private var plainLines: [[UInt8]: Int] = [:]
    /// Whether a key of `plainLines` has this many bytes: most lines of text have a length no entry has, and
    /// are then not copied and hashed to be looked up.
    private var plainLineLengths: [Bool] = []
    /// Whether some line entry has no plain form: a plain line is then also looked up in `lines`.
    private var linesWithoutPlainForm = false
    /// For each of `prefixes`, the bytes of the plain text whose characters equal the prefix's, if any.
    private var plainPrefixes: [[UInt8]?] = []

    public init(lines: [String], prefixes: [String]) {
        let normalizer = ArabicNormalizer()
        for line in lines {
            let normalized = normalizer.normalize(line)
            guard !normalized.isEmpty, self.lines[normalized] == nil else { continue }
            self.lines[normalized] = entries.count
            entries.append(Entry(text: line, normalized: normalized, rule: "line", hash: Self.hash(normalized)))
        }
        for prefix in prefixes {
            let normalized = normalizer.normalize(prefix)
            guard !normalized.isEmpty, !self.prefixes.contains(where: { $0.normalized == normalized }) else { continue }
            self.prefixes.append((normalized, entries.count))
            entries.append(Entry(text: prefix, normalized: normalized, rule: "prefix", hash: Self.hash(normalized)))
        }
        // Longest prefix first, so the most specific rule is the one recorded.
        self.prefixes.sort { $0.normalized.utf8.count > $1.normalized.utf8.count }
        for (line, index) in self.lines {
            if let plain = PlainText.equivalent(of: line) { plainLines[plain] = index } else { linesWithoutPlainForm = true }
        }
        plainLineLengths = Array(repeating: false, count: (plainLines.keys.map(\.count).max() ?? -1) + 1)
        for key in plainLines.keys { plainLineLengths[key.count] = true }
        plainPrefixes = self.prefixes.map { PlainText.equivalent(of: $0.normalized) }
    }

    /// The entry that makes `normalizedLine` boilerplate, if any.
    ///
    /// Lines and entries are compared as `String`s compare (canonical equivalence), which for a plain line
    /// (``PlainText``) is a comparison of bytes with the entries' plain forms: no `String` hashing or
    /// `Character` iteration for the lines of ordinary text.
    public func match(normalizedLine: String) -> Entry? {
        let plain = UTF8Scalars.withUTF8(normalizedLine) { utf8 -> (line: Int?, prefixes: [Int])? in
            guard PlainText.isPlain(utf8) else { return nil }
            let line = utf8.count < plainLineLengths.count && plainLineLengths[utf8.count] ? plainLines[Array(utf8)] : nil
            var prefixes: [Int] = []
            for (position, prefix) in plainPrefixes.enumerated() {
                guard let prefix else {
                    prefixes.append(position)  // compared as strings below
                    continue
                }
                if prefix.count <= utf8.count && prefix.elementsEqual(UnsafeBufferPointer(rebasing: utf8[..<prefix.count])) {
                    prefixes.append(position)
                }
            }
            return (line, prefixes)
        }
        if let plain {
            if let index = plain.line ?? (linesWithoutPlainForm ? lines[normalizedLine] : nil) { return entries[index] }
            if plain.prefixes.isEmpty { return nil }
        } else if let index = lines[normalizedLine] {
            return entries[index]
        }
        for (position, prefix) in prefixes.enumerated()
        where plain.map({ $0.prefixes.contains(position) }) ?? true && normalizedLine.hasPrefix(prefix.normalized) {
            // A prefix ends at a word boundary: "نشر في" removes "نشر في 3 مايو", not "نشر فيديو".
            let rest = normalizedLine.unicodeScalars.dropFirst(prefix.normalized.unicodeScalars.count)
            if let next = rest.first, let last = prefix.normalized.unicodeScalars.last,
               Self.isWordScalar(next), Self.isWordScalar(last) {
                continue
            }
            return entries[prefix.index]
        }
        return nil
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    static func hash(_ normalized: String) -> String {
        SHA256.hash(data: Array(normalized.utf8)).lowercaseHex
    }

    static func parse(yaml: String, file: String) throws(ConfigurationError) -> BoilerplateList {
        let document = try YAMLDocument.load(yaml, file: file)
        func strings(_ key: String) throws(ConfigurationError) -> [String] {
            guard let value = document[key] else { return [] }
            guard let list = value as? [Any] else { throw ConfigurationError(file: file, reason: "'\(key)' must be a list of strings") }
            var result: [String] = []
            for (index, item) in list.enumerated() {
                guard let text = item as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ConfigurationError(file: file, reason: "'\(key)' entry \(index + 1) must be a non-empty string")
                }
                result.append(text)
            }
            return result
        }
        let unknown = Set(document.keys).subtracting(["version", "lines", "prefixes", "learning"])
        if !unknown.isEmpty { throw ConfigurationError(file: file, reason: "unknown keys: \(unknown.sorted().joined(separator: ", "))") }
        var list = BoilerplateList(lines: try strings("lines"), prefixes: try strings("prefixes"))
        if let learning = document["learning"] {
            guard let mapping = learning as? [String: Any] else { throw ConfigurationError(file: file, reason: "'learning' must be a mapping") }
            list.learning = try Self.parseLearning(mapping, file: file)
        }
        return list
    }

    static func parseLearning(_ mapping: [String: Any], file: String) throws(ConfigurationError) -> ChromeLearningSettings {
        var settings = ChromeLearningSettings()
        let known = ["enabled", "min_documents", "min_source_share", "min_source_documents", "edge_lines", "max_words"]
        let unknown = Set(mapping.keys).subtracting(known)
        if !unknown.isEmpty {
            throw ConfigurationError(file: file, reason: "unknown keys in 'learning': \(unknown.sorted().joined(separator: ", ")) (known: \(known.joined(separator: ", ")))")
        }
        func integer(_ key: String, minimum: Int) throws(ConfigurationError) -> Int? {
            guard let value = mapping[key] else { return nil }
            guard let number = value as? Int, number >= minimum else {
                throw ConfigurationError(file: file, reason: "learning.\(key) must be a whole number ≥ \(minimum)")
            }
            return number
        }
        if let value = mapping["enabled"] {
            guard let flag = value as? Bool else { throw ConfigurationError(file: file, reason: "learning.enabled must be true or false") }
            settings.enabled = flag
        }
        if let value = try integer("min_documents", minimum: 2) { settings.minDocuments = value }
        if let value = try integer("min_source_documents", minimum: 2) { settings.minSourceDocuments = value }
        if let value = try integer("edge_lines", minimum: 0) { settings.edgeLines = value }
        if let value = try integer("max_words", minimum: 1) { settings.maxWords = value }
        if let value = mapping["min_source_share"] {
            let share = (value as? Double) ?? (value as? Int).map(Double.init)
            guard let share, share > 0, share <= 1 else {
                throw ConfigurationError(file: file, reason: "learning.min_source_share must be a number in (0, 1]")
            }
            settings.minSourceShare = share
        }
        return settings
    }
}
