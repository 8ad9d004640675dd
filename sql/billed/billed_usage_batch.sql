-- billed_usage_batch: consecutive usage dates of billed_scope_line, in batches of about $batch_lines lines (a date
-- is never split; a date with more lines is a batch of its own), one row per batch: first and last usage date.
-- Why batches: billed_usage has about one group per line, and DuckDB keeps the list and ordered-aggregate states of
-- a hash aggregate's groups in memory it cannot spill; summing all of a month's groups in one statement runs out
-- of memory under a 1GB limit, while 320k groups at a time fit (measured on 2 threads, README: Memory defaults).
with

dates as (
  select usage_date, count(*) as line_count
  from billed_scope_line
  group by usage_date
),

numbered as (
  select
    usage_date,
    coalesce(sum(line_count) over (order by usage_date rows between unbounded preceding and 1 preceding), 0)
      // $batch_lines::bigint as batch
  from dates
),

final as (
  select min(usage_date)::varchar as from_date, max(usage_date)::varchar as to_date
  from numbered
  group by batch
  order by batch
)

select * from final
