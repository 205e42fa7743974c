-- Co-occurring themes: pairs of themes that label the same sentence, how often, and the lift (how much more
-- often than if the two were independent; above 1 they go together).
--
--   :min_count  smallest number of shared sentences for a pair to be listed
\if :{?min_count} \else \set min_count 5 \endif

WITH labelled AS (
    SELECT count(DISTINCT (document_id, ordinal)) AS sentences FROM sentence_themes
), per_theme AS (
    SELECT theme_code, count(*) AS sentences FROM sentence_themes GROUP BY theme_code
), pairs AS (
    SELECT a.theme_code AS theme_a, b.theme_code AS theme_b, count(*) AS sentences
    FROM sentence_themes a
    JOIN sentence_themes b ON b.document_id = a.document_id AND b.ordinal = a.ordinal AND b.theme_code > a.theme_code
    GROUP BY 1, 2
)
SELECT p.theme_a, p.theme_b, p.sentences,
       round(p.sentences::numeric * l.sentences / (ta.sentences * tb.sentences), 2) AS lift,
       round(100.0 * p.sentences / ta.sentences, 1) AS pct_of_a,
       round(100.0 * p.sentences / tb.sentences, 1) AS pct_of_b
FROM pairs p
CROSS JOIN labelled l
JOIN per_theme ta ON ta.theme_code = p.theme_a
JOIN per_theme tb ON tb.theme_code = p.theme_b
WHERE p.sentences >= :'min_count'::integer
ORDER BY p.sentences DESC, p.theme_a, p.theme_b;
