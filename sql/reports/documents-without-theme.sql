-- Documents with no theme: articles (not copies) none of whose sentences took a theme, longest first. A long
-- article here is worth a look: a lexicon gap, or an article outside the codebook.
--
--   :since  first publication date included (YYYY-MM-DD); undated documents are included
--   :limit  how many documents
\if :{?since} \else \set since 1900-01-01 \endif
\if :{?limit} \else \set limit 50 \endif

SELECT d.document_id, d.source_name, d.published_on, d.sentence_count AS sentences, d.title, d.source_path
FROM documents d
WHERE d.duplicate_of IS NULL
  AND d.sentence_count > 0
  AND (d.published_on IS NULL OR d.published_on >= :'since'::date)
  AND NOT EXISTS (SELECT 1 FROM sentence_themes st WHERE st.document_id = d.document_id)
ORDER BY d.sentence_count DESC, d.document_id
LIMIT :'limit'::integer;
