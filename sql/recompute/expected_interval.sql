-- expected_interval — grain: source_resource_id × meter × usage_date × interval_from.
-- Which inventory intervals made each expected_share_usage row (evidence for findings, explain, the dispute pack and
-- the expected_usage export), one row per interval part, never a list: the lists are built on demand for the keys
-- asked about (expected_interval_source adds the interval ids; interval_from orders one source's intervals in time).
-- Replaces the scope's slice; only rows of expected_share_usage that exist (quantity > 0 or some input unknown).
delete from expected_interval
where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id);

insert into expected_interval by name
with
interval_part as (
  select * from recompute_interval_part
  -- recompute_parameter.bucket is one day here
),
share_usage as (
  select source_resource_id, meter, usage_date
  from expected_share_usage
  where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id)
    and source_kind <> 'transaction_count'
),
final as (
  select
    p.source_resource_id,
    p.billing_resource_id,
    p.meter,
    p.bucket_start::date as usage_date,
    p.valid_from as interval_from
  from interval_part as p
  semi join share_usage as u
    on u.source_resource_id = p.source_resource_id
    and u.meter = p.meter
    and u.usage_date = p.bucket_start::date
)
select * from final;
