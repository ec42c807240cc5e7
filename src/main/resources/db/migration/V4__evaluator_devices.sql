-- Window evaluators (评价器, MQTT tablets): one row per device, bound to a hall and a window
-- (000 第十三条: an evaluator at every window; it enters the rating screen when the case is completed).
-- The device logs in to MQTT with its id and a generated password, of which only a salted SHA-256
-- is kept. window_key is hall_code/window_no while the device is enabled and null otherwise, so
-- that one window has at most one enabled evaluator (a unique index allows many nulls).
create table evaluator_devices (
  device_id         varchar(64)  primary key,
  name              varchar(128),
  hall_code         varchar(64)  not null,
  window_no         varchar(32)  not null,
  window_key        varchar(100),
  enabled           boolean      not null,
  secret_salt       varchar(32)  not null,
  secret_hash       varchar(64)  not null,
  online            boolean      not null,
  last_seen_at      timestamp with time zone,
  status_changed_at timestamp with time zone,
  created_at        timestamp with time zone not null,
  updated_at        timestamp with time zone not null
);
create unique index evaluator_devices_window_key on evaluator_devices (window_key);
create index evaluator_devices_hall_window on evaluator_devices (hall_code, window_no);

-- Every rating message a device sent, by its msgId, with the ack the gateway answered: a device
-- that retries after a lost ack gets the same ack again, never a second rating.
create table evaluator_messages (
  device_id  varchar(64)   not null,
  msg_id     varchar(64)   not null,
  rating_id  varchar(36),
  ack        varchar(4000) not null,
  created_at timestamp with time zone not null,
  primary key (device_id, msg_id)
);
create index evaluator_messages_created_at on evaluator_messages (created_at);
