-- Interval evidence leaves the daily grain (issue 14). expected_share_usage and expected_usage carried every
-- contributing interval id as an ordered list per row: an aggregate state DuckDB cannot spill, which ran the
-- recompute out of memory when the inventory changes every hour. The evidence now has its own grain, one row per
-- interval part, and the lists are built on demand (findings, explain, the dispute pack, the expected_usage export).

-- grain: source_resource_id × meter × usage_date × interval_from (no key index: it is written in bulk and read by
-- billed resource). An interval is named by its source and its valid_from — unique, as one source's intervals never
-- overlap (audit_interval.sql) — not by its id string: hourly inventory changes make this the largest table of the
-- recompute, and the id (source_resource_id || '@' || valid_from) would repeat the source's id in every row.
create table expected_interval (
  source_resource_id   varchar not null,
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  interval_from        timestamp not null   -- valid_from of the share / snapshot interval
);

-- expected_interval with the interval's id (share_interval_id / snapshot_interval_id); in time order per source.
create view expected_interval_source as
select
  e.*,
  coalesce(sh.share_interval_id, ds.snapshot_interval_id) as source_interval_id
from expected_interval as e
left join share_interval as sh
  on sh.share_resource_id = e.source_resource_id and sh.valid_from = e.interval_from
left join disk_snapshot_interval as ds
  on ds.snapshot_resource_id = e.source_resource_id and ds.valid_from = e.interval_from;

-- What a warehouse already holds moves over, for the intervals the inventory still has (the next recompute rewrites
-- the slice it covers).
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
    coalesce(sh.valid_from, ds.valid_from) as interval_from
  from listed as l
  left join share_interval as sh on sh.share_interval_id = l.interval_id
  left join disk_snapshot_interval as ds on ds.snapshot_interval_id = l.interval_id
  where coalesce(sh.valid_from, ds.valid_from) is not null
)
select * from final;

alter table expected_share_usage drop column interval_ids;
alter table expected_usage drop column interval_ids;
