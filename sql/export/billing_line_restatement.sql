-- billing_line_restatement export: what the current delivery of an export scope × month changed against the
-- delivery it replaced, one billing month (grain: export_scope × billing_month × billing_resource_id × meter_id ×
-- usage_date). export_source is the ingest stage's billing_line_restatement view (a temporary view set up by
-- src/export/index.ts). $billing_month: YYYY-MM.
with
restatement_in_month as (
  select *
  from export_source
  where billing_month = $billing_month
),

final as (
  select
    export_scope::varchar as export_scope,
    billing_month::varchar as billing_month,
    billing_resource_id::varchar as billing_resource_id,
    meter_id::varchar as meter_id,
    usage_date::date as usage_date,
    replaced_delivery_id::varchar as replaced_delivery_id,
    current_delivery_id::varchar as current_delivery_id,
    replaced_quantity::decimal(38, 28) as replaced_quantity,
    current_quantity::decimal(38, 28) as current_quantity,
    delta_quantity::decimal(38, 28) as delta_quantity,
    replaced_cost::decimal(38, 28) as replaced_cost,
    current_cost::decimal(38, 28) as current_cost,
    delta_cost::decimal(38, 28) as delta_cost
  from restatement_in_month
)

select * from final
order by export_scope, billing_resource_id nulls first, meter_id nulls first, usage_date
