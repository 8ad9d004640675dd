-- audit_interval (query) — grain: source_interval_id × problem. Intervals the recompute cannot integrate
-- correctly; any row stops the recompute with an InputError naming the source file and line.
with
source_interval as (
  select * from recompute_source_interval
),
ordered as (
  select
    *,
    lag(coalesce(valid_to, 'infinity'::timestamp)) over (partition by source_resource_id order by valid_from)
      as previous_valid_to
  from source_interval
),
problem as (
  select *, 'valid_to is not after valid_from' as problem from ordered
  where valid_to is not null and valid_to <= valid_from
  union all
  select *, 'overlaps the previous interval of the same resource (would be billed twice)' from ordered
  where previous_valid_to > valid_from
  union all
  select *, 'valid_from / valid_to has a fraction of a second (intervals must have whole seconds)' from ordered
  where valid_from <> date_trunc('second', valid_from) or valid_to <> date_trunc('second', valid_to)
  union all
  select *, 'a size, IOPS or throughput is negative' from ordered
  where provisioned_gib < 0 or provisioned_iops < 0 or provisioned_mibps < 0 or used_bytes < 0
    or snapshot_differential_bytes < 0 or metadata_bytes < 0
  union all
  select *, 'billing_model ' || billing_model || ' has no recompute rule' from ordered
  where billing_model not in ('v1', 'v2', 'payg', 'disk')
  union all
  select *, 'state ' || state || ' is neither live nor soft_deleted' from ordered
  where state not in ('live', 'soft_deleted')
),
final as (
  select source_kind, source_interval_id, source_file, source_line, problem
  from problem
)
select * from final
order by source_file, source_line, source_interval_id;
