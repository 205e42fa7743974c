import ArabicText
import Crypto
import Foundation
import RunArtifacts

/// When a repeated line counts as learned page chrome (the `learning:` section of `boilerplate.yaml`).
public struct ChromeLearningSettings: Sendable, Equatable {
    /// Whether lines are learned at all.
    public var enabled = true
    /// A line seen in at least this many documents is chrome…
    public var minDocuments = 25
    /// …or in at least this share of its source's documents…
    public var minSourceShare = 0.3
    /// …when the source has at least this many documents.
    public var minSourceDocuments = 20
    /// The head and tail regions: the first and last this many non-empty lines of a document.
    public var edgeLines = 3
    /// Lines with more words than this are text, never learned chrome (a quoted statement repeated by two
    /// articles is a sentence, not chrome).
    public var maxWords = 10

    public init() {}
}

/// How often each head or tail line was seen: per line hash, in how many documents of each source.
public struct LineStatistics: Sendable {
    struct Counts: Sendable { var total = 0; var bySource: [String: Int] = [:] }
    var lines: [ContentHash: Counts] = [:]
    /// Documents per source.
    public var sourceDocuments: [String: Int] = [:]

    public init() {}

    /// Adds `count` documents of `source` holding the line with this hash (hex SHA-256 of the normalized line).
    public mutating func add(lineHash: String, source: String, count: Int = 1) {
        let key = ContentHash(hex: lineHash)
        lines[key, default: Counts()].total += count
        lines[key, default: Counts()].bySource[source, default: 0] += count
    }

    /// Adds `count` documents to a source's total.
    public mutating func addDocuments(source: String, count: Int = 1) {
        sourceDocuments[source, default: 0] += count
    }

    func counts(_ lineHash: String) -> Counts? { lines[ContentHash(hex: lineHash)] }

    /// Takes off the counts of `other` (documents leaving the warehouse).
    public mutating func subtract(_ other: LineStatistics) {
        for (key, gone) in other.lines {
            guard var counts = lines[key] else { continue }
            counts.total = max(0, counts.total - gone.total)
            for (source, count) in gone.bySource {
                let left = (counts.bySource[source] ?? 0) - count
                counts.bySource[source] = left > 0 ? left : nil
            }
            lines[key] = counts.total > 0 ? counts : nil
        }
        for (source, count) in other.sourceDocuments {
            let left = (sourceDocuments[source] ?? 0) - count
            sourceDocuments[source] = left > 0 ? left : nil
        }
    }
}

/// A head or tail line whose learned-chrome decision for one source changed.
public struct LineFlip: Sendable, Hashable {
    /// SHA-256 (hex) of the normalized line.
    public var lineHash: String
    public var source: String
}

/// A head or tail line of a document that could be chrome: short, not configured, normalized and hashed.
struct EdgeLine {
    var lineNumber: Int
    var text: String
    var normalized: String
    var hash: String
}

enum EdgeLines {
    /// The candidate lines of a document: among its first and last `edgeLines` non-empty lines, those with at
    /// most `maxWords` words that no configured entry already removes; one per distinct line.
    static func candidates(of text: String, settings: ChromeLearningSettings, boilerplate: BoilerplateList,
                           normalizer: ArabicNormalizer) -> [EdgeLine] {
        var nonEmpty: [(number: Int, text: String)] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = Transformer.trimmingBlanks(line)
            if !trimmed.isEmpty { nonEmpty.append((offset + 1, trimmed)) }
        }
        return candidates(nonEmpty: nonEmpty, settings: settings, boilerplate: boilerplate) { normalizer.normalize(nonEmpty[$0].text) }
    }

    /// The same, over a document's non-empty lines already split; `normalized(i)` gives line `i` normalized,
    /// so a caller that has normalized every line does not do it again.
    static func candidates(nonEmpty: [(number: Int, text: String)], settings: ChromeLearningSettings, boilerplate: BoilerplateList,
                           normalized: (Int) -> String) -> [EdgeLine] {
        let edge = max(0, settings.edgeLines)
        var indices = Array(nonEmpty.indices.prefix(edge))
        for index in nonEmpty.indices.suffix(edge) where !indices.contains(index) { indices.append(index) }
        var seen = Set<String>()
        var result: [EdgeLine] = []
        for index in indices {
            let line = nonEmpty[index]
            // A long line whose beginning already has too many words is no candidate: its normalized beginning
            // is a prefix of its normalized whole. So a one-line article of megabytes is not normalized for it.
            if line.text.utf8.count > 4096,
               ArabicNormalizer().normalize(String(line.text.unicodeScalars.prefix(1024)))
                .split(separator: " ", maxSplits: max(0, settings.maxWords)).count > settings.maxWords {
                continue
            }
            let normalizedLine = normalized(index)
            // Words counted up to one more than allowed: never an array of every word of a long line.
            guard normalizedLine.split(separator: " ", maxSplits: max(0, settings.maxWords)).count <= settings.maxWords,
                  boilerplate.match(normalizedLine: normalizedLine) == nil,
                  seen.insert(normalizedLine).inserted else { continue }
            result.append(EdgeLine(lineNumber: line.number, text: line.text, normalized: normalizedLine,
                                   hash: BoilerplateList.hash(normalizedLine)))
        }
        return result
    }
}

/// Decides which edge lines are learned chrome, from the warehouse's counts plus this run's.
public struct ChromeLearner: Sendable {
    var settings: ChromeLearningSettings
    var statistics: LineStatistics

    func isChrome(lineHash: String, source: String) -> Bool {
        guard settings.enabled, let counts = statistics.counts(lineHash) else { return false }
        if counts.total >= settings.minDocuments { return true }
        let sourceTotal = statistics.sourceDocuments[source] ?? 0
        guard sourceTotal >= settings.minSourceDocuments else { return false }
        return Double(counts.bySource[source] ?? 0) / Double(sourceTotal) >= settings.minSourceShare
    }

    /// The lines, per source holding them, that are chrome under one set of counts and not under the other:
    /// the documents of that source holding the line must be transformed again, so that a warehouse filled
    /// night by night removes the same lines as one run over all the files.
    public static func flips(settings: ChromeLearningSettings, before: LineStatistics, after: LineStatistics) -> [LineFlip] {
        guard settings.enabled else { return [] }
        let old = ChromeLearner(settings: settings, statistics: before)
        let new = ChromeLearner(settings: settings, statistics: after)
        var result: [LineFlip] = []
        for key in Set(before.lines.keys).union(after.lines.keys) {
            let hex = key.hex
            var sources = Set(after.lines[key]?.bySource.keys ?? [:].keys)
            sources.formUnion(before.lines[key]?.bySource.keys ?? [:].keys)
            for source in sources where (before.lines[key]?.bySource[source] ?? 0) > 0 || (after.lines[key]?.bySource[source] ?? 0) > 0 {
                if old.isChrome(lineHash: hex, source: source) != new.isChrome(lineHash: hex, source: source) {
                    result.append(LineFlip(lineHash: hex, source: source))
                }
            }
        }
        return result.sorted { ($0.lineHash, $0.source) < ($1.lineHash, $1.source) }
    }
}

/// The content hash of a normalized sentence: the first 8 bytes of its SHA-256 as a signed integer, the same
/// value SQL computes with `('x' || encode(substring(sha256(convert_to(t, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::bigint`.
enum SentenceHash {
    static func of(_ normalized: String) -> Int64 {
        var value: UInt64 = 0
        var text = normalized
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value)
    }
}
