-- dispute_parameter (temp table) — grain: one row. The month an evidence pack covers, as the half-open span of UTC
-- hours [month_start, month_end) of the pack's slice (run_scope: scope_start_at() … scope_end_at(); the month and
-- resource prefixes are the scope, read through the in_scope_* macros), and how many shares / snapshots timeline.csv
-- shows at most (a bound parameter from src/dispute/scope.ts).
create or replace temp table dispute_parameter as
with
final as (
  select
    scope_start_at() as month_start,
    scope_end_at() as month_end,
    $timeline_source_limit::integer as timeline_source_limit
)
select * from final;
