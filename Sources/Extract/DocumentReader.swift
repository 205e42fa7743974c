import Crypto
import Foundation
import RunArtifacts

/// Reads one file: bytes, hash, decoding, cleanup.
enum DocumentReader {
    enum Outcome {
        case document(ExtractedDocument)
        case quarantined(QuarantineRecord)
    }

    static func read(_ file: InputFile) -> Outcome {
        let data: Data
        do {
            data = try Data(contentsOf: file.url)
        } catch {
            return .quarantined(QuarantineRecord(sourcePath: file.relativePath, contentSHA256: nil, byteSize: nil,
                                                 stage: "extract", reason: "cannot read the file: \(error.localizedDescription)"))
        }
        let digest = Array(SHA256.hash(data: data))
        let hex = digest.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        func quarantine(_ reason: String) -> Outcome {
            .quarantined(QuarantineRecord(sourcePath: file.relativePath, contentSHA256: hex, byteSize: data.count,
                                          stage: "extract", reason: reason))
        }
        guard !data.isEmpty else { return quarantine("empty file (0 bytes)") }
        let decoded: (text: String, encoding: String)
        switch TextDecoding.decode(Array(data)) {
        case .success(let value): decoded = value
        case .failure(let failure): return quarantine(failure.reason)
        }
        let cleaned = TextCleanup.clean(decoded.text)
        guard cleaned.contains(where: { !$0.isWhitespace }) else { return quarantine("no text: the file holds only whitespace") }
        let modified = (try? file.url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
        return .document(ExtractedDocument(
            documentID: DocumentIdentity.id(fromSHA256: digest), contentSHA256: hex, sourcePath: file.relativePath,
            sourceName: file.sourceName, encoding: decoded.encoding, byteSize: data.count,
            fileModifiedAt: modified.map(ISO8601.string), rawText: decoded.text, text: cleaned))
    }
}

/// Document ids derived from content.
public enum DocumentIdentity {
    /// The first 8 bytes of the SHA-256, big-endian, as a signed 64-bit integer.
    public static func id(fromSHA256 digest: [UInt8]) -> Int64 {
        precondition(digest.count >= 8, "a SHA-256 digest has 32 bytes")
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value)
    }
}

enum ISO8601 {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
