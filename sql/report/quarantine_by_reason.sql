-- quarantine_by_reason: rows and records set aside, counted by stage and reason with the first few as examples
-- (grain: stage × reason). Ingest rows count when their delivery is one of current_delivery's (the deliveries
-- that count in the billing months in scope); inventory and transaction records carry no month and are all listed.
-- $billing_months: varchar[] of YYYY-MM. $example_count: examples kept per reason.
with
delivery_in_scope as (
  select delivery_id
  from current_delivery
  where list_contains($billing_months::varchar[], billing_month)
),

quarantine_in_scope as (
  select stage, reason, source_file, source_line
  from quarantine
  where stage <> 'ingest' or delivery_id in (select delivery_id from delivery_in_scope)
),

ranked as (
  select
    *,
    row_number() over (partition by stage, reason order by source_file, source_line nulls first) as example_rank
  from quarantine_in_scope
),

final as (
  select
    stage,
    reason,
    count(*) as row_count,
    list(
      case when source_line is null then source_file else source_file || ':' || source_line end
      order by example_rank
    ) filter (where example_rank <= $example_count) as examples
  from ranked
  group by stage, reason
)

select * from final
order by stage, row_count desc, reason
