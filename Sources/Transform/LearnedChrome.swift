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
struct EdgeLine: Sendable {
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
        UTF8Scalars.withUTF8(text) { utf8 in
            let lines = TextLines.lines(utf8).filter { !$0.trimmed.isEmpty }
            // Only the head and tail lines are made into strings and normalized.
            return candidates(lineCount: lines.count, settings: settings, boilerplate: boilerplate,
                              line: { (lines[$0].number, TextLines.string(utf8, lines[$0].trimmed)) },
                              normalized: { normalizer.normalize(utf8: UnsafeBufferPointer(rebasing: utf8[lines[$0].trimmed])) })
        }
    }

    /// The same, over a document's `lineCount` non-empty lines: `line(i)` gives the number and trimmed text
    /// of line `i`, `normalized(i)` the line normalized, so a caller that has normalized every line does not
    /// do it again.
    static func candidates(lineCount: Int, settings: ChromeLearningSettings, boilerplate: BoilerplateList,
                           line: (Int) -> (number: Int, text: String), normalized: (Int) -> String) -> [EdgeLine] {
        let edge = max(0, settings.edgeLines)
        var indices = Array((0..<lineCount).prefix(edge))
        for index in (0..<lineCount).suffix(edge) where !indices.contains(index) { indices.append(index) }
        // Lines taken so far, distinct as `String`s (compared as bytes when both are plain text).
        var seen: [(line: String, bytes: [UInt8]?)] = []
        var result: [EdgeLine] = []
        for index in indices {
            let normalizedLine = normalized(index)
            let plainBytes: [UInt8]? = UTF8Scalars.withUTF8(normalizedLine) { PlainText.isPlain($0) ? Array($0) : nil }
            let words: Int
            if let plainBytes {
                // Each scalar of plain text is a Character: the words are the runs of bytes between spaces.
                words = plainBytes.split(separator: 0x20).count
            } else {
                words = normalizedLine.split(separator: " ").count
            }
            guard words <= settings.maxWords, boilerplate.match(normalizedLine: normalizedLine) == nil,
                  !seen.contains(where: { seen in
                      if let plainBytes, let bytes = seen.bytes { return plainBytes == bytes }
                      return seen.line == normalizedLine
                  }) else { continue }
            seen.append((normalizedLine, plainBytes))
            let line = line(index)
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
        UTF8Scalars.withUTF8(normalized) { of(utf8: $0) }
    }

    /// The hash of the normalized sentence whose UTF-8 bytes are `utf8`.
    static func of(utf8: UnsafeBufferPointer<UInt8>) -> Int64 {
        var value: UInt64 = 0
        for byte in SHA256.hash(data: UnsafeRawBufferPointer(utf8)).prefix(8) { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value)
    }
}
