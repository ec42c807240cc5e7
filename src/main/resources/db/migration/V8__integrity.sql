-- Integrity signals (issue 13, docs/integrity.md): 002 第十二条 不得弄虚作假刷"好评". Ratings are kept and
-- forwarded as before; what looks manufactured is listed for review. State is here, not in a node's memory,
-- so several gateway nodes see the same windows and the same flags. Written for PostgreSQL; H2 runs it in
-- MODE=PostgreSQL.

-- What a signal needs of each rating, and nothing more: no name, no id number, no clear mobile. The
-- evaluator and the applicant are keyed hashes (PersonalDataCipher.mobileIndex), comparable, not reversible
-- without the data key (002 第十一条: evaluator data stays confidential).
create table integrity_ratings (
  rating_id       varchar(36)  primary key,
  case_no         varchar(64)  not null,
  channel         varchar(32)  not null,
  level           varchar(24)  not null,
  good            boolean      not null,
  rated_at        timestamp with time zone not null,
  completed_at    timestamp with time zone,
  device_id       varchar(64),
  hall_code       varchar(64),
  window_key      varchar(140),
  staff_id        varchar(64),
  evaluator_index varchar(64),
  applicant_index varchar(64),
  recorded_at     timestamp with time zone not null
);
create index integrity_ratings_device on integrity_ratings (device_id, rated_at);
create index integrity_ratings_window on integrity_ratings (window_key, rated_at);
create index integrity_ratings_evaluator on integrity_ratings (evaluator_index, rated_at);
create index integrity_ratings_hall on integrity_ratings (hall_code, rated_at);
create index integrity_ratings_staff on integrity_ratings (staff_id, rated_at);

-- One flag per reason and subject (a device, a window, an evaluator, a hall, a staff member) while it is
-- open: open_key is set while OPEN and cleared by the review, so a second node that sees the same signal
-- joins the open flag instead of opening another (unique; NULLs do not collide on H2 or PostgreSQL).
create table integrity_flags (
  flag_id        varchar(36)   primary key,
  reason         varchar(32)   not null,
  subject_kind   varchar(16)   not null,
  subject        varchar(140)  not null,
  open_key       varchar(200)  unique,
  status         varchar(16)   not null,
  hall_code      varchar(64),
  device_id      varchar(64),
  staff_id       varchar(64),
  detail         varchar(1000) not null,
  detail_en      varchar(1000) not null,
  first_rated_at timestamp with time zone not null,
  last_rated_at  timestamp with time zone not null,
  created_at     timestamp with time zone not null,
  updated_at     timestamp with time zone not null,
  reviewed_by    varchar(64),
  reviewed_at    timestamp with time zone,
  review_note    varchar(1000),
  corrected      integer
);
create index integrity_flags_status on integrity_flags (status, created_at);

-- The ratings a flag is about: confirming the flag corrects exactly these.
create table integrity_flag_ratings (
  flag_id   varchar(36) not null,
  rating_id varchar(36) not null,
  added_at  timestamp with time zone not null,
  primary key (flag_id, rating_id)
);
create index integrity_flag_ratings_rating on integrity_flag_ratings (rating_id);

-- The access guard audits "METHOD path"; a path with a flag id (and a work order's appeal decision) is longer
-- than the 64 characters V1_2 allowed, and the audited request was refused 503. Same width as target.
alter table audit_log alter column action set data type varchar(256);
