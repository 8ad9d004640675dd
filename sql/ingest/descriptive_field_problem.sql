-- descriptive_field_problem rows of one delivery (grain: delivery_id × source_file × source_line × column_name):
-- the descriptive columns (src/ingest/typed-select.ts DESCRIPTIVE) that could not be read on rows that were kept.
-- A quarantined row's problems are all in its quarantine reason. $delivery_id.
insert into descriptive_field_problem
with problems as (
  select source_file, source_line, unnest(descriptive_problems, recursive := true)
  from ingest_delivery_row
  where reason is null and len(descriptive_problems) > 0
),

final as (
  select
    cast($delivery_id as varchar) as delivery_id,
    source_file,
    source_line,
    column_name,
    problem,
    raw_text
  from problems
  order by source_file, source_line, column_name
)

select * from final
