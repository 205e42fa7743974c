/// Builds the text of a sentence's `sentences.search_vector`: a PostgreSQL `tsvector` whose lexemes are the
/// light stems of its tokens, what the warehouse's `bayan_search_vector(normalized_text)` computes in SQL. The
/// transform has the stems at hand; computing them again on the server, in PL/pgSQL, took most of the load's
/// time.
///
/// Each stem is written quoted (`'stem'`), in token order, repeats included: the server sorts the lexemes and
/// drops repeats as it reads the value. What PostgreSQL cannot store is left out, where SQL's
/// `array_to_tsvector` would silently keep a corrupted lexeme: a stem longer than 2,046 bytes, and stems past
/// 1 MiB of distinct lexeme bytes in one sentence.
struct SearchVectorBuilder {
    /// PostgreSQL's limits on a `tsvector`: the bytes of one lexeme, and of all its distinct lexemes.
    static let maxLexemeBytes = 2046
    static let maxTotalBytes = 1_048_575

    private var bytes: [UInt8] = []
    /// Only for a sentence whose normalized text could exceed `maxTotalBytes`: the distinct stems so far.
    private var distinct: Set<[UInt8]>?
    private var distinctBytes = 0

    /// Starts the vector of a sentence whose normalized text takes `normalizedBytes` bytes.
    mutating func start(normalizedBytes: Int) {
        bytes.removeAll(keepingCapacity: true)
        distinct = normalizedBytes > Self.maxTotalBytes ? [] : nil
        distinctBytes = 0
    }

    /// Adds one stem.
    mutating func append(_ stem: UnsafeBufferPointer<UInt8>) {
        guard !stem.isEmpty, stem.count <= Self.maxLexemeBytes else { return }
        if distinct != nil {
            let key = Array(stem)
            guard !distinct!.contains(key) else { return }
            guard distinctBytes + stem.count <= Self.maxTotalBytes else { return }
            distinct!.insert(key)
            distinctBytes += stem.count
        }
        if !bytes.isEmpty { bytes.append(0x20) }
        bytes.append(0x27)
        for byte in stem {
            // Inside quotes a quote or a backslash is doubled (stems hold neither: they are runs of letters or of
            // digits; kept exact all the same).
            if byte == 0x27 || byte == 0x5C { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(0x27)
    }

    /// The `tsvector` text of the sentence.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
