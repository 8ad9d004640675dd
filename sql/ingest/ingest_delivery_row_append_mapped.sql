-- ingest_delivery_row: appends ingest_typed (one file) at the physical lines ingest_record_line maps its rows to,
-- in line order (a join does not keep the file's order; the sort restores it). For a file with blank lines,
-- line breaks inside fields or rejected records; every other file: ingest_delivery_row_append.sql. $source_file.
insert into ingest_delivery_row by name
with final as (
  select cast($source_file as varchar) as source_file, l.source_line, t.*
  from ingest_typed as t
  join ingest_record_line as l on l.row_index = t.rowid
  order by l.source_line
)

select * from final
