/// A sentence found in a paragraph: where it is and what it looks like.
public struct SentenceSpan: Sendable, Equatable {
    /// The sentence, trimmed of white space.
    public var text: String
    /// Offset in Unicode scalars of the paragraph where the sentence starts (after trimming).
    ///
    /// The sentence is the scalars `start..<end` of the paragraph's `unicodeScalars`.
    public var start: Int
    /// Offset in Unicode scalars of the paragraph just past the sentence's last scalar (after trimming).
    public var end: Int
    /// Whether the sentence has more white-space-separated words than the segmenter's `maxWords`.
    ///
    /// Such a sentence is kept whole; the flag marks it for review.
    public var isOverlong: Bool

    /// Creates a span from its parts.
    public init(text: String, start: Int, end: Int, isOverlong: Bool) {
        self.text = text
        self.start = start
        self.end = end
        self.isOverlong = isOverlong
    }
}
