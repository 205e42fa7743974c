-- Full-text search over sentences: the words of q, in any spelling and inflection, all required; newest first.
-- Hamza forms, alef maqsura, taa marbuta, diacritics and tatweel do not matter: the query is normalized and
-- light-stemmed like the stored sentences (search_sentences).
--
--   :q      the words to find
--   :limit  how many sentences
\if :{?q} \else \set q 'الأمم المتحدة' \endif
\if :{?limit} \else \set limit 20 \endif

SELECT published_on, source_name, text AS sentence, title AS headline, document_id, ordinal
FROM search_sentences(:'q'::text, :'limit'::integer);
