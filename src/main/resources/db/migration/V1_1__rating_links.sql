-- Short, unguessable, single-use links to the H5 rating page (/r/{token}) sent by SMS and shown
-- as dynamic QR codes. The token is random (12 base62 characters, ~71 bits), not derived from the case.
create table rating_links (
  token       varchar(32)  primary key,
  case_no     varchar(64)  not null,
  channel     varchar(32)  not null,
  target_type varchar(16),
  staff_id    varchar(64),
  created_at  timestamp with time zone not null,
  expires_at  timestamp with time zone not null,
  used_at     timestamp with time zone,
  rating_id   varchar(36)
);
create index rating_links_case_no on rating_links (case_no);
