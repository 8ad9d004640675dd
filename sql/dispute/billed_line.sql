-- billed_line (query) — grain: delivery_id × source_file × source_line. The billed rows of the resources in scope
-- for the month, from the current delivery of each export, with where each came from (delivery, file, line) and the
-- canonical meter key the billed stage mapped it to. Quantities and money exactly as ingested; quantity is in the
-- export's unit_of_measure, quantity_meter_unit in the meter's meter_unit.
with
line as (
  select * from billed_line_meter
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
delivery_of_line as (
  select delivery_id, export_scope, submitted_at from delivery
),
final as (
  select
    l.billing_resource_id,
    l.usage_date::varchar as usage_date,
    strftime(l.charge_period_start, '%Y-%m-%d %H:%M:%S') as charge_period_start,
    strftime(l.charge_period_end, '%Y-%m-%d %H:%M:%S') as charge_period_end,
    l.meter_key,
    l.meter_id,
    l.meter_category,
    l.meter_subcategory,
    l.meter_name,
    l.unit_of_measure,
    l.quantity,
    l.quantity_meter_unit,
    u.meter_unit,
    l.effective_price,
    l.unit_price,
    l.cost,
    l.billing_currency,
    l.charge_type,
    l.charge_class,
    l.pricing_model,
    l.subscription_id,
    l.delivery_id,
    d.export_scope,
    strftime(d.submitted_at, '%Y-%m-%d %H:%M:%S') as delivery_submitted_at,
    l.source_file,
    l.source_line
  from line as l
  left join delivery_of_line as d using (delivery_id)
  left join meter_key_unit as u on u.meter_key = l.meter_key
)
select * from final
order by billing_resource_id, usage_date, meter_name, charge_period_start, source_file, source_line;
