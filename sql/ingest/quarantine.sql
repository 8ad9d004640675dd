-- quarantine rows of one delivery (grain: one row per set-aside record; quarantine is an audit log):
-- rows DuckDB parsed that fail a conversion or lack a required value (ingest_delivery_row.reason), and records
-- the CSV reader itself rejected (ingest_delivery_reject). $delivery_id.
insert into quarantine
with unconvertible as (
  select source_file, source_line, reason, raw_text from ingest_delivery_row where reason is not null
),

rejected as (
  select source_file, source_line, reason, raw_text from ingest_delivery_reject
),

final as (
  select
    'ingest' as stage,
    cast($delivery_id as varchar) as delivery_id,
    source_file,
    source_line,
    reason,
    raw_text,
    cast(now() as timestamp) as recorded_at
  from (select * from unconvertible union all select * from rejected)
  order by source_file, source_line
)

select * from final
