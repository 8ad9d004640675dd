-- Interval evidence leaves the daily grain (issue 14). expected_share_usage and expected_usage carried every
-- contributing interval id as an ordered list per row: an aggregate state DuckDB cannot spill, which ran the
-- recompute out of memory when the inventory changes every hour. The evidence now has its own grain, one row per
-- interval part, and the lists are built on demand (findings, explain, the dispute pack, the expected_usage export).

-- grain: source_resource_id × meter × usage_date × source_interval_id (no key index: it is written in bulk and read
-- by billed resource). part_from: where the interval's part of the day starts, the order of a row's intervals.
create table expected_interval (
  source_resource_id   varchar not null,
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  source_interval_id   varchar not null,   -- share_interval_id / snapshot_interval_id
  part_from            timestamp not null
);

-- What a warehouse already holds moves over: part_from from the interval (its start, or the day's start when it
-- began earlier), the day's start when the inventory no longer has it — the next recompute rewrites it exactly.
insert into expected_interval
with
listed as (
  select e.source_resource_id, e.billing_resource_id, e.meter, e.usage_date, unnest(e.interval_ids) as interval_id
  from expected_share_usage as e
  where e.interval_ids is not null
),
final as (
  select
    l.source_resource_id,
    l.billing_resource_id,
    l.meter,
    l.usage_date,
    l.interval_id as source_interval_id,
    greatest(coalesce(sh.valid_from, ds.valid_from, l.usage_date::timestamp), l.usage_date::timestamp) as part_from
  from listed as l
  left join share_interval as sh on sh.share_interval_id = l.interval_id
  left join disk_snapshot_interval as ds on ds.snapshot_interval_id = l.interval_id
)
select * from final;

alter table expected_share_usage drop column interval_ids;
alter table expected_usage drop column interval_ids;
