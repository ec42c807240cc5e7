-- Forwarding to the provincial 好差评 system (docs/province-guide.md).
-- 000 第三条: departmental systems "按照统一规范传送评价和办件过程数据" to the provincial system.

-- One row per rating the gateway has started to forward. The province's key of the record
-- (projectNo, assessNumber, serviceNumber) is fixed here before the first call and never changes,
-- so a redelivery after a crash resends the same record under the same key, and the province's
-- duplicate check (3002) tells us it already has it.
--   state: SENDING  a call was (or is being) made; its outcome is not known yet
--          SENT     the province holds it (0000, or 3002 after an earlier SENDING)
--          REJECTED the province refused it for good (2001, 3002 on a first send, case refused)
--          DEAD     the gateway could not build or deliver the record (no code, case missing)
--          QUEUED   an operator replayed it from the dead-letter queue; not sent since
create table province_deliveries (
  rating_id      varchar(36)   primary key,
  case_no        varchar(64)   not null,
  assess_number  smallint      not null,
  service_number integer       not null,
  state          varchar(16)   not null,
  attempts       integer       not null,
  code           varchar(16),
  message        varchar(1000),
  created_at     timestamp with time zone not null,
  updated_at     timestamp with time zone not null,
  sent_at        timestamp with time zone,
  constraint province_deliveries_record unique (case_no, assess_number, service_number)
);

-- What the province has of each case (办件服务数据), so that a rating goes only after its case.
--   state: SENT | REJECTED (with the province's code and message)
create table province_cases (
  case_no    varchar(64)   primary key,
  state      varchar(16)   not null,
  status     varchar(16)   not null,
  code       varchar(16),
  message    varchar(1000),
  pushed_at  timestamp with time zone not null
);

-- The dead-letter queue of province.forward: ratings the province refused for good, or that the
-- gateway could not deliver, with the province's code and message. `body` is the rating as it
-- travelled on the broker (evaluator sealed), so a replay sends exactly it again. An entry leaves
-- the queue when a replay of it is forwarded.
create table province_dead_letters (
  rating_id           varchar(36)   primary key,
  case_no             varchar(64)   not null,
  channel             varchar(32)   not null,
  status              varchar(24)   not null,
  code                varchar(16)   not null,
  message             varchar(1000) not null,
  body                text          not null,
  dead_at             timestamp with time zone not null,
  replays             integer       not null,
  replay_requested_at timestamp with time zone
);
create index province_dead_letters_dead_at on province_dead_letters (dead_at);
