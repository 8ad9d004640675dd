-- meter export: the canonical meter keys with model, unit and description, a dimension for every table with a
-- `meter` column (grain: meter). Not partitioned: one file for all months.
-- export_source is the export_meter temporary table (sql/export/export_meter.sql).
with
final as (
  select
    meter::varchar as meter,
    model::varchar as model,
    unit_kind::varchar as unit_kind,
    unit::varchar as unit,
    description::varchar as description
  from export_source
)

select * from final
order by meter
