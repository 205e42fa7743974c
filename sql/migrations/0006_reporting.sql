-- Version 6: the reporting layer. Views analysts query instead of re-deriving joins, the indexes the shipped
-- reports (sql/reports/*.sql) need, and full-text search over sentences.
--
-- Counting rules shared by the views: a document that is a copy of another (documents.duplicate_of set) has no
-- sentences of its own, so it never counts twice; a sentence repeated word for word across documents (same
-- sentences.normalized_hash: a statement quoted by several articles) counts once per group where a view says so.
-- Dates are publication dates (documents.published_on); documents without one are left out of the views by day.

-- ---------------------------------------------------------------------------------------------------------
-- Arabic normalization, tokens and light stems in SQL, mirroring the Swift code in Sources/ArabicText
-- (ArabicNormalizer with the default profile, ArabicTokenizer, ArabicLightStemmer). A search query typed in
-- any spelling goes through the same folding as the stored text. Tests/ReportingTests/SearchParityTests.swift
-- runs a table of edge cases and every word of samples/ through both and requires equal output.
-- ---------------------------------------------------------------------------------------------------------

CREATE FUNCTION bayan_normalize(input text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN btrim(regexp_replace(
    lower(translate(
        -- diacritics U+064B..U+065F, U+0670, Quranic marks U+06D6..U+06ED, tatweel, and every format control (Cf)
        regexp_replace(input, '[\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u00AD\u0600-\u0605\u061C\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001\U000E0020-\U000E007F]+', '', 'g'),
        -- alef forms, alef maqsura, hamza carriers, Persian letters, taa marbuta, digits and separators
        'أإآٱٲٳىئیةۀہۂؤک٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬',
        'اااااايييههههوك01234567890123456789.,') COLLATE "und-x-icu"),
    -- Unicode white space (the White_Space property) folded to one space, trimmed
    '[\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+', ' ', 'g'), ' ');
COMMENT ON FUNCTION bayan_normalize(text) IS 'Arabic normalization for matching, as ArabicNormalizer with the default profile (default-1): removes diacritics, tatweel and format controls; folds أ إ آ ٱ to ا, ى to ي, ؤ ئ to و ي, ة to ه, Persian letters, Arabic-Indic digits; lower-cases; folds white space. Lower-casing uses ICU (und-x-icu); it differs from Swift only for the Greek final sigma.';

CREATE FUNCTION bayan_token_pattern() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN
    -- a word: a letter, then letters, combining marks and tatweel
    '[A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02C1\u0370-\u0373\u0376-\u03FF\u0400-\u0481\u048A-\u052F\u0531-\u0556\u0561-\u0587\u05D0-\u05EA\u0620-\u063F\u0641-\u064A\u066E\u066F\u0671-\u06D3\u06D5\u06E5\u06E6\u06EE\u06EF\u06FA-\u06FC\u06FF\u0750-\u077F\u08A0-\u08C9\u3041-\u3096\u30A1-\u30FA\u4E00-\u9FFF\uAC00-\uD7A3]'
    || '[A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02C1\u0370-\u0373\u0376-\u03FF\u0400-\u0481\u048A-\u052F\u0531-\u0556\u0561-\u0587\u05D0-\u05EA\u0620-\u063F\u0641-\u064A\u066E\u066F\u0671-\u06D3\u06D5\u06E5\u06E6\u06EE\u06EF\u06FA-\u06FC\u06FF\u0750-\u077F\u08A0-\u08C9\u3041-\u3096\u30A1-\u30FA\u4E00-\u9FFF\uAC00-\uD7A3'
    || '\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u0610-\u061A\u0640\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED\u08CA-\u08E1\u08E3-\u08FF\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20F0\uFE20-\uFE2F]*'
    -- or a number: digits, with . , / : - and the Arabic separators between two digits
    || '|[0-9\u0660-\u0669\u06F0-\u06F9\u0966-\u096F]+(?:[.,/:\u002D\u066B\u066C][0-9\u0660-\u0669\u06F0-\u06F9\u0966-\u096F]+)*';
COMMENT ON FUNCTION bayan_token_pattern() IS 'The regular expression of one token, as ArabicTokenizer: a run of letters (continued by combining marks and tatweel) or a number whose separators sit between digits. Letters are those of the Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, kana, CJK and Hangul blocks; Swift knows every script.';

CREATE FUNCTION bayan_stem(token text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    n integer := char_length(token);
    first integer := 1;  -- first letter kept
    last integer := n;   -- last letter kept
    suffix text;         -- the suffix step 3 removed
BEGIN
    IF n < 3 OR token !~ '^[\u0620-\u063F\u0641-\u064A\u066E\u066F\u0671-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF\u0750-\u077F]+$' THEN
        RETURN token;  -- not only Arabic letters, or too short to strip
    END IF;
    -- 1. one article prefix, the first of the list the word starts with, if 2 letters remain
    IF left(token, 3) IN ('وال', 'بال', 'كال', 'فال', 'ولل', 'فلل') THEN
        IF n - 3 >= 2 THEN first := 4; END IF;
    ELSIF left(token, 2) IN ('لل', 'ال') THEN
        IF n - 2 >= 2 THEN first := 3; END IF;
    END IF;
    -- 1b. without the article: the plural verb ending وا if 3 letters remain; else, 5 letters or more, the
    --     accusative alef of an indefinite noun
    IF first = 1 AND n - 2 >= 3 AND right(token, 2) = 'وا' THEN
        last := n - 2;
    ELSIF first = 1 AND n >= 5 AND right(token, 1) = 'ا' THEN
        last := n - 1;
    END IF;
    -- 2. one proclitic و ف ب ل ك if 3 letters remain
    IF last - first >= 3 AND substr(token, first, 1) IN ('و', 'ف', 'ب', 'ل', 'ك') THEN
        first := first + 1;
    END IF;
    -- 3. one suffix, longest first, if 3 letters remain
    IF last - first + 1 >= 6 AND substr(token, last - 2, 3) IN ('يين', 'يون', 'يات') THEN
        last := last - 3;
    ELSIF last - first + 1 >= 5 AND substr(token, last - 1, 2) IN ('ات', 'ون', 'ين', 'ان', 'ها', 'هم', 'هن', 'كم', 'نا', 'يه') THEN
        suffix := substr(token, last - 1, 2);
        last := last - 2;
    ELSIF last - first + 1 >= 4 AND substr(token, last, 1) IN ('ه', 'ي') THEN
        suffix := substr(token, last, 1);
        last := last - 1;
    END IF;
    -- 3b. after a possessive pronoun, a plural ات (if 3 letters remain, else kept) or the ت of a taa marbuta
    IF suffix IN ('ها', 'هم', 'هن', 'كم', 'نا', 'ه') THEN
        IF last - first + 1 >= 2 AND substr(token, last - 1, 2) = 'ات' THEN
            IF last - first + 1 - 2 >= 3 THEN last := last - 2; END IF;
        ELSIF last - first + 1 - 1 >= 3 AND substr(token, last, 1) = 'ت' THEN
            last := last - 1;
        END IF;
    END IF;
    RETURN substr(token, first, last - first + 1);
END
$fn$;
COMMENT ON FUNCTION bayan_stem(text) IS 'Light stem of one normalized token, as ArabicLightStemmer.stem: article prefix, plural verb ending or accusative alef, one proclitic, one suffix, and after a pronoun a plural or taa marbuta. Tokens not made only of Arabic letters come back unchanged.';

CREATE FUNCTION bayan_lexemes(normalized text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    word text;
    token text[];
    result text[] := '{}';
BEGIN
    -- Normalized text separates words by one space, and no token holds a space: split there first, and run the
    -- tokenizer's regular expression only on words that are not plain Arabic letters (it is the slow part).
    FOREACH word IN ARRAY string_to_array(normalized, ' ') LOOP
        IF word ~ '^[\u0620-\u063F\u0641-\u064A\u066E\u066F\u0671-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF\u0750-\u077F]+$' THEN
            result := result || bayan_stem(word);
        ELSE
            FOR token IN SELECT regexp_matches(word, bayan_token_pattern(), 'g') LOOP
                result := result || bayan_stem(token[1]);
            END LOOP;
        END IF;
    END LOOP;
    RETURN result;
END
$fn$;
COMMENT ON FUNCTION bayan_lexemes(text) IS 'The light stems of the tokens of normalized text, in order (ArabicTokenizer.tokens then ArabicLightStemmer.stem); the input must already be normalized (sentences.normalized_text, or bayan_normalize of a query).';

CREATE FUNCTION bayan_search_vector(normalized text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(bayan_lexemes(normalized));
COMMENT ON FUNCTION bayan_search_vector(text) IS 'Search vector of normalized text: its distinct light stems as lexemes (no positions, which only phrase search would use). Built from an array, not by a text search parser, so tokens are exactly those of ArabicTokenizer; the simple configuration''s behaviour, without its parser.';

CREATE FUNCTION bayan_search_query(query text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN coalesce(
    (SELECT string_agg(DISTINCT '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' & ')
     FROM unnest(bayan_lexemes(bayan_normalize(query))) AS lexeme),
    '')::tsquery;
COMMENT ON FUNCTION bayan_search_query(text) IS 'A text search query from words in any spelling: normalized, tokenized and light-stemmed as the stored sentences, every stem required (AND).';

-- The search vector: an expression index, not a stored generated column. Measured on the whole corpus
-- (344,162 sentences, 50.7 M characters of normalized text): computing bayan_search_vector for every sentence
-- takes the same server time either way (about 130 s on a busy 2-core machine: CREATE INDEX on the expression
-- 132 s; ALTER TABLE ADD COLUMN … GENERATED … STORED 107 s plus 25 s for the GIN index on it), since the function
-- runs once per inserted row in both. The stored column also grows the sentences heap from 201 MB to 294 MB,
-- written by every load and re-label and read by every scan of the table; the GIN index is 33 MB either way.
-- Queries lose nothing: an AND query over the index needs no recheck of the expression.
CREATE INDEX sentences_search_idx ON sentences USING gin (bayan_search_vector(normalized_text));
COMMENT ON INDEX sentences_search_idx IS 'Full-text index over bayan_search_vector(normalized_text), used by search_sentences.';

CREATE FUNCTION search_sentences(query text, max_rows integer DEFAULT 50)
RETURNS TABLE (document_id bigint, ordinal integer, source_name text, published_on date, title text, text text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    SELECT s.document_id, s.ordinal, d.source_name, d.published_on, d.title, s.text
    FROM sentences s
    JOIN documents d ON d.document_id = s.document_id
    WHERE bayan_search_vector(s.normalized_text) @@ bayan_search_query(query)
    ORDER BY d.published_on DESC NULLS LAST, s.document_id, s.ordinal
    LIMIT max_rows
$fn$;
COMMENT ON FUNCTION search_sentences(text, integer) IS 'Full-text search over sentences: SELECT * FROM search_sentences(''الأمم المتحدة''). The query may be written in any spelling (hamza forms, ى/ي, ة/ه, diacritics, tatweel); every word must occur, in any inflection the light stemmer folds. Newest first. Not ranked: without positions every match holds every word, and ts_rank would recompute the vector of every match.';

-- ---------------------------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------------------------

CREATE VIEW theme_days AS
SELECT d.published_on AS day, d.source_name, st.theme_code,
       count(DISTINCT s.normalized_hash) AS sentences,
       count(*) AS hits,
       count(DISTINCT st.document_id) AS documents
FROM sentence_themes st
JOIN sentences s ON s.document_id = st.document_id AND s.ordinal = st.ordinal
JOIN documents d ON d.document_id = st.document_id
WHERE d.published_on IS NOT NULL AND d.duplicate_of IS NULL
GROUP BY d.published_on, d.source_name, st.theme_code;
COMMENT ON VIEW theme_days IS 'Themes by publication day, source and theme. A sentence repeated across documents of the day and source (same normalized text) counts once in sentences; copies of an article (duplicate_of set) carry no sentences and never count. Undated documents are left out.';
COMMENT ON COLUMN theme_days.day IS 'Publication date (documents.published_on).';
COMMENT ON COLUMN theme_days.source_name IS 'The source of the documents.';
COMMENT ON COLUMN theme_days.theme_code IS 'The theme (themes.theme_code).';
COMMENT ON COLUMN theme_days.sentences IS 'Distinct sentences (by normalized text) with the theme: a statement quoted by several articles counts once.';
COMMENT ON COLUMN theme_days.hits IS 'Sentence rows with the theme, repeats included.';
COMMENT ON COLUMN theme_days.documents IS 'Documents with at least one sentence of the theme.';

CREATE VIEW document_themes AS
SELECT d.document_id, st.theme_code, d.source_name, d.published_on, d.title,
       count(*) AS sentences,
       d.sentence_count,
       round(count(*)::numeric / nullif(d.sentence_count, 0), 4) AS share,
       round(sum(st.score)::numeric, 2) AS score
FROM sentence_themes st
JOIN documents d ON d.document_id = st.document_id
GROUP BY d.document_id, st.theme_code;
COMMENT ON VIEW document_themes IS 'The themes of each article, derived from its sentences: how many of its sentences carry each theme and what share of the article that is.';
COMMENT ON COLUMN document_themes.document_id IS 'The document.';
COMMENT ON COLUMN document_themes.theme_code IS 'A theme at least one of its sentences carries.';
COMMENT ON COLUMN document_themes.source_name IS 'Source of the document.';
COMMENT ON COLUMN document_themes.published_on IS 'Publication date of the document, when known.';
COMMENT ON COLUMN document_themes.title IS 'Headline of the document.';
COMMENT ON COLUMN document_themes.sentences IS 'Sentences of the document with the theme.';
COMMENT ON COLUMN document_themes.sentence_count IS 'All sentences of the document.';
COMMENT ON COLUMN document_themes.share IS 'sentences / sentence_count: the share of the article about the theme, 0 to 1.';
COMMENT ON COLUMN document_themes.score IS 'Sum of the scores of its sentences for the theme.';

CREATE VIEW sentence_labels AS
SELECT s.document_id, s.ordinal, d.title AS headline, d.source_name, d.published_on, s.text, s.normalized_text,
       coalesce(l.theme_codes, '{}') AS theme_codes,
       coalesce(l.matched_entries, '{}') AS matched_entries,
       l.max_score
FROM sentences s
JOIN documents d ON d.document_id = s.document_id
LEFT JOIN LATERAL (
    SELECT array_agg(st.theme_code ORDER BY st.score DESC, st.theme_code) AS theme_codes,
           array_agg(st.theme_code || ': ' || array_to_string(st.matched_terms, ', ') ORDER BY st.score DESC, st.theme_code) AS matched_entries,
           max(st.score) AS max_score
    FROM sentence_themes st
    WHERE st.document_id = s.document_id AND st.ordinal = s.ordinal
) l ON true;
COMMENT ON VIEW sentence_labels IS 'Every sentence with its themes, the lexicon entries that matched and its document''s headline: why a sentence has its labels, in one row.';
COMMENT ON COLUMN sentence_labels.document_id IS 'The document.';
COMMENT ON COLUMN sentence_labels.ordinal IS 'Position of the sentence in the document, from 1.';
COMMENT ON COLUMN sentence_labels.headline IS 'Headline of the document (documents.title).';
COMMENT ON COLUMN sentence_labels.source_name IS 'Source of the document.';
COMMENT ON COLUMN sentence_labels.published_on IS 'Publication date of the document, when known.';
COMMENT ON COLUMN sentence_labels.text IS 'The sentence as written.';
COMMENT ON COLUMN sentence_labels.normalized_text IS 'The sentence normalized for matching.';
COMMENT ON COLUMN sentence_labels.theme_codes IS 'Its themes, highest score first; empty when it has none.';
COMMENT ON COLUMN sentence_labels.matched_entries IS 'Per theme, "theme: entry, entry": the lexicon entries that matched, parallel to theme_codes.';
COMMENT ON COLUMN sentence_labels.max_score IS 'Its highest theme score; NULL when it has no theme.';

CREATE VIEW boilerplate_share_by_source AS
SELECT d.source_name,
       count(*) AS documents,
       count(*) FILTER (WHERE d.lines_removed > 0) AS documents_with_chrome,
       sum(d.lines_removed) AS lines_removed,
       sum(d.paragraph_count + 1) AS lines_kept,
       round(sum(d.lines_removed)::numeric / nullif(sum(d.lines_removed + d.paragraph_count + 1), 0), 4) AS share
FROM documents d
WHERE d.duplicate_of IS NULL
GROUP BY d.source_name;
COMMENT ON VIEW boilerplate_share_by_source IS 'How much page chrome each source carries: lines removed as boilerplate against lines kept (headline and body paragraphs), over the documents that are not copies.';
COMMENT ON COLUMN boilerplate_share_by_source.source_name IS 'The source.';
COMMENT ON COLUMN boilerplate_share_by_source.documents IS 'Its documents (copies left out).';
COMMENT ON COLUMN boilerplate_share_by_source.documents_with_chrome IS 'Documents from which at least one line was removed.';
COMMENT ON COLUMN boilerplate_share_by_source.lines_removed IS 'Lines removed as boilerplate.';
COMMENT ON COLUMN boilerplate_share_by_source.lines_kept IS 'Lines kept: the headline and the body paragraphs.';
COMMENT ON COLUMN boilerplate_share_by_source.share IS 'lines_removed / (lines_removed + lines_kept), 0 to 1.';

CREATE VIEW duplicate_documents AS
SELECT c.document_id, c.source_name, c.source_path, c.title, c.duplicate_similarity AS similarity,
       o.document_id AS original_id, o.source_name AS original_source_name, o.source_path AS original_source_path,
       o.title AS original_title, c.source_name = o.source_name AS same_source, c.loaded_at
FROM documents c
JOIN documents o ON o.document_id = c.duplicate_of
WHERE c.duplicate_of IS NOT NULL;
COMMENT ON VIEW duplicate_documents IS 'Every copy of an article beside its original (the earliest copy), with how similar they are.';
COMMENT ON COLUMN duplicate_documents.document_id IS 'The copy.';
COMMENT ON COLUMN duplicate_documents.source_name IS 'Source of the copy.';
COMMENT ON COLUMN duplicate_documents.source_path IS 'Input path of the copy.';
COMMENT ON COLUMN duplicate_documents.title IS 'Headline of the copy.';
COMMENT ON COLUMN duplicate_documents.similarity IS 'Estimated similarity to the original (1 for the same normalized sentences).';
COMMENT ON COLUMN duplicate_documents.original_id IS 'The original (documents.duplicate_of).';
COMMENT ON COLUMN duplicate_documents.original_source_name IS 'Source of the original.';
COMMENT ON COLUMN duplicate_documents.original_source_path IS 'Input path of the original.';
COMMENT ON COLUMN duplicate_documents.original_title IS 'Headline of the original.';
COMMENT ON COLUMN duplicate_documents.same_source IS 'Whether copy and original come from the same source (a re-post) or not (syndication).';
COMMENT ON COLUMN duplicate_documents.loaded_at IS 'When the copy was loaded.';

CREATE VIEW run_problems AS
SELECT q.last_run_id AS run_id, 'quarantine'::text AS kind, q.stage, q.source_path, q.reason AS problem,
       NULL::text AS sqlstate, q.times_seen, q.first_run_id = q.last_run_id AS first_time, q.last_seen_at AS noted_at
FROM quarantine q
UNION ALL
SELECT r.run_id, 'reject', r.stage, r.source_path, r.error || coalesce(' (' || r.detail || ')', ''),
       r.sqlstate, 1, true, r.rejected_at
FROM rejects r;
COMMENT ON VIEW run_problems IS 'What each run could not take: quarantined files (under the latest run that met them) and documents the database rejected.';
COMMENT ON COLUMN run_problems.run_id IS 'The run (for quarantine, the latest run that met the file).';
COMMENT ON COLUMN run_problems.kind IS 'quarantine (the file could not be read or decoded) or reject (the database refused the document).';
COMMENT ON COLUMN run_problems.stage IS 'The stage that refused it.';
COMMENT ON COLUMN run_problems.source_path IS 'The input file.';
COMMENT ON COLUMN run_problems.problem IS 'What is wrong, in words (the server''s detail in parentheses for rejects).';
COMMENT ON COLUMN run_problems.sqlstate IS 'SQLSTATE of the rejection; NULL for quarantine.';
COMMENT ON COLUMN run_problems.times_seen IS 'How many runs met the quarantined file (1 for rejects).';
COMMENT ON COLUMN run_problems.first_time IS 'Whether this run was the first to meet it.';
COMMENT ON COLUMN run_problems.noted_at IS 'When it was last noted.';

CREATE VIEW run_history AS
SELECT r.run_id, r.started_at, r.finished_at, r.status,
       round(extract(epoch FROM r.finished_at - r.started_at)::numeric, 1) AS seconds,
       round(extract(epoch FROM e.finished_at - e.started_at)::numeric, 1) AS extract_seconds,
       round(extract(epoch FROM t.finished_at - t.started_at)::numeric, 1) AS transform_seconds,
       round(extract(epoch FROM l.finished_at - l.started_at)::numeric, 1) AS load_seconds,
       r.files_seen, r.documents_new, r.documents_duplicate, r.sentences, r.theme_hits,
       r.quarantined, r.rejected, r.error
FROM runs r
LEFT JOIN run_stages e ON e.run_id = r.run_id AND e.stage = 'extract'
LEFT JOIN run_stages t ON t.run_id = r.run_id AND t.stage = 'transform'
LEFT JOIN run_stages l ON l.run_id = r.run_id AND l.stage = 'load';
COMMENT ON VIEW run_history IS 'Every run with its duration and the duration of each stage (from run_stages), what it loaded and what it could not take.';
COMMENT ON COLUMN run_history.run_id IS 'The run.';
COMMENT ON COLUMN run_history.started_at IS 'When it started.';
COMMENT ON COLUMN run_history.finished_at IS 'When it ended; NULL while running or after a crash.';
COMMENT ON COLUMN run_history.status IS 'running, succeeded, failed or interrupted.';
COMMENT ON COLUMN run_history.seconds IS 'Wall time of the run in seconds.';
COMMENT ON COLUMN run_history.extract_seconds IS 'Wall time of its extract stage; NULL when it did not run or has not ended.';
COMMENT ON COLUMN run_history.transform_seconds IS 'Wall time of its transform stage.';
COMMENT ON COLUMN run_history.load_seconds IS 'Wall time of its load stage.';
COMMENT ON COLUMN run_history.files_seen IS 'Input files it looked at.';
COMMENT ON COLUMN run_history.documents_new IS 'Documents it added.';
COMMENT ON COLUMN run_history.documents_duplicate IS 'New documents it linked as copies of earlier ones.';
COMMENT ON COLUMN run_history.sentences IS 'Sentences it added.';
COMMENT ON COLUMN run_history.theme_hits IS 'Sentence-theme assignments it added.';
COMMENT ON COLUMN run_history.quarantined IS 'Files it quarantined.';
COMMENT ON COLUMN run_history.rejected IS 'Documents the database rejected during its load.';
COMMENT ON COLUMN run_history.error IS 'Why it failed; NULL when it did not.';

-- ---------------------------------------------------------------------------------------------------------
-- Indexes for the reports (sql/reports/): each shipped report runs in under a second on the whole corpus.
-- ---------------------------------------------------------------------------------------------------------

-- theme_days and theme-top-sentences look up the content hash of each labelled sentence: an index-only scan
-- instead of a heap fetch per theme hit.
CREATE INDEX sentences_hash_lookup_idx ON sentences (document_id, ordinal) INCLUDE (normalized_hash);
COMMENT ON INDEX sentences_hash_lookup_idx IS 'Covering index: the content hash of a sentence by its key, for the views that count repeated sentences once.';
-- The views by day and source read these columns of every document: an index-only scan instead of the heap.
CREATE INDEX documents_reporting_idx ON documents (document_id) INCLUDE (published_on, source_name, duplicate_of, sentence_count);
COMMENT ON INDEX documents_reporting_idx IS 'Covering index: date, source, copy link and sentence count by document, for the reporting views.';
