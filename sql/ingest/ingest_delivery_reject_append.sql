-- ingest_delivery_reject rows for the records DuckDB's CSV reader itself rejected in one file — wrong field
-- count, an unterminated quote, invalid UTF-8, an over-long line (grain: source_file × source_line). The reject
-- table numbers records; the line map turns the record number into the physical line. Where the line scan
-- knows more (ingest_scan_note: an over-long record, a file that ends inside a quote or mid-record), its words
-- replace or extend DuckDB's. $source_file.
insert into ingest_delivery_reject
with rejected as (
  select
    line as ordinal,
    -- A short row gets one MISSING COLUMNS error per absent column; the first one says how many were found.
    -- Errors of the whole line (LINE SIZE OVER MAXIMUM) have no column: they sort first.
    arg_min(error_type || ': ' || error_message, coalesce(column_idx, -1)) as reason,
    -- DuckDB's csv_line can start with the previous record's line break; the record itself cannot.
    trim(any_value(csv_line), chr(13) || chr(10)) as raw_text
  from ingest_reject_errors
  group by line
),

noted as (
  select
    r.ordinal,
    coalesce(n.reason, r.reason || coalesce(n.suffix, '')) as reason,
    case when coalesce(n.is_raw_kept, true) then r.raw_text end as raw_text
  from rejected as r
  left join ingest_scan_note as n using (ordinal)
),

located as (
  select r.ordinal, r.ordinal + o.line_offset as source_line, r.reason, r.raw_text
  from noted as r
  asof join ingest_line_offset as o on r.ordinal >= o.ordinal
),

final as (
  select
    cast($source_file as varchar) as source_file,
    source_line,
    reason,
    raw_text
  from located
  order by source_line
)

select * from final
