-- run_scope (temp table) — grain: one row. The run's scope as the runner resolved it once (src/pipeline/run-plan.ts):
-- --month, and the first and last usage day (inclusive, UTC) of --from/--to, null for an open end. Its months are in
-- run_scope_month and its lower-cased ARM id prefixes in run_scope_prefix beside it; every stage, report and export
-- reads the three through the in_scope_* macros (run_scope_macros.sql). A stage's month slice is installed in the
-- same tables while the stage runs (withStageScope, src/scope.ts); every_month is true only for a slice without a
-- month (a test's or tool's call), which covers every billing month. Set with bound parameters.
create or replace temp table run_scope as
with
final as (
  select
    $month::varchar as month,
    $from_day::date as from_day,
    $to_day::date as to_day,
    $every_month::boolean as every_month
)
select * from final;
