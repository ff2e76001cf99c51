-- 300,000 (-v n=N) synthetic records for bench/lab: -v dist=uniform (30 days) or realistic (95 % within the hour, 4 % a week, 1 % 90 days)
TRUNCATE records, hourly_totals, daily_totals, weekly_totals;
INSERT INTO records (record_id, seq, record_time, source_id, destination_id, record_type, amount, amount_scale, unit, reference, processed_at)
SELECT 'r-' || g, g,
       CASE WHEN :'dist' = 'uniform' THEN timestamptz '2026-03-01 00:00Z' + (random() * 30 * 86400) * interval '1 second'
            ELSE timestamptz '2026-03-31 00:00Z' - (CASE WHEN random() < 0.95 THEN random() * 3600 WHEN random() < 0.8 THEN random() * 7 * 86400 ELSE random() * 90 * 86400 END) * interval '1 second' END,
       'src', 'acct-' || (random() * 10000)::int, CASE WHEN random() < 0.5 THEN 'positive' ELSE 'negative' END,
       round((random() * 1000)::numeric, 2), 2, (ARRAY['EUR','SEK','USD'])[1 + (random() * 2)::int], 'ref-' || (g % 5000), now()
FROM generate_series(1, :n) g;
VACUUM ANALYZE records;
