extension PostgresConnection {
    /// Tries to take a session-level advisory lock without waiting.
    ///
    /// - Returns: `true` when this session now holds the lock, `false` when another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        try query("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]).first!.decode("locked", as: Bool.self)
    }

    /// Waits at most `seconds` for a session-level advisory lock (the server's `lock_timeout`, for this call
    /// only).
    ///
    /// - Returns: `true` when this session now holds the lock, `false` when the wait ran out.
    public func advisoryLock(_ key: Int64, waitingAtMost seconds: Double) throws(PostgresError) -> Bool {
        try query("SELECT set_config('lock_timeout', $1, false)", [String(max(1, Int(seconds * 1000)))])
        defer { _ = try? execute("RESET lock_timeout") }
        do {
            _ = try query("SELECT pg_advisory_lock($1::bigint)", [key])
            return true
        } catch where error.sqlState == .lockNotAvailable {
            return false
        }
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
