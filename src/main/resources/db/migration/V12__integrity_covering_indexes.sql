-- The integrity signals count a subject's ratings in a time range, the good ones apart
-- (docs/integrity.md): with `good` in the index the counts read the index alone, not a row per
-- rating — a hall or staff member rated thousands of times a month costs an index range, not thousands
-- of row reads, for every rating that arrives.
drop index integrity_ratings_device;
drop index integrity_ratings_window;
drop index integrity_ratings_evaluator;
drop index integrity_ratings_hall;
drop index integrity_ratings_staff;
create index integrity_ratings_device on integrity_ratings (device_id, rated_at, good);
create index integrity_ratings_window on integrity_ratings (window_key, rated_at, good);
create index integrity_ratings_evaluator on integrity_ratings (evaluator_index, rated_at, good, applicant_index);
create index integrity_ratings_hall on integrity_ratings (hall_code, rated_at, good);
create index integrity_ratings_staff on integrity_ratings (staff_id, rated_at, good);
