-- meter_quantity (query) — grain: meter. Billed against expected per canonical meter over the month for the
-- resources in scope, summed from the diff's compared cells (comparison), in the meter's unit, and how many cells
-- there were. Meters that only have findings (or only expected rows) appear with null sums and no cells.
with
cell as (
  select * from comparison
  where dispute_month_in_scope(billing_month) and dispute_resource_in_scope(billing_resource_id)
),
found as (
  select * from finding
  where dispute_month_in_scope(billing_month) and dispute_resource_in_scope(billing_resource_id)
),
expected as (
  select * from expected_usage
  where dispute_month_in_scope(billing_month) and dispute_resource_in_scope(billing_resource_id)
),
meter as (
  select meter from cell
  union select meter from found
  union select meter from expected
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
    coalesce(t.cell_count, 0) as cell_count
  from meter as m
  left join cell_total as t on t.meter is not distinct from m.meter
  left join meter_key_unit as u on u.meter_key = m.meter
)
select * from final
order by meter nulls last;
