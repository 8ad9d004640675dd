-- diff_line: the Files and snapshot lines of the diff's slice, mapped and unmapped, with the catalog row that maps
-- them (grain: delivery_id × source_file × source_line). billed_line_meter_of does the catalog match over the
-- slice's months only, once: the duplicate, price and unmapped findings and the wrong-meter money all read this
-- table, where each used to evaluate billed_line_meter over every month (a second night diffing a two-day month
-- matched the 2M lines of the month before it five times).
-- The slice is whole delivery × resource × charge period groups (a month is whole deliveries, and the scope cuts
-- by resource and usage day), so duplicate_billed_line_of and price_check_of over it see every group whole.
create or replace temp table diff_line as
select l.*
from billed_line_meter_of((select list(billing_month) from diff_month)) as l
where l.classification in ('mapped', 'unmapped')
  -- the month is the macro's; a month test here is pushed into the scan of the lines, and DuckDB, expecting a fifth
  -- of them, built its hash table of the catalog match from the lines instead of the few hundred signatures
  -- (3.3 s → 8 s on the 2M-row bench month)
  and in_scope_day(l.usage_date) and in_scope_resource(l.billing_resource_id)
