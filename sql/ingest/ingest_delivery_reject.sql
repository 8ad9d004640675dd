-- ingest_delivery_reject: records DuckDB's CSV reader rejected, per file of the delivery being ingested
-- (grain: source_file × source_line). Filled by ingest_delivery_reject_append.sql, emptied per delivery.
create or replace temp table ingest_delivery_reject (
  source_file varchar not null,
  source_line bigint not null,
  reason      varchar not null,
  raw_text    varchar
)
