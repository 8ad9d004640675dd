-- diff_cell's unit mismatches: a quantity mismatch whose billed figure a unit convention explains
-- (diff_unit_convention_match.sql) becomes unit_mismatch, with the convention and its factor.
-- A statement of its own, over the mismatched cells only: called per cell inside diff_cell.sql, the search is a
-- correlated subquery, and DuckDB answered it by buffering every cell of the month and joining the search back
-- (about 16 s of diff_cell's 19 s on the bench night, for the hundred or so cells that are off).
update diff_cell as d
set
  outcome = 'unit_mismatch',
  unit_convention = m.convention.unit_convention,
  convention_num = m.convention.num,
  convention_den = m.convention.den
from (
  select
    billing_resource_id,
    meter,
    usage_date,
    diff_unit_convention_match(unit_kind, meter_unit, month_days, compared_billed_quantity, expected_quantity,
                               tolerance_quantity, tolerance_ratio) as convention
  from diff_cell
  where outcome = 'quantity_mismatch'
) as m
where d.outcome = 'quantity_mismatch'
  and m.convention is not null
  and d.billing_resource_id = m.billing_resource_id
  and d.meter = m.meter
  and d.usage_date = m.usage_date;
