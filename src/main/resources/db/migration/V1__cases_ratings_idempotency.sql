-- Foundation tables. Written for PostgreSQL; H2 runs it in MODE=PostgreSQL.
-- Personal data (applicant, evaluator) is stored only sealed (AES-256-GCM, see PersonalDataCipher);
-- *_mobile_hash is a keyed hash so a mobile can be looked up (SMS replies) without storing it in clear.

create table cases (
  case_no               varchar(64)  primary key,
  task_code             varchar(64)  not null,
  item_name             varchar(256) not null,
  dept_code             varchar(64)  not null,
  dept_name             varchar(256),
  area_code             varchar(12)  not null,
  hall_code             varchar(64),
  window_no             varchar(32),
  staff_id              varchar(64),
  staff_name            varchar(64),
  business_line         varchar(64),
  mode                  varchar(16)  not null,
  project_type          varchar(16),
  status                varchar(16)  not null,
  accepted_at           timestamp with time zone not null,
  completed_at          timestamp with time zone,
  promise_days          integer,
  visit_id              varchar(64),
  theme_id              varchar(64),
  applicant_sealed      varchar(4000),
  applicant_mobile_hash varchar(64),
  created_at            timestamp with time zone not null,
  updated_at            timestamp with time zone not null
);
create index cases_applicant_mobile on cases (applicant_mobile_hash);
create index cases_hall_window on cases (hall_code, window_no);
create index cases_completed_at on cases (completed_at);

create table ratings (
  rating_id        varchar(36)  primary key,
  natural_key      varchar(64)  not null,
  source_ref       varchar(128),
  case_no          varchar(64)  not null,
  assess_number    smallint     not null,
  stage            varchar(16)  not null,
  channel          varchar(32)  not null,
  level            varchar(24)  not null,
  score            smallint     not null,
  tags             varchar(400),
  comment_text     varchar(2000),
  target_type      varchar(16)  not null,
  task_code        varchar(64),
  item_name        varchar(256),
  dept_code        varchar(64),
  staff_id         varchar(64),
  hall_code        varchar(64),
  window_no        varchar(32),
  area_code        varchar(12),
  business_line    varchar(64),
  visit_id         varchar(64),
  evaluator_sealed varchar(4000),
  rated_at         timestamp with time zone not null,
  received_at      timestamp with time zone not null,
  defaulted        boolean      not null,
  status           varchar(24)  not null,
  status_detail    varchar(1000),
  forwarded_at     timestamp with time zone,
  recorded_at      timestamp with time zone not null
);
create index ratings_case_no on ratings (case_no);
create index ratings_natural_key on ratings (natural_key);
create index ratings_received_at on ratings (received_at);

-- One row per natural key (caseNo, assessNumber, stage, target): written before the 202, so an
-- identical replay gets the same ratingId and different content under the same key gets 409.
create table idempotency_keys (
  natural_key  varchar(64) primary key,
  content_hash varchar(64) not null,
  rating_id    varchar(36) not null,
  created_at   timestamp with time zone not null
);
create index idempotency_keys_rating_id on idempotency_keys (rating_id);
