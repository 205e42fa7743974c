-- Top sentences for a theme in a period: the highest-scoring sentences, each wording once, with their evidence.
-- A sentence quoted by several articles is shown once, from its earliest article.
--
--   :theme   theme code (see the themes table)
--   :since   first publication date included (YYYY-MM-DD)
--   :until   last publication date included
--   :limit   how many sentences
\if :{?theme} \else \set theme security \endif
\if :{?since} \else \set since 1900-01-01 \endif
\if :{?until} \else \set until 2100-12-31 \endif
\if :{?limit} \else \set limit 20 \endif

SELECT score, published_on, source_name, sentence, matched_terms, headline, document_id, ordinal
FROM (
    SELECT DISTINCT ON (s.normalized_hash)
           round(st.score::numeric, 2) AS score, d.published_on, d.source_name, s.text AS sentence,
           array_to_string(st.matched_terms, '، ') AS matched_terms, d.title AS headline, s.document_id, s.ordinal
    FROM sentence_themes st
    JOIN sentences s ON s.document_id = st.document_id AND s.ordinal = st.ordinal
    JOIN documents d ON d.document_id = st.document_id
    WHERE st.theme_code = :'theme'::text
      AND d.published_on BETWEEN :'since'::date AND :'until'::date
    ORDER BY s.normalized_hash, st.score DESC, d.published_on, s.document_id
) best
ORDER BY score DESC, published_on DESC, document_id, ordinal
LIMIT :'limit'::integer;
