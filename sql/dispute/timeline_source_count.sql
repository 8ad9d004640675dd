-- timeline_source_count (query) — grain: one row. How many shares / snapshots the month's timeline involves, so the
-- letter can say when timeline.csv shows only the first dispute_parameter.timeline_source_limit of them.
with
final as (
  select count(*) as source_count from dispute_involved_source
)
select * from final;
