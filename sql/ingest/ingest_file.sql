-- ingest_file: one data file of a delivery and what became of its rows (grain: delivery_id × source_file).
insert into ingest_file
with final as (
  select
    cast($delivery_id as varchar) as delivery_id,
    cast($source_file as varchar) as source_file,
    cast($file_format as varchar) as file_format,
    cast($byte_count as bigint) as byte_count,
    cast($sha256 as varchar) as sha256,
    cast($rows_read as bigint) as rows_read,
    cast($rows_ingested as bigint) as rows_ingested,
    cast($rows_quarantined as bigint) as rows_quarantined,
    cast($modified_ns as bigint) as modified_ns  -- file mtime in ns when it was read
)

select * from final
