import ArabicText
import Crypto
import Foundation

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
    private var lines: [String: Int] = [:]
    private var prefixes: [(normalized: String, index: Int)] = []

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
    }

    /// The entry that makes `normalizedLine` boilerplate, if any.
    public func match(normalizedLine: String) -> Entry? {
        if let index = lines[normalizedLine] { return entries[index] }
        for prefix in prefixes where normalizedLine.hasPrefix(prefix.normalized) {
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
        SHA256.hash(data: Array(normalized.utf8)).hexString
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
        let unknown = Set(document.keys).subtracting(["version", "lines", "prefixes"])
        if !unknown.isEmpty { throw ConfigurationError(file: file, reason: "unknown keys: \(unknown.sorted().joined(separator: ", "))") }
        return BoilerplateList(lines: try strings("lines"), prefixes: try strings("prefixes"))
    }
}

extension Sequence<UInt8> {
    /// Lower-case hex, two digits a byte.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
