-- billed_scope_line: the mapped lines of the stage's slice (run_scope, read by in_scope_row), materialised once so
-- that billed_usage.sql can sum them a batch of usage dates at a time without evaluating billed_line_meter again
-- (grain: delivery_id × source_file × source_line). The catalog match runs over the slice's months only
-- (billed_line_meter_of). Temporary: the billed stage drops it when it is done.
create or replace temp table billed_scope_line as
select l.*
from billed_line_meter_of(scope_month_list()) as l
where l.classification = 'mapped'
  and in_scope_row(l.billing_month, l.usage_date, l.billing_resource_id)
