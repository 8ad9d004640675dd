-- expected_usage_month — grain: billing_resource_id × meter × billing_month.
-- Every month the scope's window touches is rebuilt from all expected_usage days of that month (for the billed
-- resources in scope), adding the exact numerators — so 31 daily v1 rows of 1,024 GiB sum to exactly 1024.
delete from expected_usage_month
where in_scope_month(billing_month) and in_scope_resource(billing_resource_id);

insert into expected_usage_month by name
with
day_usage as (
  select * from expected_usage
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
summed as (
  select
    billing_resource_id,
    meter,
    billing_month,
    rule,
    quantity_denominator,
    numerator_unit,
    days_in_month,
    sum(quantity_numerator) as quantity_numerator,
    count(*) as day_count,
    len(list_distinct(flatten(list(source_resource_ids)))) as source_count,
    sum(unknown_seconds) as unknown_seconds,
    bool_or(is_open_ended) as is_open_ended
  from day_usage
  group by all
),
final as (
  select
    billing_resource_id,
    meter,
    billing_month,
    rule,
    exact_quotient_38_20(quantity_numerator, quantity_denominator) as quantity,
    quantity_numerator,
    quantity_denominator,
    numerator_unit,
    days_in_month,
    day_count::integer as day_count,
    source_count::integer as source_count,
    unknown_seconds,
    unknown_seconds = 0 as is_complete,
    is_open_ended
  from summed
)
select * from final;
