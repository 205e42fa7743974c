import Testing
@testable import Transform

/// The `tsvector` text the transform writes for `sentences.search_vector`.
@Suite struct SearchVectorTests {
    static func vector(_ stems: [String], normalizedBytes: Int? = nil) -> String {
        var builder = SearchVectorBuilder()
        builder.start(normalizedBytes: normalizedBytes ?? stems.reduce(0) { $0 + $1.utf8.count + 1 })
        for stem in stems {
            var stem = stem
            stem.withUTF8 { builder.append($0) }
        }
        return builder.text
    }

    @Test(arguments: [
        ([], ""),
        (["مجلس"], "'مجلس'"),
        (["اجتماع", "مجلس", "امن"], "'اجتماع' 'مجلس' 'امن'"),
        (["مجلس", "مجلس"], "'مجلس' 'مجلس'"),                 // repeats are the server's to drop
        (["4/6/2020", "2.5", "un"], "'4/6/2020' '2.5' 'un'"),  // numbers and Latin words as they are
        (["don't"], "'don''t'"),                               // a quote is doubled
        (["a\\b"], "'a\\\\b'"),                                // so is a backslash
        (["", "ب"], "'ب'"),                                    // no empty lexeme
    ] as [([String], String)])
    func writesQuotedStems(stems: [String], expected: String) {
        #expect(Self.vector(stems) == expected)
    }

    /// PostgreSQL refuses a lexeme over 2,046 bytes: such a stem is left out, the others kept.
    @Test func aStemTooLongForPostgreSQLIsLeftOut() {
        let long = String(repeating: "ب", count: 1024)   // 2,048 bytes
        let longest = String(repeating: "ب", count: 1023) // 2,046 bytes
        #expect(Self.vector(["قبل", long, "بعد"]) == "'قبل' 'بعد'")
        #expect(Self.vector([longest]) == "'\(longest)'")
    }

    /// Past 1 MiB of distinct lexeme bytes PostgreSQL refuses the value: in a sentence that long, repeats are
    /// dropped as they come and the stems that would pass the limit are left out.
    @Test func aSentenceOverOneMebibyteKeepsDistinctStemsUpToTheLimit() {
        let stems = (0..<120_000).map { "w\($0 % 100_000)" } // 100,000 distinct stems, 588,890 bytes, then repeats
        let short = Self.vector(stems, normalizedBytes: 700_000)
        #expect(short.split(separator: " ").count == 120_000, "under the limit every stem is written")
        let distinct = Self.vector(stems, normalizedBytes: 2_000_000)
        #expect(distinct.split(separator: " ").count == 100_000, "repeats dropped")
        let many = (0..<300_000).map { "w\($0)" }           // 1,988,890 bytes of distinct stems
        let capped = Self.vector(many, normalizedBytes: 2_500_000)
        let bytes = capped.split(separator: " ").reduce(0) { $0 + $1.utf8.count - 2 }
        #expect(bytes <= SearchVectorBuilder.maxTotalBytes && bytes > SearchVectorBuilder.maxTotalBytes - 10)
        #expect(capped.hasPrefix("'w0' 'w1' "))
    }
}
