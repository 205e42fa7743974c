/// Text with no word in it: no letter and no digit, only diacritics, tatweel, format controls, punctuation or
/// symbols.
///
/// - A line or a sentence that normalizes to nothing (diacritics, tatweel, format controls only: a rule of
///   tatweel between paragraphs, stray harakat after the last full stop) is not a sentence. A whole line of it
///   separates paragraphs as a blank line does; a piece of a line is left out. Its characters stay in the
///   document's `raw_text`, and the sentences around it keep their offsets.
/// - Punctuation and symbols are text as written: a sentence of them (`***` between paragraphs, `…`) is kept,
///   with a normalized text that is not empty.
/// - A document in which no sentence holds a letter or a digit is not an article: it is quarantined by
///   transform with ``reason(removedLines:)``, whatever was removed as boilerplate first.
enum TextWithoutWords {
    /// The quarantine reason of a document without words; `removedLines` boilerplate lines were removed from it.
    static func reason(removedLines: Int) -> String {
        "no words: no letter or digit in the text"
            + (removedLines > 0 ? " left after removing \(removedLines) boilerplate line(s)" : "")
            + ", only diacritics, tatweel, punctuation or symbols"
    }
}
