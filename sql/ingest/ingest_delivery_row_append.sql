-- ingest_delivery_row: the converted rows of every file of the delivery being ingested, collected in a temp
-- table so the delivery's own transaction only copies finished rows (grain: source_file × source_line).
-- Appends ingest_typed (one file) whose physical lines are its row numbers plus one offset (ingest_record_line says
-- so: src/ingest/file-ingest.ts); $source_file, $line_offset. One table scanned: the rows keep their file order.
-- Any other file: ingest_delivery_row_append_mapped.sql.
insert into ingest_delivery_row by name
with final as (
  select
    cast($source_file as varchar) as source_file,
    t.rowid + cast($line_offset as bigint) as source_line,
    t.*
  from ingest_typed as t
)

select * from final
