-- restatement (query) — grain: export_scope × billing_resource_id × meter_id × usage_date. What the current delivery
-- of each export changed against the delivery it replaced, for the resources in scope and the month (view
-- billing_line_restatement), with the meter's name for reading and the unit its quantities are in (as exported).
with
restated as (
  select * from billing_line_restatement
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
meter_name as (
  -- one name per meter id among the lines of the deliveries compared
  select meter_id, min(meter_name) as meter_name, min(unit_of_measure) as unit_of_measure
  from billing_line
  where delivery_id in (select current_delivery_id from restated union all select replaced_delivery_id from restated)
  group by meter_id
),
final as (
  select
    r.billing_resource_id,
    r.meter_id,
    m.meter_name,
    r.usage_date::varchar as usage_date,
    r.replaced_quantity,
    r.current_quantity,
    r.delta_quantity,
    m.unit_of_measure,
    r.replaced_cost,
    r.current_cost,
    r.delta_cost,
    r.export_scope,
    r.replaced_delivery_id,
    r.current_delivery_id
  from restated as r
  left join meter_name as m on m.meter_id is not distinct from r.meter_id
)
select * from final
order by billing_resource_id, usage_date, meter_name, meter_id;
