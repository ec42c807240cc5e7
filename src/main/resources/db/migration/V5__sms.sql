-- SMS over SMPP (docs/sms.md). Mobiles are never stored in clear: mobile_hash is the keyed hash of
-- PersonalDataCipher.mobileIndex, mobile_sealed the AES-GCM sealed number.

-- Every SMS the gateway sends: prompts, the reminder, answers to replies, work-order feedback.
-- status: QUEUED (in the broker's sms.outbox) -> SUBMITTED (every part has an SMSC message id)
--         -> DELIVERED | FAILED | EXPIRED (from delivery receipts); FAILED also when the SMSC refused it.
-- sms_id is time-ordered (UUIDv7): the rows a batch updates share pages. sms_key is the stable
-- digest of what caused the SMS ("PROMPT:<caseNo>", "reply:<moId>:THANKS"), so a trigger handled
-- twice logs (and sends) one SMS.
create table sms_log (
  sms_id        varchar(36)   primary key,
  sms_key       varchar(36)   not null,
  case_no       varchar(64),
  kind          varchar(24)   not null,
  mobile_hash   varchar(64)   not null,
  source_addr   varchar(21)   not null,
  text          varchar(2000) not null,
  parts         smallint      not null,
  reference     smallint      not null,
  status        varchar(16)   not null,
  status_detail varchar(200),
  attempts      smallint      not null,
  created_at    timestamp with time zone not null,
  submitted_at  timestamp with time zone,
  done_at       timestamp with time zone
);
create unique index sms_log_key on sms_log (sms_key);
create index sms_log_case_no on sms_log (case_no);
create index sms_log_mobile on sms_log (mobile_hash, created_at);
-- No index on status or time: the status changes twice per SMS and the embedded H2 rewrites every
-- index of a row it updates; people look SMS up by case (above) or by mobile (below).

-- One row per submit_sm the SMSC accepted (its message id) and per delivery receipt: the receipt
-- may arrive before the gateway has written the id down, so either side creates the row.
create table sms_parts (
  message_id    varchar(65)  primary key,
  sms_id        varchar(36),
  seq           smallint,
  submitted_at  timestamp with time zone,
  receipt_state varchar(16),
  receipt_error varchar(16),
  receipt_at    timestamp with time zone
);
create index sms_parts_sms_id on sms_parts (sms_id);

-- Prompts, reminders and feedback waiting for their time (window wait, quiet hours), polled with
-- FOR UPDATE SKIP LOCKED so that several gateway nodes never send one twice.
create table sms_schedule (
  schedule_id varchar(200)  primary key,
  case_no     varchar(64)   not null,
  kind        varchar(24)   not null,
  due_at      timestamp with time zone not null,
  detail      varchar(2000),
  created_at  timestamp with time zone not null,
  done_at     timestamp with time zone,
  outcome     varchar(48)
);
create index sms_schedule_due on sms_schedule (done_at, due_at);
create index sms_schedule_case_no on sms_schedule (case_no);

-- Which case a reply is about: each prompt goes out from the service number plus an extension
-- that is unique among the open cases of that mobile; the reply comes back to it.
-- state: AWAITING_RATING -> AWAITING_REASON (after 不满意/非常不满意) -> RATED.
create table sms_conversations (
  mobile_hash   varchar(64)  not null,
  extension     varchar(8)   not null,
  case_no       varchar(64)  not null,
  state         varchar(24)  not null,
  pending_level varchar(24),
  rating_id     varchar(36),
  prompted_at   timestamp with time zone not null,
  expires_at    timestamp with time zone not null,
  updated_at    timestamp with time zone not null,
  primary key (mobile_hash, extension)
);
create index sms_conversations_case on sms_conversations (case_no);
create index sms_conversations_recent on sms_conversations (mobile_hash, prompted_at);

-- Numbers that replied TD / 退订: no prompt or reminder is sent to them again.
create table sms_opt_outs (
  mobile_hash  varchar(64) primary key,
  opted_out_at timestamp with time zone not null
);

-- Parts of a long reply (concatenated MO) until the last one arrives.
create table sms_mo_parts (
  mobile_hash varchar(64)  not null,
  dest_addr   varchar(21)  not null,
  reference   integer      not null,
  total       smallint     not null,
  seq         smallint     not null,
  text        varchar(400) not null,
  received_at timestamp with time zone not null,
  primary key (mobile_hash, dest_addr, reference, total, seq)
);
