-- dispute_source_span (temp view) — grain: source_resource_id × span_from. The known spans of every share and disk
-- snapshot of the billed resources in scope, read as the recompute stage reads the inventory
-- (source_interval, sql/inventory/model.sql): an interval holds [valid_from, vouched_to) — valid_to, else its covered_to, else
-- the latest time the inventory observed anything (the horizon). After the last interval
-- of a share that was purged (or of a snapshot that was deleted) the resource is known to be 'gone' for good.
-- dispute_involved_source (temp view) — grain: source_resource_id. The shares and snapshots with a span of the month
-- in which they existed (live or soft-deleted), numbered by id for the timeline's cap.
create or replace temp view dispute_source_span as
with
source as (
  -- one shape for shares and snapshots, and where an open interval ends (vouched_to): sql/inventory/model.sql
  select * exclude (metadata_bytes) from source_interval
),
interval_span as (
  select
    source.*,
    source.valid_from as span_from,
    source.vouched_to as span_to,
    source.valid_to is null as is_open_ended,
    row_number() over (partition by source.source_resource_id order by source.valid_from desc) = 1 as is_last
  from source
  where in_scope_resource(source.billing_resource_id)
),
gone_span as (
  -- after a purge or deletion nothing exists to bill: known, not unknown
  select
    source_kind,
    null::varchar as source_interval_id,
    source_resource_id,
    billing_resource_id,
    'gone' as state,
    valid_to as span_from,
    'infinity'::timestamp as span_to,
    false as is_open_ended
  from interval_span
  where is_last and is_gone_after and valid_to is not null
),
span as (
  select * exclude (is_last, is_gone_after, valid_from, valid_to, covered_to, vouched_to) from interval_span
  union all by name
  select * from gone_span
),
final as (
  select * from span
)
select * from final;

create or replace temp view dispute_involved_source as
with
scope as (
  select * from dispute_parameter
),
span as (
  select * from dispute_source_span
),
in_month as (
  select source_kind, source_resource_id, billing_resource_id
  from span
  cross join scope
  where span.state <> 'gone' and span.span_from < scope.month_end and span.span_to > scope.month_start
  group by all
),
final as (
  select *, row_number() over (order by source_resource_id) as source_rank
  from in_month
)
select * from final;
