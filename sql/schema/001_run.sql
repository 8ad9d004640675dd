-- recon_run: one row per pipeline run (grain: run_id). Stage timings and counts live in recon_run_stage.
create table recon_run (
  run_id        varchar primary key,
  pipeline      varchar not null,
  parameters    json not null,
  started_at    timestamp not null,
  finished_at   timestamp,
  status        varchar not null check (status in ('running', 'succeeded', 'failed')),
  error_message varchar,
  summary       json
);

-- grain: run_id × stage_name
create table recon_run_stage (
  run_id     varchar not null,
  stage_name varchar not null,
  started_at timestamp not null,
  seconds    decimal(18, 3) not null,
  row_count  bigint not null,
  primary key (run_id, stage_name)
);
