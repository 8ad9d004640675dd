-- Rules more than one stage reads, stated once.

-- is_correction: the one rule for "this line corrects an earlier charge" — FOCUS ChargeClass 'Correction', or the
-- EA/MCA ChargeType 'Refund' (finops-toolkit focus/mapping.md). Case and surrounding spaces are not part of the
-- value. Read by the ingest stage (EA/MCA charge_class; a negative usage quantity is allowed on a correction) and
-- by the billed stage (a correction nets by the sign of its cost). A macro in the schema because both stages
-- need it and the ingest stage runs before any other stage's SQL is loaded.
create macro is_correction(charge_class, charge_type) as
  coalesce(lower(trim(charge_class)) = 'correction' or lower(trim(charge_type)) = 'refund', false);

-- csv_cell: a cell as CSV writes it back (quoted when it must be): the raw_text of a quarantined row, for export
-- rows (src/ingest/typed-select.ts) and inventory rows (src/inventory/csv.ts) alike. contains() rather than a
-- regex: the inventory runs it on every cell of every row. Replaces ingest_csv_field (002).
create macro csv_cell(text) as
  case
    when text is null then ''
    when contains(text, '"') or contains(text, ',') or contains(text, chr(10)) or contains(text, chr(13))
      then '"' || replace(text, '"', '""') || '"'
    else text
  end;
drop macro ingest_csv_field;

-- source_interval: every share interval and disk-snapshot interval in one shape (grain: source_interval_id), with
-- the one rule for where an open interval ends: vouched_to is valid_to, else how far the inventory vouches for it —
-- its covered_to (set by the interval builder, whole seconds rounded down: the inventory vouches for no more than
-- it says), else the inventory horizon. Read by recompute (recompute_source_interval) and the dispute's timeline
-- (dispute_source_span). A disk snapshot is billed on its own id and has no soft-deleted state (deletion ends its
-- interval); is_gone_after: after this interval, if it is the last, the resource is known to be gone for good.
create view source_interval as
with
horizon as (
  select horizon from inventory_horizon
),
share_source as (
  select
    'share' as source_kind,
    share_interval_id as source_interval_id,
    share_resource_id as source_resource_id,
    billing_resource_id,
    state,
    valid_from,
    valid_to,
    covered_to,
    ends_by = 'purge' as is_gone_after,
    billing_model,
    media_tier,
    redundancy,
    access_tier,
    provisioned_gib,
    provisioned_iops,
    provisioned_mibps,
    used_bytes,
    snapshot_differential_bytes,
    metadata_bytes,
    is_iops_default,
    is_mibps_default,
    source_file,
    source_line
  from share_interval
),
snapshot_source as (
  select
    'disk_snapshot' as source_kind,
    snapshot_interval_id as source_interval_id,
    snapshot_resource_id as source_resource_id,
    snapshot_resource_id as billing_resource_id,
    'live' as state,
    valid_from,
    valid_to,
    covered_to,
    ends_by = 'deleted' as is_gone_after,
    'disk' as billing_model,
    null::varchar as media_tier,
    redundancy,
    null::varchar as access_tier,
    null::bigint as provisioned_gib,
    null::bigint as provisioned_iops,
    null::bigint as provisioned_mibps,
    used_bytes,
    null::bigint as snapshot_differential_bytes,
    null::bigint as metadata_bytes,
    false as is_iops_default,
    false as is_mibps_default,
    source_file,
    source_line
  from disk_snapshot_interval
),
final as (
  select
    s.*,
    coalesce(s.valid_to, date_trunc('second', s.covered_to), h.horizon) as vouched_to
  from (select * from share_source union all by name select * from snapshot_source) as s
  cross join horizon as h
)
select * from final;
