-- ingest_record_line for a Parquet file (grain: row_index): Parquet has no lines, so source_line is the
-- 1-based row number in the file.
create or replace temp table ingest_record_line as
with source as (
  select rowid as row_index from ingest_typed
),

final as (
  select row_index, row_index + 1 as ordinal, row_index + 1 as source_line from source
)

select * from final
