-- Statistics (issue 9, docs/statistics.md): counters kept by the stats consumers, so that a figure for any
-- period, region and dimension is a sum over a few aggregate rows, never a scan of the ledger.
-- Written for PostgreSQL; H2 runs it in MODE=PostgreSQL.

-- One row per rating the stats consumer has seen: the idempotency marker (a redelivered rating adds nothing)
-- and what was added, so that a correction subtracts exactly that, once. A correction that arrives before
-- its rating leaves a tombstone (counted = false, corrected = true): the rating then adds nothing.
create table stats_ratings (
  rating_id     varchar(36)  primary key,
  case_no       varchar(64),
  rated_day     date,
  area_code     varchar(12),
  dept_code     varchar(64),
  task_code     varchar(64),
  staff_id      varchar(64),
  hall_code     varchar(64),
  business_line varchar(64),
  channel       varchar(32),
  target_type   varchar(16),
  level         varchar(24),
  tags          varchar(400),
  defaulted     boolean default false not null,
  counted       boolean      not null,
  corrected     boolean default false not null,
  recorded_at   timestamp with time zone not null
);
create index stats_ratings_case on stats_ratings (case_no);

-- One row per case: its period (the day it was accepted), its dimensions, and the marks it adds to the
-- case counters now (CASES, ACTIVE, RATED, CH:<channel>, G:<coverage group>). A change of marks is applied
-- as a difference in the same transaction.
create table stats_cases (
  case_no       varchar(64)  primary key,
  accepted_day  date         not null,
  area_code     varchar(12)  not null,
  dept_code     varchar(64)  not null,
  task_code     varchar(64),
  staff_id      varchar(64),
  hall_code     varchar(64),
  business_line varchar(64),
  marks         varchar(1000) not null,
  updated_at    timestamp with time zone not null
);

-- One row per 差评工单: its period (the day it was created) and the marks it adds now (WO_TOTAL, WO_HANDLED, WO_RECTIFIED).
create table stats_work_orders (
  work_order_id varchar(36)  primary key,
  rating_id     varchar(36)  not null,
  created_day   date         not null,
  area_code     varchar(12)  not null,
  dept_code     varchar(64)  not null,
  task_code     varchar(64),
  staff_id      varchar(64),
  hall_code     varchar(64),
  business_line varchar(64),
  marks         varchar(200) not null,
  updated_at    timestamp with time zone not null
);

-- Rating counters by grain (D day, M month, Y year), dimension, period start, area, unit code, channel and
-- kind of rating, one column per level. Scores, rates and means are derived: score = 10/8/6/3/0 per level.
create table stats_rating_agg (
  grain               varchar(1)  not null,
  dim                 varchar(16) not null,
  period_start        date        not null,
  area_code           varchar(12) not null,
  code                varchar(64) not null,
  channel             varchar(32) not null,
  target_type         varchar(16) not null,
  n_very_satisfied    bigint default 0 not null,
  n_satisfied         bigint default 0 not null,
  n_basic             bigint default 0 not null,
  n_dissatisfied      bigint default 0 not null,
  n_very_dissatisfied bigint default 0 not null,
  primary key (grain, dim, period_start, area_code, code, channel, target_type)
);
create index stats_rating_agg_code on stats_rating_agg (dim, code, grain, period_start);

-- Bad-rating tags (评价标签) by the same keys.
create table stats_tag_agg (
  grain        varchar(1)  not null,
  dim          varchar(16) not null,
  period_start date        not null,
  area_code    varchar(12) not null,
  code         varchar(64) not null,
  target_type  varchar(16) not null,
  tag          varchar(32) not null,
  n            bigint default 0 not null,
  primary key (grain, dim, period_start, area_code, code, target_type, tag)
);
create index stats_tag_agg_code on stats_tag_agg (dim, code, grain, period_start);

-- Case and work-order counters: how many cases (or work orders) of the period carry each mark.
create table stats_counts (
  grain        varchar(1)  not null,
  dim          varchar(16) not null,
  period_start date        not null,
  area_code    varchar(12) not null,
  code         varchar(64) not null,
  measure      varchar(48) not null,
  n            bigint default 0 not null,
  primary key (grain, dim, period_start, area_code, code, measure)
);
create index stats_counts_code on stats_counts (dim, code, grain, period_start);

-- The registry of 政务服务大厅 for 大厅推广率 (000 第二十二条): managed over /api/v1/stats/hall-registry;
-- a hall code seen on a case and not registered is added as DISCOVERED, so no hall with cases is left out.
create table stats_halls (
  hall_code  varchar(64)  primary key,
  name       varchar(256),
  area_code  varchar(12)  not null,
  dept_code  varchar(64),
  active     boolean      not null,
  source     varchar(16)  not null,
  created_at timestamp with time zone not null,
  updated_at timestamp with time zone not null
);
create index stats_halls_area on stats_halls (area_code);
create index stats_halls_dept on stats_halls (dept_code);

-- Display names of units (agency, item, staff) as the cases last gave them.
create table stats_names (
  dim  varchar(16)  not null,
  code varchar(64)  not null,
  name varchar(256) not null,
  primary key (dim, code)
);
