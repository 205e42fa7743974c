import Foundation

extension String {
    /// Whether the two strings hold the same UTF-8 bytes. For text known to be normalized alike (the run files'
    /// text is NFKC from extract on) this is equality, without `==`'s canonical-equivalence comparison, which
    /// for Arabic (never on its ASCII fast path) normalizes both sides again on every call.
    @inline(__always)
    public func hasSameBytes(as other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) } }
    }
}
