-- comparison_chart_point: the daily billed and expected quantities behind each chart of report.html
-- (grain: billing_month × billing_resource_id × meter × usage_date). One chart per compared pair
-- (billing_month × billing_resource_id × meter), the $max_charts pairs with the most money at stake first, then the
-- most findings, then the most unmatched days; pair_count says how many pairs there were in all.
-- $billing_months: varchar[] of YYYY-MM; the run's days and resources: run_scope (sql/pipeline/run_scope_macros.sql). $max_charts: integer.
with
comparison_in_scope as (
  select *
  from comparison
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)
),

finding_by_pair as (
  select billing_month, billing_resource_id, meter, count(*) as finding_count, sum(cost_impact) as cost_impact
  from finding
  where list_contains($billing_months::varchar[], billing_month)
    and in_scope_day(usage_date) and in_scope_resource(billing_resource_id)
    and billing_resource_id is not null
    and meter is not null
  group by billing_month, billing_resource_id, meter
),

compared_pair as (
  select
    billing_month,
    billing_resource_id,
    meter,
    count(*) filter (where status <> 'match') as unmatched_day_count
  from comparison_in_scope
  group by billing_month, billing_resource_id, meter
),

ranked_pair as (
  select
    pair.*,
    coalesce(found.finding_count, 0) as finding_count,
    row_number() over (
      order by coalesce(found.cost_impact, 0) desc, coalesce(found.finding_count, 0) desc,
        pair.unmatched_day_count desc, pair.billing_month, pair.billing_resource_id, pair.meter
    ) as chart_rank,
    count(*) over () as pair_count
  from compared_pair as pair
  left join finding_by_pair as found using (billing_month, billing_resource_id, meter)
),

final as (
  select
    ranked_pair.chart_rank,
    ranked_pair.pair_count,
    ranked_pair.finding_count,
    comparison_in_scope.billing_month,
    comparison_in_scope.billing_resource_id,
    comparison_in_scope.meter,
    comparison_in_scope.usage_date,
    comparison_in_scope.billed_quantity,
    comparison_in_scope.expected_quantity,
    comparison_in_scope.is_covered,
    comparison_in_scope.status
  from ranked_pair
  join comparison_in_scope using (billing_month, billing_resource_id, meter)
  where ranked_pair.chart_rank <= $max_charts
)

select * from final
order by chart_rank, usage_date
