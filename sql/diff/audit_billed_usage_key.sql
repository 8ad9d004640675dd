-- audit_billed_usage_key: billed_usage rows in the diff's scope that break its grain (grain of the audit: one row
-- per offending key). A NULL resource, meter or day cannot be joined; a repeated variant key means a build appended
-- instead of replacing and would count a charge twice. Any row stops the diff.
with

parameter as (
  select * from diff_parameter
),

billed as (
  select b.*
  from billed_usage as b
  cross join parameter as p
  where in_scope_row(b.billing_month, b.usage_date, b.billing_resource_id)
    and b.billing_month in (select billing_month from diff_month)
),

keyed as (
  select
    billing_resource_id,
    meter_key,
    usage_date,
    model,
    media,
    redundancy,
    access_tier,
    billing_currency,
    count(*) as row_count,
    flatten(list(evidence)) as evidence
  from billed
  group by all
),

final as (
  select
    billing_resource_id,
    meter_key,
    usage_date,
    case
      when billing_resource_id is null then 'NULL billing_resource_id'
      when meter_key is null then 'NULL meter_key'
      when usage_date is null then 'NULL usage_date'
      else row_count || ' rows for one key'
    end as problem,
    evidence[1:5] as evidence
  from keyed
  where billing_resource_id is null or meter_key is null or usage_date is null or row_count > 1
)

select * from final
order by billing_resource_id nulls first, meter_key, usage_date
