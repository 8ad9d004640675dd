-- audit_expected_usage_key: expected_usage rows in the diff's scope that break its grain billing_resource_id ×
-- meter × usage_date (grain of the audit: one row per offending key). Any row stops the diff.
with

parameter as (
  select * from diff_parameter
),

expected as (
  select e.*
  from expected_usage as e
  cross join parameter as p
  where in_scope_row(e.billing_month, e.usage_date, e.billing_resource_id)
    and e.billing_month in (select billing_month from diff_month)
),

keyed as (
  select billing_resource_id, meter, usage_date, count(*) as row_count
  from expected
  group by all
),

final as (
  select
    billing_resource_id,
    meter,
    usage_date,
    case
      when billing_resource_id is null then 'NULL billing_resource_id'
      when meter is null then 'NULL meter'
      when usage_date is null then 'NULL usage_date'
      else row_count || ' rows for one key'
    end as problem
  from keyed
  where billing_resource_id is null or meter is null or usage_date is null or row_count > 1
)

select * from final
order by billing_resource_id nulls first, meter, usage_date
