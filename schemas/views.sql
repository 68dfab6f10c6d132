-- Views created in the DuckLake catalog by schemas/views.py (create_views). Names inside a view are left
-- unqualified: DuckDB resolves them in the view's own catalog, so the views work under any ATTACH alias.
-- Each statement ends with ';' at the end of a line; schemas/views.py documents every column.

-- The latest copy of every article (a dump ingested from two paths gives the same article_id twice: the
-- newest run wins), canonical copies of duplicate clusters only. The `articles` table keeps every copy.
CREATE OR REPLACE VIEW articles_current AS
SELECT *
FROM articles
WHERE coalesce(is_canonical, true)
QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY run_id DESC, source_path) = 1;

-- Only day-precision dates: a month or a year is not a day to count.
CREATE OR REPLACE VIEW daily_counts AS
SELECT
    published_date,
    language,
    publisher,
    count(*) AS articles,
    sum(word_count)::BIGINT AS words
FROM articles_current
WHERE published_date IS NOT NULL AND date_precision = 'day'
GROUP BY ALL;

CREATE OR REPLACE VIEW publisher_summary AS
SELECT
    publisher,
    any_value(publisher_country) AS publisher_country,
    count(*) AS articles,
    list_sort(list_distinct(list(language))) AS languages,
    min(published_date) AS first_date,
    max(published_date) AS last_date,
    avg(CASE WHEN translated THEN 1.0 ELSE 0.0 END) AS share_translated,
    avg(CASE WHEN origin_kind = 'wire_copy' THEN 1.0 ELSE 0.0 END) AS share_wire_copy
FROM articles_current
WHERE publisher IS NOT NULL
GROUP BY publisher;

-- A removed line belongs to the article it sat in or before (same file, same segment); lines of a file
-- that gave no article, or before any article, have no publisher.
CREATE OR REPLACE VIEW removal_rules AS
SELECT
    r.rule_id,
    r.kind,
    a.publisher,
    count(*) AS lines,
    count(DISTINCT r.dump_id) AS dumps
FROM removed_lines AS r
LEFT JOIN articles AS a ON a.source_path = r.source_path AND a.segment_index = r.segment_index
GROUP BY ALL;

-- Every copy counts here, canonical or not: one row per member of a cluster of two articles or more.
CREATE OR REPLACE VIEW duplicates AS
WITH latest AS (
    SELECT *
    FROM articles
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY run_id DESC, source_path) = 1
),
sized AS (
    SELECT *, count(*) OVER (PARTITION BY dup_cluster_id) AS cluster_size
    FROM latest
    WHERE dup_cluster_id IS NOT NULL
)
SELECT
    dup_cluster_id,
    cluster_size,
    article_id,
    coalesce(is_canonical, false) AS is_canonical,
    dup_kind,
    title,
    publisher,
    published_date,
    language,
    source_path
FROM sized
WHERE cluster_size > 1;
