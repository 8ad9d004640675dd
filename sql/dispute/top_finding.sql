-- top_finding (query) — grain: finding_id. The findings of the resources in scope for the month with the most money
-- at stake first (then severity, day, id), at most $limit of them.
with
found as (
  select * from finding
  where dispute_month_in_scope(billing_month) and dispute_resource_in_scope(billing_resource_id)
),
final as (
  select
    finding_id,
    usage_date::varchar as usage_date,
    billing_resource_id,
    meter,
    kind,
    severity,
    cost_impact,
    currency,
    provisional,
    explanation,
    case severity when 'high' then 1 when 'medium' then 2 else 3 end as severity_rank
  from found
)
select * exclude (severity_rank) from final
order by cost_impact desc nulls last, severity_rank, usage_date nulls last, finding_id
limit $limit;
