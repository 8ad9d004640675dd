-- meter_quantity (query) — grain: meter. Billed against expected per canonical meter over the month for the
-- resources in scope, summed from the diff's compared cells (comparison), in the meter's unit, and how many cells
-- there were. Meters that only have findings (or only expected rows) appear with null sums and no cells.
-- meter_names: the MeterName(s) Azure billed the meter under in scope (empty when nothing was billed on it).
with
cell as (
  select * from comparison
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
found as (
  select * from finding
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
expected as (
  select * from expected_usage
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
),
meter as (
  select meter from cell
  union select meter from found
  union select meter from expected
),
billed_name as (
  select meter_key as meter, list(distinct meter_name order by meter_name) as meter_names
  from billed_line_meter
  where in_scope_month(billing_month) and in_scope_resource(billing_resource_id)
    and meter_key is not null and meter_name is not null
  group by meter_key
),
cell_total as (
  select
    meter,
    sum(billed_quantity) as billed_quantity,
    sum(expected_quantity) as expected_quantity,
    sum(delta_quantity) as delta_quantity,
    count(*) as cell_count
  from cell
  group by meter
),
final as (
  select m.meter, u.meter_unit, t.billed_quantity, t.expected_quantity, t.delta_quantity,
    coalesce(t.cell_count, 0) as cell_count, coalesce(n.meter_names, []) as meter_names
  from meter as m
  left join billed_name as n on n.meter = m.meter
  left join cell_total as t on t.meter is not distinct from m.meter
  left join meter_key_unit as u on u.meter_key = m.meter
)
select * from final
order by meter nulls last;
