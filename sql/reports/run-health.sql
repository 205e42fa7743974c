-- Run health over the last days: every run with its status, how long each stage took, what it loaded and what
-- it could not take (quarantined files, rejected documents), newest first.
--
--   :days  how many days back
\if :{?days} \else \set days 30 \endif

SELECT run_id, started_at::timestamp(0) AS started_at, status, seconds, extract_seconds, transform_seconds, load_seconds,
       files_seen, documents_new, documents_duplicate, sentences, theme_hits, quarantined, rejected,
       left(error, 120) AS error
FROM run_history
WHERE started_at >= now() - make_interval(days => :'days'::integer)
ORDER BY started_at DESC;
