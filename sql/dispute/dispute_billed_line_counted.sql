-- dispute_billed_line (temp view) — grain: delivery_id × source_file × source_line. Counted billing lines (one cost
-- view per usage, counted_billing_line) when the billed stage has not run in this warehouse (no billed_line_meter
-- view): the meter key columns stay empty.
create or replace temp view dispute_billed_line as
with
final as (
  select
    *,
    null::varchar as meter_key,
    null::varchar as classification,
    null::decimal(38, 28) as quantity_meter_unit
  from counted_billing_line
)
select * from final;
