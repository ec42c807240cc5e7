-- Questionnaire answers (000 第八条: 评价问询表单 per service item, docs/questionnaires.md), written by the
-- ledger in the same transaction as their rating (ratings.rating_id), idempotent on the key like the rating.
-- One row per chosen option (single: one row, multiple: one per code), per score, per text answer, so that
-- the statistics are a group-by. No personal data: who rated stays sealed in ratings.evaluator_sealed; a text
-- answer is citizen text, kept like ratings.comment_text and never shown in the statistics.
-- Written for PostgreSQL; H2 runs it in MODE=PostgreSQL.
create table rating_answers (
  rating_id    varchar(36)  not null,
  question_id  varchar(32)  not null,
  ordinal      smallint     not null,
  task_code    varchar(64)  not null,
  level        varchar(24)  not null,
  answer_type  varchar(16)  not null,
  choice_code  varchar(32),
  score        smallint,
  answer_text  varchar(2000),
  rated_at     timestamp with time zone not null,
  primary key (rating_id, question_id, ordinal)
);
create index rating_answers_item on rating_answers (task_code, rated_at);
