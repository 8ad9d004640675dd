-- quarantine rows of one delivery (grain: one row per set-aside record; quarantine is an audit log):
-- rows DuckDB parsed that fail a conversion or lack a required value (ingest_delivery_row.reason), and records
-- the CSV reader itself rejected (ingest_delivery_reject). $delivery_id.
-- A parsed row keeps what it still says about where it belongs (resource, usage day, a Files or snapshot meter),
-- so the diff can call the day unverifiable instead of "nothing billed" (diff_quarantined_charge).
insert into quarantine by name
with unconvertible as (
  select
    source_file, source_line, reason, raw_text, billing_resource_id,
    cast(charge_period_start as date) as usage_date,
    is_files_or_snapshot_meter(meter_category, meter_subcategory, meter_name, product_name) as is_files_or_snapshot
  from ingest_delivery_row where reason is not null
),

rejected as (
  select
    source_file, source_line, reason, raw_text, cast(null as varchar) as billing_resource_id,
    cast(null as date) as usage_date, cast(null as boolean) as is_files_or_snapshot
  from ingest_delivery_reject
),

final as (
  select
    'ingest' as stage,
    cast($delivery_id as varchar) as delivery_id,
    source_file,
    source_line,
    reason,
    raw_text,
    billing_resource_id,
    usage_date,
    is_files_or_snapshot,
    cast(now() as timestamp) as recorded_at
  from (select * from unconvertible union all select * from rejected)
  order by source_file, source_line
)

select * from final
