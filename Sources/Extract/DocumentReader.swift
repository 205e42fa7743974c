import Crypto
import Glibc
import Foundation
import RunArtifacts

/// Settings for reading one file.
struct ReadSettings: Sendable {
    var maxFileSize: Int
    var forcedEncoding: TextEncoding?
}

/// Reads one file: bytes (inflated when gzip), hash, decoding, cleanup, date.
enum DocumentReader {
    enum Outcome: Sendable {
        case document(ExtractedDocument)
        case quarantined(QuarantineRecord)
    }

    static func read(_ file: InputFile, settings: ReadSettings) -> Outcome {
        func quarantine(_ reason: String, hash: String? = nil, size: Int? = nil) -> Outcome {
            .quarantined(QuarantineRecord(sourcePath: file.relativePath, contentSHA256: hash, byteSize: size, stage: "extract", reason: reason))
        }
        var info = stat()
        guard stat(file.url.path, &info) == 0 else {
            return quarantine("cannot read the file: \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        guard size <= settings.maxFileSize else {
            return quarantine("\(size) bytes, over the size limit of \(settings.maxFileSize) bytes (--max-file-size)", size: size)
        }
        let raw: [UInt8]
        do {
            raw = try readAll(file.url)
        } catch {
            return quarantine("cannot read the file: \(error.reason)", size: size)
        }
        var content = raw
        if file.url.lastPathComponent.lowercased().hasSuffix(".gz") || Gzip.isGzip(raw) {
            switch Gzip.inflate(raw, limit: settings.maxFileSize) {
            case .success(let inflated): content = inflated
            case .failure(let failure): return quarantine(failure.reason, hash: Self.sha256(raw).lowercaseHex, size: raw.count)
            }
        }
        // The hash is of the content: a .txt.gz and the .txt it inflates to are one document.
        let digest = Self.sha256(content)
        let hex = digest.lowercaseHex
        guard !content.isEmpty else { return quarantine(raw.count == 0 ? "empty file (0 bytes)" : "empty file (0 bytes once inflated)", hash: hex, size: raw.count) }
        let decoded: (text: String, encoding: String)
        switch TextDecoding.decode(content, forced: settings.forcedEncoding) {
        case .success(let value): decoded = value
        case .failure(let failure): return quarantine(failure.reason, hash: hex, size: raw.count)
        }
        let cleaned = TextCleanup.clean(decoded.text)
        guard cleaned.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            return quarantine("no text: the file holds only whitespace or invisible characters", hash: hex, size: raw.count)
        }
        let encoding = raw.count == content.count ? decoded.encoding : decoded.encoding + ", gzip"
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        let date = PublicationDateFinder.find(text: cleaned, path: file.relativePath)
        return .document(ExtractedDocument(
            documentID: DocumentIdentity.id(fromSHA256: digest), contentSHA256: hex, sourcePath: file.relativePath,
            sourceName: file.sourceName, encoding: encoding, byteSize: raw.count,
            fileModifiedAt: ISO8601.string(modified), publishedOn: date?.iso, publishedOnOrigin: date?.origin.rawValue,
            rawText: decoded.text, text: cleaned))
    }

    struct ReadFailure: Error { var reason: String }

    /// Reads a whole file with POSIX calls (one open, a read loop), so the reason of a failure is errno's.
    static func readAll(_ url: URL) throws(ReadFailure) -> [UInt8] {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadFailure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(reason: String(cString: strerror(errno)))
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
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
