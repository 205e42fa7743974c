import Glibc

/// A path as the file system holds it: bytes, which need not be UTF-8.
///
/// Linux file names are any bytes but `/` and NUL. Going through `String` (or `FileManager`, which decodes
/// names into `String`s) replaces bytes that are not UTF-8 with U+FFFD, and the name no longer opens the
/// file; every system call of extract therefore takes a `SystemPath`, and only what is recorded goes
/// through ``PathText/display(_:)``.
struct SystemPath: Sendable, Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(_ string: String) { self.bytes = Array(string.utf8) }

    /// The path of `name` inside this folder.
    func appending(_ name: [UInt8]) -> SystemPath {
        var bytes = self.bytes
        if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
        bytes.append(contentsOf: name)
        return SystemPath(bytes)
    }

    /// The last component's bytes.
    var lastComponent: [UInt8] {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return bytes }
        return Array(bytes[(slash + 1)...])
    }

    /// The path as text, for logs and run files (see ``PathText/display(_:)``).
    var display: String { PathText.display(bytes) }

    /// Calls `body` with the path as a NUL-terminated C string.
    func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var terminated = bytes
        terminated.append(0)
        return try terminated.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The names in this folder (without `.` and `..`), as bytes, unsorted; or the `errno` of the failure.
    func folderEntries() -> Result<[[UInt8]], SystemError> {
        guard let folder = withCString({ opendir($0) }) else { return .failure(SystemError(code: errno)) }
        defer { closedir(folder) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                if errno != 0 { return .failure(SystemError(code: errno)) }
                return .success(names)
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { start in
                    Array(UnsafeBufferPointer(start: start, count: strlen(UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
    }

    /// Where a symbolic link points, as bytes, or nil when it cannot be read.
    func linkDestination() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = withCString { path in
            buffer.withUnsafeMutableBufferPointer { target in
                target.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count - 1) }
            }
        }
        return count < 0 ? nil : Array(buffer[..<count])
    }
}

/// An `errno` value with its text.
struct SystemError: Error, Sendable, CustomStringConvertible {
    var code: Int32
    var description: String { String(cString: strerror(code)) }
}

/// How a path's bytes are written where text is needed: run files, the warehouse's `source_path`, logs.
///
/// Bytes that are UTF-8 are kept as they are, control characters included (tab, newline and backslash are
/// escaped by the COPY text format, not here). A byte that does not belong to a valid UTF-8 sequence is
/// written `%XX`, two upper-case hex digits: the name `caf\xE9.txt` (Latin-1) is recorded `caf%E9.txt`.
/// A `%` that is already in a name is not escaped, so the rule changes no valid UTF-8 path, at the price of
/// one ambiguity: a UTF-8 name that itself contains `%E9` is recorded like the byte 0xE9.
public enum PathText {
    /// The text of `bytes`, with each byte outside valid UTF-8 percent-escaped.
    public static func display(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            let length: Int = switch bytes[index] {
            case 0x00...0x7F: 1
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 0
            }
            if length > 0, index + length <= bytes.count, String(validating: bytes[index..<index + length], as: UTF8.self) != nil {
                output.append(contentsOf: bytes[index..<index + length])
                index += length
            } else {
                output.append(contentsOf: Array("%\(hexDigit(bytes[index] >> 4))\(hexDigit(bytes[index] & 0x0F))".utf8))
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> Character {
        Character(Unicode.Scalar(value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10))
    }
}
