import CZlib

/// Inflates gzip data in memory, refusing damaged or truncated streams and output beyond a limit.
enum Gzip {
    struct Failure: Error { var reason: String }

    /// Whether the bytes start with the gzip magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The inflated bytes of every gzip member in `compressed`.
    ///
    /// - Parameter limit: the most bytes the output may have (a small file may inflate to gigabytes).
    static func inflate(_ compressed: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
        var stream = z_stream()
        guard CZlib_inflateInitGzip(&stream) == Z_OK else { return .failure(Failure(reason: "zlib could not start inflating")) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return compressed.withUnsafeBufferPointer { input -> Result<[UInt8], Failure> in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[..<produced])
                if output.count > limit {
                    return .failure(Failure(reason: "inflates to more than the size limit of \(limit) bytes"))
                }
                switch status {
                case Z_STREAM_END:
                    // Concatenated members (as `cat a.gz b.gz` makes) are one valid gzip file.
                    guard stream.avail_in > 0 else { return .success(output) }
                    guard inflateReset(&stream) == Z_OK else { return .failure(Failure(reason: "cannot read the next gzip member")) }
                case Z_OK:
                    if stream.avail_in == 0 && produced == 0 {
                        return .failure(Failure(reason: "gzip data ends early (truncated after \(compressed.count) bytes)"))
                    }
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        return .failure(Failure(reason: "gzip data ends early (truncated after \(compressed.count) bytes)"))
                    }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    return .failure(Failure(reason: "gzip data does not inflate: \(message) at compressed byte \(Int(stream.total_in))"))
                }
            }
        }
    }
}
