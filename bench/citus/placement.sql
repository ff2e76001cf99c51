-- placement.sql: how P partitions (partition_id 0..P-1) land on shards and workers, for the
-- co-location group of records (default 32 shards) and for shard_count = P (16, 64).
-- Run on the coordinator after schema.sql (citus=1).
SET client_min_messages = warning;
DROP TABLE IF EXISTS skew16, skew64;
CREATE TABLE skew16 (p smallint);
CREATE TABLE skew64 (p smallint);
SET citus.shard_count = 16;
SELECT create_distributed_table('skew16', 'p', colocate_with => 'none') \g /dev/null
SET citus.shard_count = 64;
SELECT create_distributed_table('skew64', 'p', colocate_with => 'none') \g /dev/null
SELECT 'P=' || n || ' over ' || t || ' (' || sc || ' shards): ' || count(DISTINCT s) || ' distinct shards; partitions per worker '
       || string_agg(DISTINCT w, ' ') AS placement
FROM (SELECT n, t, sc, s, port || ':' || count(*) OVER (PARTITION BY n, t, port) AS w
      FROM (SELECT n, t, sc, get_shard_id_for_distribution_column(t, p) AS s,
                   (SELECT nodeport FROM citus_shards c WHERE c.shardid = get_shard_id_for_distribution_column(t, p)) AS port
            FROM (VALUES (16, 'records', 32), (64, 'records', 32), (16, 'skew16', 16), (64, 'skew64', 64)) AS v(n, t, sc),
                 generate_series(0, 63) AS p
            WHERE p < n) AS x) AS y
GROUP BY n, t, sc ORDER BY t, n;
DROP TABLE skew16, skew64;
