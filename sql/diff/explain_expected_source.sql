-- explain_expected_source: the per-share (snapshot, transaction source) rows summed into one expected_usage key,
-- each with the intervals that contributed (grain: source_resource_id × interval id; one row with a null interval
-- for a source without intervals). $billing_resource_id, $meter, $usage_date.
with

sources as (
  select *
  from expected_share_usage
  where billing_resource_id = $billing_resource_id and meter = $meter and usage_date = $usage_date::date
),

source_interval as (
  -- a source without intervals (transaction counts) keeps one row, with a null interval
  select s.*, i.source_interval_id as interval_id
  from sources as s
  left join expected_interval_source as i
    on i.source_resource_id = s.source_resource_id and i.meter = s.meter and i.usage_date = s.usage_date
),

final as (
  select
    si.source_kind,
    si.source_resource_id,
    si.rule,
    si.quantity::varchar as quantity,
    si.quantity_numerator::varchar as quantity_numerator,
    si.quantity_denominator::varchar as quantity_denominator,
    si.numerator_unit,
    si.covered_seconds,
    si.unknown_seconds,
    si.is_complete,
    si.interval_id,
    coalesce(sh.state, 'live') as state,
    coalesce(sh.valid_from, ds.valid_from)::varchar as valid_from,
    coalesce(sh.valid_to, ds.valid_to)::varchar as valid_to,
    coalesce(sh.covered_to, ds.covered_to)::varchar as covered_to,
    sh.billing_model,
    sh.media_tier,
    coalesce(sh.redundancy, ds.redundancy) as redundancy,
    sh.access_tier,
    sh.provisioned_gib::varchar as provisioned_gib,
    sh.provisioned_iops::varchar as provisioned_iops,
    sh.provisioned_mibps::varchar as provisioned_mibps,
    coalesce(sh.used_bytes, ds.used_bytes)::varchar as used_bytes,
    sh.snapshot_differential_bytes::varchar as snapshot_differential_bytes,
    sh.metadata_bytes::varchar as metadata_bytes,
    coalesce(sh.source_file, ds.source_file) || coalesce(':' || coalesce(sh.source_line, ds.source_line), '') as source
  from source_interval as si
  left join share_interval as sh on sh.share_interval_id = si.interval_id
  left join disk_snapshot_interval as ds on ds.snapshot_interval_id = si.interval_id
)

select * from final
order by source_resource_id, valid_from nulls first, interval_id
