-- dispute_billed_line (temp view) — grain: delivery_id × source_file × source_line. Current billing lines with the
-- canonical meter key the billed stage mapped them to (view billed_line_meter, created by sql/billed/).
create or replace temp view dispute_billed_line as
with
final as (
  select * from billed_line_meter
)
select * from final;
