-- timeline (query) — grain: source_resource_id × hour_start × span. The hourly state of each share and disk snapshot
-- involved (dispute_involved_source) for every hour of the month: one row per span that touches the hour, so an
-- hour with a resize or a deletion inside it has two rows whose seconds_in_state add up to 3600. Time no span covers
-- is 'unknown'. Only the first dispute_parameter.timeline_source_limit sources (by id) are shown; src/dispute says so.
with
scope as (
  select * from dispute_parameter
),
span as (
  select * from dispute_source_span
),
involved_source as (
  select i.source_kind, i.source_resource_id, i.billing_resource_id
  from dispute_involved_source as i
  cross join scope
  where i.source_rank <= scope.timeline_source_limit
),
hour as (
  select unnest(generate_series(month_start, month_end - interval 1 hour, interval 1 hour)) as hour_start
  from scope
),
source_hour as (
  select i.*, h.hour_start, h.hour_start + interval 1 hour as hour_end
  from involved_source as i
  cross join hour as h
),
known as (
  select
    sh.source_kind,
    sh.source_resource_id,
    sh.billing_resource_id,
    sh.hour_start,
    s.span_from,
    s.state,
    epoch_us(least(s.span_to, sh.hour_end)) - epoch_us(greatest(s.span_from, sh.hour_start)) as span_us,
    s.billing_model,
    s.media_tier,
    s.redundancy,
    s.access_tier,
    s.provisioned_gib,
    s.provisioned_iops,
    s.provisioned_mibps,
    s.used_bytes,
    s.snapshot_differential_bytes,
    s.is_iops_default,
    s.is_mibps_default,
    s.is_open_ended,
    s.source_interval_id,
    s.source_file,
    s.source_line
  from source_hour as sh
  join span as s
    on s.source_resource_id = sh.source_resource_id
    and s.span_from < sh.hour_end
    and s.span_to > sh.hour_start
),
unknown as (
  select
    sh.source_kind,
    sh.source_resource_id,
    sh.billing_resource_id,
    sh.hour_start,
    -- after every known span of the hour, so the rows of an hour read in time order when the gap is at its end
    'infinity'::timestamp as span_from,
    'unknown' as state,
    3600000000 - coalesce(sum(k.span_us), 0) as span_us
  from source_hour as sh
  left join known as k
    on k.source_resource_id = sh.source_resource_id and k.hour_start = sh.hour_start
  group by all
  having coalesce(sum(k.span_us), 0) < 3600000000
),
hour_row as (
  select * from known
  union all by name
  select * from unknown
),
final as (
  select
    source_kind,
    source_resource_id,
    billing_resource_id,
    strftime(hour_start, '%Y-%m-%d %H:%M:%S') as hour_start,
    state,
    (span_us::decimal(18, 0) * 0.000001::decimal(7, 6))::decimal(18, 6) as seconds_in_state,
    billing_model,
    media_tier,
    redundancy,
    access_tier,
    provisioned_gib,
    provisioned_iops,
    provisioned_mibps,
    used_bytes,
    snapshot_differential_bytes,
    is_iops_default,
    is_mibps_default,
    is_open_ended,
    source_interval_id,
    source_file,
    source_line,
    span_from as sort_from
  from hour_row
)
select * exclude (sort_from) from final
order by source_resource_id, hour_start, sort_from;
