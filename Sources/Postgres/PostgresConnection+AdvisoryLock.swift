extension PostgresConnection {
    /// Tries to take a session-level advisory lock without waiting.
    ///
    /// - Returns: `true` when this session now holds the lock, `false` when another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        try query("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]).first!.decode("locked", as: Bool.self)
    }

    /// Releases a session-level advisory lock.
    ///
    /// - Returns: `true` when the lock was held by this session and is now released, `false` when it was not
    ///   held (the server also logs a warning, which goes to the logger).
    @discardableResult
    public func advisoryUnlock(_ key: Int64) throws(PostgresError) -> Bool {
        try query("SELECT pg_advisory_unlock($1::bigint) AS unlocked", [key]).first!.decode("unlocked", as: Bool.self)
    }

    /// A stable 64-bit lock key for a name (FNV-1a over its UTF-8), the same in every process and release.
    public static func advisoryLockKey(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
