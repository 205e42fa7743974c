-- Duplicates per source: how many of each source's documents are copies of an earlier article, copied from the
-- same source (re-posts) or from another one (syndication), and how close the copies are.

SELECT d.source_name AS source,
       count(*) AS documents,
       count(*) FILTER (WHERE d.duplicate_of IS NOT NULL) AS copies,
       round(100.0 * count(*) FILTER (WHERE d.duplicate_of IS NOT NULL) / count(*), 2) AS copies_pct,
       count(*) FILTER (WHERE o.source_name = d.source_name) AS from_same_source,
       count(*) FILTER (WHERE o.source_name <> d.source_name) AS from_other_sources,
       count(*) FILTER (WHERE d.duplicate_similarity = 1) AS exact_copies,
       round(avg(d.duplicate_similarity)::numeric, 3) AS mean_similarity
FROM documents d
LEFT JOIN documents o ON o.document_id = d.duplicate_of
GROUP BY d.source_name
ORDER BY copies DESC, source;
