-- The age of the oldest rating not yet forwarded, shown in health and as a gauge on every scrape
-- (docs/operations.md): the first entry of this index with status ACCEPTED answers it without a scan.
create index ratings_status_received on ratings (status, received_at);
