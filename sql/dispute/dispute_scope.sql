-- dispute_scope (temp table) — grain: one row. The month an evidence pack covers, as the half-open span of UTC
-- hours [month_start, month_end), and how many shares / snapshots timeline.csv shows at most. Set with bound
-- parameters by src/dispute/scope.ts; the resource prefixes are in dispute_scope_prefix beside it.
create or replace temp table dispute_scope as
with
params as (
  select $month::varchar as billing_month, $timeline_source_limit::integer as timeline_source_limit
),
final as (
  select
    billing_month,
    (billing_month || '-01')::timestamp as month_start,
    (billing_month || '-01')::timestamp + interval 1 month as month_end,
    timeline_source_limit
  from params
)
select * from final;
