-- Rating lifecycle (issue 7): persistent timers, the lifecycle-event outbox, applied ratings,
-- content review (002 第八条), 差评工单 with appeals, and the correction mark on ratings.
-- Written for PostgreSQL; H2 runs it in MODE=PostgreSQL.

-- One row per timer: (kind, subject) is unique, so a redelivered case event starts nothing twice.
-- Pollers take due rows with FOR UPDATE SKIP LOCKED; rows stay as the record of what fired.
create table lifecycle_timers (
  kind        varchar(32)  not null,
  subject     varchar(128) not null,
  case_no     varchar(64),
  due_at      timestamp with time zone not null,
  state       varchar(16)  not null,
  payload     varchar(1000),
  created_at  timestamp with time zone not null,
  closed_at   timestamp with time zone,
  outcome     varchar(400),
  primary key (kind, subject)
);
create index lifecycle_timers_pending on lifecycle_timers (state, due_at);
create index lifecycle_timers_case_no on lifecycle_timers (case_no);

-- Lifecycle events, written in the transaction of the change they report, relayed to the broker
-- address lifecycle-events (event_id is the broker's duplicate-detection id).
create table lifecycle_outbox (
  event_id   varchar(200)  primary key,
  type       varchar(40)   not null,
  case_no    varchar(64),
  body       varchar(8000) not null,
  created_at timestamp with time zone not null,
  sent_at    timestamp with time zone
);
create index lifecycle_outbox_unsent on lifecycle_outbox (sent_at, created_at);

-- A rating the gateway applied from another: batch visit (000 第十八条) or theme (000 第十九条, 002 第十条).
create table rating_applications (
  rating_id    varchar(36) primary key,
  applied_from varchar(36) not null,
  case_no      varchar(64) not null,
  scope        varchar(16) not null,
  created_at   timestamp with time zone not null
);
create index rating_applications_from on rating_applications (applied_from);

create index cases_visit_task on cases (visit_id, task_code);
create index cases_theme on cases (theme_id);

-- 002 第八条: the text of a bad rating is reviewed within 15 natural days, approved when time runs out.
create table content_reviews (
  rating_id    varchar(36)   primary key,
  case_no      varchar(64)   not null,
  level        varchar(24)   not null,
  comment_text varchar(2000) not null,
  state        varchar(16)   not null,
  due_at       timestamp with time zone not null,
  created_at   timestamp with time zone not null,
  decided_at   timestamp with time zone,
  decided_by   varchar(64),
  by_default   boolean default false not null,
  notes        varchar(1000)
);
create index content_reviews_state on content_reviews (state, due_at);

-- 差评工单 (000 第二十三条-第二十五条, 002 第十三条-第十四条). The evaluator is sealed like everywhere else.
create table work_orders (
  id                     varchar(36)   primary key,
  rating_id              varchar(36)   not null unique,
  case_no                varchar(64)   not null,
  level                  varchar(24)   not null,
  tags                   varchar(400),
  comment_text           varchar(2000),
  channel                varchar(32)   not null,
  task_code              varchar(64),
  item_name              varchar(256),
  dept_code              varchar(64),
  staff_id               varchar(64),
  hall_code              varchar(64),
  window_no              varchar(32),
  area_code              varchar(12),
  business_line          varchar(64),
  evaluator_sealed       varchar(4000),
  state                  varchar(24)   not null,
  resolution             varchar(24),
  created_at             timestamp with time zone not null,
  updated_at             timestamp with time zone not null,
  verified_at            timestamp with time zone,
  rectify_due_at         timestamp with time zone,
  rectified_at           timestamp with time zone,
  report_due_at          timestamp with time zone,
  revisited_at           timestamp with time zone,
  closed_at              timestamp with time zone,
  overdue                boolean default false not null,
  overdue_since          timestamp with time zone,
  rectification          varchar(2000),
  explanation            varchar(2000),
  appeal_file_due_at     timestamp with time zone,
  appeal_state           varchar(16),
  appeal_reason          varchar(24),
  appeal_actor           varchar(64),
  appeal_notes           varchar(2000),
  appeal_filed_at        timestamp with time zone,
  appeal_verify_due_at   timestamp with time zone,
  appeal_decided_at      timestamp with time zone,
  appeal_decided_by      varchar(64),
  appeal_decision_notes  varchar(2000),
  appeal_overdue         boolean default false not null,
  version                integer not null
);
create index work_orders_state on work_orders (state);
create index work_orders_dept on work_orders (dept_code);
create index work_orders_case_no on work_orders (case_no);

create table work_order_history (
  work_order_id varchar(36)  not null,
  seq           integer      not null,
  action        varchar(24)  not null,
  from_state    varchar(24),
  to_state      varchar(24),
  actor         varchar(64),
  notes         varchar(2000),
  at            timestamp with time zone not null,
  primary key (work_order_id, seq)
);

-- A bad rating found misjudged, malicious (000 第二十五条) or system-caused (002 第十三条) is corrected:
-- it stays in the ledger, marked, and every statistic must leave out rows where corrected is true.
alter table ratings add column corrected boolean default false not null;
alter table ratings add column correction_reason varchar(24);
alter table ratings add column correction_note varchar(1000);
alter table ratings add column corrected_at timestamp with time zone;
alter table ratings add column corrected_by varchar(64);
