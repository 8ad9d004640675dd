-- ingest_delivery_row: the converted rows of every file of the delivery being ingested, collected in a temp
-- table so the delivery's own transaction only copies finished rows (grain: source_file × source_line).
-- Appends ingest_typed (one file), each row at the physical line ingest_record_line found for it; $source_file.
insert into ingest_delivery_row by name
with final as (
  select cast($source_file as varchar) as source_file, l.source_line, t.* exclude (row_index)
  from ingest_typed as t
  join ingest_record_line as l using (row_index)
)

select * from final
