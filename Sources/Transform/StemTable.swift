/// Interns stems as small integers, keyed by their UTF-8 bytes.
///
/// Stems are normalized text (NFKC at extract, then ``ArabicNormalizer``), so equal bytes is equal text.
/// Hashing `String`s would normalize them again for every lookup, and comparing them too; this table hashes
/// and compares the bytes, and a lookup takes a stem as a slice of a sentence's bytes, so the stems of a
/// sentence are never made into `String`s.
struct StemTable: Sendable {
    /// Open addressing, linear probing: an id, or -1 for an empty slot. The count is a power of two, at
    /// least twice the number of ids.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    /// The hash of each id's bytes.
    private var hashes: [UInt64] = []
    /// Where each id's bytes start in `storage`; one more entry than ids, the end.
    private var starts: [Int] = [0]
    private var storage: [UInt8] = []

    /// Ids handed out so far: 0..<count.
    var count: Int { hashes.count }

    /// The id of `text`, a new one when it is not in the table yet.
    mutating func intern(_ text: String) -> Int32 {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { bytes in
            let hash = Self.hash(bytes)
            if let id = find(bytes, hash: hash) { return id }
            let id = Int32(hashes.count)
            hashes.append(hash)
            storage.append(contentsOf: bytes)
            starts.append(storage.count)
            if hashes.count * 2 > slots.count { rehash(capacity: slots.count * 2) } else { place(id, hash: hash) }
            return id
        }
    }

    /// The id of the stem whose bytes are `bytes`, or -1 when the table does not hold it.
    @inline(__always)
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        find(bytes, hash: Self.hash(bytes)) ?? -1
    }

    /// The id of `text`, or -1.
    func id(of text: String) -> Int32 {
        var text = text
        return text.withUTF8 { id(of: $0) }
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[Int(id)] == hash && equal(Int(id), bytes) { return id }
            slot = (slot + 1) & mask
        }
    }

    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id]
        guard starts[id + 1] - start == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            for offset in 0..<bytes.count where stored[start + offset] != bytes[offset] { return false }
            return true
        }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func rehash(capacity: Int) {
        slots = Array(repeating: -1, count: capacity)
        for (id, hash) in hashes.enumerated() { place(Int32(id), hash: hash) }
    }

    /// FNV-1a over the bytes, then a finalizer so that the low bits (the slot) depend on every byte.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 32
        hash &*= 0xD6E8_FEB8_6659_FD93
        return hash ^ hash >> 32
    }
}
