-- Theme trends by week: distinct sentences per theme and week, stacked in the chart.
-- A sentence repeated in several articles of the same day and source counts once; copies of an article never
-- count. Draw it: bayan report themes-over-time --format html > themes.html
--
--   :since   first publication date included (YYYY-MM-DD)
--   :until   last publication date included
--   :source  only this source; empty for every source
\if :{?since} \else \set since 1900-01-01 \endif
\if :{?until} \else \set until 2100-12-31 \endif
\if :{?source} \else \set source '' \endif

SELECT date_trunc('week', td.day)::date AS week,
       t.name_ar AS theme,
       td.theme_code,
       sum(td.sentences) AS sentences
FROM theme_days td
JOIN themes t ON t.theme_code = td.theme_code
WHERE td.day BETWEEN :'since'::date AND :'until'::date
  AND (:'source'::text = '' OR td.source_name = :'source'::text)
GROUP BY 1, 2, 3, t.sort_order
ORDER BY 1, t.sort_order;
