-- delivery_source: the delivery an export path holds as of this read (grain: source_path). A later read of the same
-- path with other content replaces the row: that path's newest content wins (delivery_eligible).
insert or replace into delivery_source
with final as (
  select cast($source_path as varchar) as source_path, cast($delivery_id as varchar) as delivery_id,
         cast(now() as timestamp) as seen_at
)

select * from final
