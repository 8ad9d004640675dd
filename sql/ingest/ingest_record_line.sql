-- ingest_record_line: the physical source line of each row DuckDB's CSV reader accepted (grain: row_index).
-- DuckDB numbers CSV records (its reject `line`), not physical lines, and skips blank lines without a trace.
-- The JS line scan (src/ingest/csv-scan.ts) supplies:
--   ingest_line_offset(ordinal, line_offset): from record `ordinal` on, line = ordinal + line_offset;
--   ingest_blank_record(ordinal): blank records, which DuckDB skips;
--   $record_count: all records, header and blank ones included.
-- Accepted rows are, in file order, the records that are neither blank nor rejected; row_index is their
-- position among the rows DuckDB read (their rowid in ingest_typed; 0 is the header, which is left out).
create or replace temp table ingest_record_line as
with record as (
  select range + 1 as ordinal from range($record_count)
),

skipped as (
  select ordinal from ingest_blank_record
  union
  select line as ordinal from ingest_reject_errors
),

accepted as (
  select r.ordinal, row_number() over (order by r.ordinal) - 1 as row_index
  from record as r
  anti join skipped as s using (ordinal)
),

located as (
  select a.row_index, a.ordinal, a.ordinal + o.line_offset as source_line
  from accepted as a
  asof join ingest_line_offset as o on a.ordinal >= o.ordinal
),

final as (
  select row_index, ordinal, source_line from located where row_index > 0
)

select * from final
