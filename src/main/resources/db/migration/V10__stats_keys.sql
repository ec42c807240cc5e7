-- The counter upserts (StatsStore.apply) name every primary-key column, yet with a second index on
-- (dim, code, grain, period_start) both databases chose that index for them (EXPLAIN on PostgreSQL 15
-- and on H2 2.3: an index scan over every row of the unit and period, then a filter on the other key
-- columns), and every new counter row was written into two B-trees. Without it the primary key is the only
-- index that serves the upsert. The reads of one unit (code = ?) now take the primary key's range
-- (grain, dim, period_start), the same rows a list of the dimension reads: measured at one million
-- ratings in docs/benchmarks.md "Statistics".
drop index stats_rating_agg_code;
drop index stats_tag_agg_code;
drop index stats_counts_code;
