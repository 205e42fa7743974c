public import Foundation

/// A value as the server sent it in text format: valid only while its result is alive.
public struct PostgresCell {
    /// The value's bytes, or `nil` for SQL `NULL`.
    public let bytes: UnsafeRawBufferPointer?
    /// The column's type OID (e.g. 20 for `bigint`).
    public let typeOID: UInt32
    public let columnName: String

    /// The value as text, or `nil` for SQL `NULL`.
    public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// Why a value could not be decoded.
public struct PostgresDecodingFailure: Error {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A Swift type that reads itself from a PostgreSQL value in text format.
public protocol PostgresDecodable {
    /// Reads the value; throws when it is NULL (unless the type is optional) or does not parse.
    static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Self
}

extension PostgresCell {
    func requireText(as typeName: String) throws(PostgresDecodingFailure) -> String {
        guard let text else { throw PostgresDecodingFailure("is NULL, read as non-optional \(typeName)") }
        return text
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Wrapped? {
        cell.bytes == nil ? nil : try Wrapped.decode(cell)
    }
}

extension String: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> String {
        try cell.requireText(as: "String")
    }
}

extension PostgresCell {
    /// Reads an integer of type `T`, or says why not.
    func integer<T: FixedWidthInteger>(_ type: T.Type) throws(PostgresDecodingFailure) -> T {
        let text = try requireText(as: "\(T.self)")
        guard let value = T(text) else { throw PostgresDecodingFailure("\"\(text)\" is not an integer that fits \(T.self)") }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Int { try cell.integer(Int.self) }
}

extension Int64: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Int64 { try cell.integer(Int64.self) }
}

extension Int32: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Int32 { try cell.integer(Int32.self) }
}

extension Double: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Double {
        let text = try cell.requireText(as: "Double")
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else { throw PostgresDecodingFailure("\"\(text)\" is not a number") }
            return value
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Bool {
        switch try cell.requireText(as: "Bool") {
        case "t", "true": return true
        case "f", "false": return false
        case let other: throw PostgresDecodingFailure("\"\(other)\" is not a boolean")
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Reads `bytea` in hex format (`\x…`, the server's default output).
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> [UInt8] {
        guard let bytes = cell.bytes else { throw PostgresDecodingFailure("is NULL, read as non-optional bytes") }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            throw PostgresDecodingFailure("is not bytea in hex format")
        }
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = hexDigit(bytes[index]), let low = hexDigit(bytes[index + 1]) else {
                throw PostgresDecodingFailure("has a non-hex character in bytea")
            }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }
}

extension Data: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Data {
        Data(try [UInt8].decode(cell))
    }
}

private func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension Date: PostgresDecodable {
    /// Reads `timestamptz`, `timestamp` (taken as UTC) and `date` (midnight UTC) as the session prints them
    /// (ISO DateStyle, UTC time zone, both set when the connection opens).
    public static func decode(_ cell: PostgresCell) throws(PostgresDecodingFailure) -> Date {
        let text = try cell.requireText(as: "Date")
        guard let date = PostgresTimestamp.parse(text) else {
            throw PostgresDecodingFailure("\"\(text)\" is not an ISO date or timestamp")
        }
        return date
    }
}

/// Parses and prints timestamps in the ISO form the session uses.
enum PostgresTimestamp {
    /// `YYYY-MM-DD[ HH:MM:SS[.ffffff]][±HH[:MM]]`; a missing offset means UTC.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ char: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == char else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if index < bytes.count, bytes[index] == 32 || bytes[index] == UInt8(ascii: "T") {
            index += 1
            guard let h = number(2), expect(58), let m = number(2), expect(58), let s = number(2) else { return nil }
            hour = h; minute = m; second = s
            if expect(46) {
                var scale = 0.1
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let oh = number(2) else { return nil }
                var om = 0, os = 0
                if expect(58) { guard let value = number(2) else { return nil }; om = value }
                if expect(58) { guard let value = number(2) else { return nil }; os = value }
                offsetSeconds = sign * (oh * 3600 + om * 60 + os)
            } else if expect(UInt8(ascii: "Z")) {
                offsetSeconds = 0
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, microsecond precision, as PostgreSQL reads it.
    static func format(_ date: Date) -> String {
        let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int(floor(totalMicroseconds / 1_000_000))
        let micros = Int(totalMicroseconds - Double(seconds) * 1_000_000)
        let days = Int(floor(Double(seconds) / 86_400))
        seconds -= days * 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(micros, 6))+00"
    }

    // Howard Hinnant's civil-calendar algorithms: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
