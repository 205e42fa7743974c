public import Foundation

/// A Swift value that can be sent as a statement parameter, in PostgreSQL's text format.
///
/// The server infers the parameter's type from the statement; cast in SQL (`$1::bigint`) where it cannot.
public protocol PostgresEncodable {
    /// The value's text form, as PostgreSQL reads it for the target type.
    var postgresText: String { get }
}

extension String: PostgresEncodable { public var postgresText: String { self } }
extension Substring: PostgresEncodable { public var postgresText: String { String(self) } }
extension Int: PostgresEncodable { public var postgresText: String { String(self) } }
extension Int64: PostgresEncodable { public var postgresText: String { String(self) } }
extension Int32: PostgresEncodable { public var postgresText: String { String(self) } }
extension Bool: PostgresEncodable { public var postgresText: String { self ? "true" : "false" } }

extension Double: PostgresEncodable {
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return "\(self)"  // Swift prints the shortest text that round-trips.
    }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// `bytea` in hex format.
    public var postgresText: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Data: PostgresEncodable {
    public var postgresText: String { [UInt8](self).postgresText }
}

extension Date: PostgresEncodable {
    /// A `timestamptz` in UTC with microsecond precision.
    public var postgresText: String { PostgresTimestamp.format(self) }
}
