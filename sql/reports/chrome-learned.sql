-- New chrome lines learned lately: page chrome the pipeline learned from repetition in the latest runs, with how
-- many documents of each source carry it (line_counts). Review them: a learned line is removed from every article.
--
--   :runs   how many of the latest runs count as lately
--   :limit  how many lines
\if :{?runs} \else \set runs 10 \endif
\if :{?limit} \else \set limit 50 \endif

WITH recent AS (
    SELECT run_id, started_at FROM runs ORDER BY started_at DESC LIMIT :'runs'::integer
)
SELECT b.sample_text AS line, b.documents_seen, b.sources_seen,
       (SELECT string_agg(lc.source_name || ': ' || lc.documents, ', ' ORDER BY lc.documents DESC, lc.source_name)
        FROM line_counts lc WHERE lc.line_hash = b.line_hash) AS documents_by_source,
       r.started_at::date AS learned_on, b.first_run_id
FROM boilerplate_lines b
JOIN recent r ON r.run_id = b.first_run_id
WHERE b.origin = 'learned'
ORDER BY r.started_at DESC, b.documents_seen DESC, b.sample_text
LIMIT :'limit'::integer;
