-- diff_finding_metadata: metadata_violation findings — states the inventory describes that Azure does not allow
-- (provisioning_violation) (grain: violation_id). No meter and no money: the violation's own sentence explains it.
create or replace temp view diff_finding_metadata as
with

parameter as (
  select * from diff_parameter
),

violations as (
  select v.*, strftime(v.usage_date, '%Y-%m') as billing_month
  from provisioning_violation as v
  cross join parameter as p
  where strftime(v.usage_date, '%Y-%m') in (select billing_month from diff_month)
    and in_scope_row(strftime(v.usage_date, '%Y-%m'), v.usage_date, v.billing_resource_id)
),

final as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    null::varchar as meter,
    'metadata_violation' as kind,
    violation_id as id_part,
    null::decimal(38, 18) as billed_quantity,
    null::decimal(38, 18) as expected_quantity,
    null::decimal(38, 18) as delta_quantity,
    null::decimal(38, 18) as billed_cost,
    null::decimal(38, 18) as cost_impact,
    null::varchar as currency,
    detail as explanation,
    rule,
    null::varchar as unit_convention,
    json_object(
      'violation_id', violation_id,
      'dimension', dimension,
      'share_resource_id', share_resource_id,
      'valid_from', valid_from::varchar,
      'valid_to', valid_to::varchar,
      'limit_value', limit_value,
      'actual_value', actual_value,
      'source', source_file || coalesce(':' || source_line, '')
    ) as evidence
  from violations
)

select * from final
