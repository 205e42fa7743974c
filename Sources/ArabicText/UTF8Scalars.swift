/// Unicode scalars read from and written to UTF-8 bytes directly.
///
/// The algorithms of this module work on a `String`'s own UTF-8 storage: going through
/// `String.UnicodeScalarView` or `Character`s, and appending scalar by scalar to a new view, cost far
/// more than the folding or splitting itself on the volume of text a run goes through. Other modules of
/// the package use it too (`package`), for the same reason.
package enum UTF8Scalars {
    /// The scalar that starts at byte `index` of `bytes` and its length in bytes.
    ///
    /// - Precondition: `bytes` is well-formed UTF-8 (a `String`'s storage) and `index` starts a scalar.
    @inline(__always)
    package static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(truncatingIfNeeded: lead)), 1) }
        if lead < 0xE0 {
            let value = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
            return (Unicode.Scalar(value).unsafelyUnwrapped, 2)
        }
        if lead < 0xF0 {
            let value = (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
            return (Unicode.Scalar(value).unsafelyUnwrapped, 3)
        }
        let value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
            | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
        return (Unicode.Scalar(value).unsafelyUnwrapped, 4)
    }

    /// Appends the UTF-8 encoding of `scalar` to `buffer`.
    @inline(__always)
    package static func append(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        let value = scalar.value
        if value < 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value))
        } else if value < 0x800 {
            buffer.append(UInt8(truncatingIfNeeded: 0xC0 | value >> 6))
            buffer.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F))
        } else if value < 0x10000 {
            buffer.append(UInt8(truncatingIfNeeded: 0xE0 | value >> 12))
            buffer.append(UInt8(truncatingIfNeeded: 0x80 | value >> 6 & 0x3F))
            buffer.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F))
        } else {
            buffer.append(UInt8(truncatingIfNeeded: 0xF0 | value >> 18))
            buffer.append(UInt8(truncatingIfNeeded: 0x80 | value >> 12 & 0x3F))
            buffer.append(UInt8(truncatingIfNeeded: 0x80 | value >> 6 & 0x3F))
            buffer.append(UInt8(truncatingIfNeeded: 0x80 | value & 0x3F))
        }
    }

    /// Calls `body` with the UTF-8 bytes of `text`, without copying them when the string is native.
    @inline(__always)
    package static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        var text = text
        return try text.withUTF8(body)
    }
}
