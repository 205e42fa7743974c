-- Boilerplate share by source: lines removed as page chrome against lines kept, per source.

SELECT source_name AS source, documents, documents_with_chrome, lines_removed, lines_kept,
       round(100 * share, 2) AS removed_pct
FROM boilerplate_share_by_source
ORDER BY share DESC NULLS LAST, source_name;
