-- explain_azure_meter: the meter as Azure billed it for one resource, meter key and billing month — MeterName,
-- MeterSubCategory, MeterId of the counted billing lines of the month (so a missing charge is named by the lines of
-- its other days) — and the export files (with their export scope) the lines of the finding's day came from
-- (grain: one row). Reads billed_line_meter (created by the billed stage, sql/billed/billed_line_meter.sql).
-- $billing_resource_id, $meter, $billing_month, $usage_date (YYYY-MM-DD, or null for a month-level finding).
with
line as (
  select l.*, d.export_scope
  from billed_line_meter as l
  join delivery as d using (delivery_id)
  where l.billing_resource_id = $billing_resource_id and l.meter_key = $meter and l.billing_month = $billing_month
),

final as (
  select
    coalesce(list(distinct meter_name order by meter_name) filter (where meter_name is not null), [])
      as meter_names,
    coalesce(list(distinct meter_subcategory order by meter_subcategory) filter (where meter_subcategory is not null), [])
      as meter_subcategories,
    coalesce(list(distinct meter_id order by meter_id) filter (where meter_id is not null), []) as meter_ids,
    coalesce(list(distinct source_file order by source_file)
      filter (where $usage_date::date is null or usage_date = $usage_date::date), []) as source_files,
    coalesce(list(distinct export_scope order by export_scope), []) as export_scopes
  from line
)

select * from final
