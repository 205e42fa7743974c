import Crypto
import Glibc
import Foundation
import RunArtifacts

/// Settings for reading one file.
struct ReadSettings: Sendable {
    var maxFileSize: Int
    var forcedEncoding: TextEncoding?
    /// Called with the file's path once it is open and measured, before its bytes are read (tests change
    /// the file there, as a writer racing the reader would).
    var afterOpen: (@Sendable (SystemPath) -> Void)? = nil
    /// Content already in the warehouse: such a file is hashed, not decoded (a re-run costs a read and a hash).
    var knownHashes: Set<ContentHash> = []
}

/// Reads one file: bytes (inflated when gzip), hash, decoding, cleanup, date.
enum DocumentReader {
    enum Outcome: Sendable {
        case document(ExtractedDocument)
        case quarantined(QuarantineRecord)
        /// Content already in the warehouse: hashed only.
        case known(SeenFileRecord)
    }

    static func read(_ file: InputFile, settings: ReadSettings) -> Outcome {
        func quarantine(_ reason: String, hash: String? = nil, size: Int? = nil) -> Outcome {
            .quarantined(QuarantineRecord(sourcePath: file.relativePath, contentSHA256: hash, byteSize: size, stage: "extract", reason: reason))
        }
        // The kind is checked before opening (a FIFO would block an open for reading, a device never ends),
        // then again on the open descriptor, whose size is the one compared with what was read.
        var info = stat()
        guard file.path.withCString({ stat($0, &info) }) == 0 else {
            return quarantine("cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return quarantine(Self.notRegularReason) }
        let descriptor = file.path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
        guard descriptor >= 0 else { return quarantine("cannot read the file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { return quarantine("cannot read the file: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { return quarantine(Self.notRegularReason) }
        let size = Int(info.st_size)
        guard size <= settings.maxFileSize else {
            return quarantine("\(size) bytes, over the size limit of \(settings.maxFileSize) bytes (--max-file-size)", size: size)
        }
        settings.afterOpen?(file.path)
        var raw: [UInt8]
        do {
            // One byte more than the size is asked for, so a file that grows is noticed without reading it all.
            raw = try readAll(descriptor, limit: size + 1)
        } catch {
            return quarantine("cannot read the file: \(error.reason)", size: size)
        }
        guard raw.count == size else {
            let change = raw.count < size ? "shrank" : "grew"
            return quarantine("the file changed while it was read (it \(change): \(size) bytes when opened, "
                + "\(raw.count < size ? "\(raw.count)" : "more") read)", size: size)
        }
        var content = raw
        if file.path.display.lowercased().hasSuffix(".gz") || Gzip.isGzip(raw) {
            switch Gzip.inflate(raw, limit: settings.maxFileSize) {
            case .success(let inflated): content = inflated
            case .failure(let failure): return quarantine(failure.reason, hash: Self.sha256(raw).lowercaseHex, size: raw.count)
            }
        }
        // The hash is of the content: a .txt.gz and the .txt it inflates to are one document.
        let digest = Self.sha256(content)
        let hex = digest.lowercaseHex
        guard !content.isEmpty else { return quarantine(raw.count == 0 ? "empty file (0 bytes)" : "empty file (0 bytes once inflated)", hash: hex, size: raw.count) }
        if !settings.knownHashes.isEmpty, settings.knownHashes.contains(ContentHash(digest: digest)) {
            return .known(SeenFileRecord(sourcePath: file.relativePath, sourceName: file.sourceName, contentSHA256: hex,
                                         byteSize: raw.count, status: "known"))
        }
        let decoded: (text: String, encoding: String)
        switch TextDecoding.decode(content, forced: settings.forcedEncoding) {
        case .success(let value): decoded = value
        case .failure(let failure): return quarantine(failure.reason, hash: hex, size: raw.count)
        }
        // The bytes are not needed once decoded: a large file is not held twice.
        let (rawSize, contentSize) = (raw.count, content.count)
        raw = []
        content = []
        var cleaned = TextCleanup.clean(decoded.text)
        // Most files need no cleanup: the two columns then share one copy of the text.
        if cleaned.utf8.count == decoded.text.utf8.count && cleaned.utf8.elementsEqual(decoded.text.utf8) { cleaned = decoded.text }
        guard cleaned.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            return quarantine("no text: the file holds only whitespace or invisible characters", hash: hex, size: rawSize)
        }
        let encoding = rawSize == contentSize ? decoded.encoding : decoded.encoding + ", gzip"
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        let date = PublicationDateFinder.find(text: cleaned, path: file.relativePath)
        return .document(ExtractedDocument(
            documentID: DocumentIdentity.id(fromSHA256: digest), contentSHA256: hex, sourcePath: file.relativePath,
            sourceName: file.sourceName, encoding: encoding, byteSize: rawSize,
            fileModifiedAt: ISO8601.string(modified), publishedOn: date?.iso, publishedOnOrigin: date?.origin.rawValue,
            rawText: decoded.text, text: cleaned))
    }

    struct ReadFailure: Error { var reason: String }

    /// The reason given for a FIFO, socket or device: none is read (a FIFO would wait for a writer, a device
    /// such as `/dev/zero` never ends).
    static let notRegularReason = "not a regular file (a device, socket or pipe)"

    /// Reads an open file to its end, or `limit` bytes, whichever comes first, with POSIX calls (so the
    /// reason of a failure is errno's), straight into one buffer of `limit` bytes: nothing is zeroed or copied
    /// (a scratch buffer zeroed per file cost more than hashing on a re-run of the corpus).
    static func readAll(_ descriptor: Int32, limit: Int) throws(ReadFailure) -> [UInt8] {
        var failure: ReadFailure?
        let bytes = [UInt8](unsafeUninitializedCapacity: max(1, limit)) { buffer, initialized in
            while initialized < limit {
                let count = Glibc.read(descriptor, buffer.baseAddress! + initialized, limit - initialized)
                if count == 0 { return }
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = ReadFailure(reason: String(cString: strerror(errno)))
                    return
                }
                initialized += count
            }
        }
        if let failure { throw failure }
        return bytes
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
    static func string(_ date: Date) -> String { shared.string(date) }

    /// One formatter for the process, used under a lock: creating one for every file cost a fifth of
    /// extract's time.
    private static let shared = SharedFormatter()

    private final class SharedFormatter: @unchecked Sendable {
        private let lock = NSLock()
        private let formatter: ISO8601DateFormatter

        init() {
            formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            formatter.timeZone = TimeZone(identifier: "UTC")
        }

        func string(_ date: Date) -> String {
            lock.lock()
            defer { lock.unlock() }
            return formatter.string(from: date)
        }
    }
}
