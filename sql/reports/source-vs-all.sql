-- Themes of one source versus all sources: the share of each theme in the source's sentences beside its share
-- overall, and how many times more (or less) the source carries it.
--
--   :source  the source; empty for the source with the most documents
\if :{?source} \else \set source '' \endif

WITH chosen AS (
    SELECT coalesce(nullif(:'source'::text, ''),
                    (SELECT source_name FROM documents GROUP BY source_name ORDER BY count(*) DESC, source_name LIMIT 1)) AS source_name
), totals AS (
    SELECT sum(d.sentence_count) FILTER (WHERE d.source_name = c.source_name) AS source_sentences,
           sum(d.sentence_count) AS all_sentences
    FROM documents d CROSS JOIN chosen c
    WHERE d.duplicate_of IS NULL
), hits AS (
    SELECT td.theme_code,
           sum(td.hits) FILTER (WHERE td.source_name = c.source_name) AS source_hits,
           sum(td.hits) AS all_hits
    FROM (SELECT d.source_name, st.theme_code, count(*) AS hits
          FROM sentence_themes st JOIN documents d ON d.document_id = st.document_id
          GROUP BY 1, 2) td
    CROSS JOIN chosen c
    GROUP BY td.theme_code
)
SELECT c.source_name AS source, t.theme_code, t.name_ar AS theme,
       coalesce(h.source_hits, 0) AS source_sentences,
       round(100.0 * coalesce(h.source_hits, 0) / nullif(x.source_sentences, 0), 2) AS source_pct,
       coalesce(h.all_hits, 0) AS all_sentences,
       round(100.0 * coalesce(h.all_hits, 0) / nullif(x.all_sentences, 0), 2) AS all_pct,
       round((coalesce(h.source_hits, 0)::numeric / nullif(x.source_sentences, 0))
             / nullif(coalesce(h.all_hits, 0)::numeric / nullif(x.all_sentences, 0), 0), 2) AS ratio
FROM themes t
CROSS JOIN chosen c
CROSS JOIN totals x
LEFT JOIN hits h ON h.theme_code = t.theme_code
ORDER BY t.sort_order;
