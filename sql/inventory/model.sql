-- The inventory's rules as macros and views: lenient-but-exact parsers for inventory text, how far an observation
-- holds, and the inventory horizon. Created when the warehouse is opened (src/db/model.ts).

-- Lenient-but-exact parsers for inventory text (all_varchar CSV cells, JSON scalars). Each returns NULL when the
-- text is not of its type, so callers can tell "absent" (NULL text) from "bad" (text given, NULL result).

-- ISO-8601 (Z, ±hh:mm, or no zone = UTC; seconds optional; date only = midnight) or RFC-1123 ('Sat, 26 Oct 2024
-- 01:50:50 GMT', as ARM writes next*DowngradeTime) → UTC timestamp.
create or replace macro inv_timestamp(text) as coalesce(
  -- coalesce stops at the first non-NULL: the plain cast handles the common full ISO form cheaply
  try_cast(trim(text) as timestamptz)::timestamp,
  try_cast(
    regexp_replace(trim(text), '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})(Z|[+-][0-9]{2}:?[0-9]{2})?$', '\1:00\2')
    as timestamptz
  )::timestamp,
  try_strptime(trim(text), '%a, %d %b %Y %H:%M:%S GMT')
);

-- Integers only: '10.0', '1e3' or '12 GiB' are not integers here (TRY_CAST alone would round or accept them);
-- beyond BIGINT is NULL too.
create or replace macro inv_bigint(text) as
  case when regexp_full_match(trim(text), '[+-]?[0-9]+') then try_cast(trim(text) as bigint) end;

create or replace macro inv_boolean(text) as
  case lower(trim(text)) when 'true' then true when '1' then true when 'false' then false when '0' then false end;

-- NULL for absent or blank text (CSV cells, JSON nulls).
create or replace macro inv_text(text) as nullif(trim(text), '');

-- ISO text of a timestamp for ids and messages: 2024-03-01T00:00:00Z, with microseconds only when present.
create or replace macro inv_iso(ts) as
  case when epoch_us(ts) % 1000000 = 0 then strftime(ts, '%Y-%m-%dT%H:%M:%SZ') else strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') end;

-- The id of a share or disk-snapshot interval: its resource @ its start, ISO (share_interval_id, snapshot_interval_id).
-- Derived, never looked up: the evidence of an expected row names its intervals from expected_interval alone.
create or replace macro inv_interval_id(resource_id, valid_from) as resource_id || '@' || inv_iso(valid_from);

-- A property of an ARM resource as ARM REST writes it (nested under properties) or as az prints it (flattened).
create or replace macro inv_prop(item, name) as
  coalesce(json_extract_string(item, '$.properties.' || name), json_extract_string(item, '$.' || name));

-- The problem with a non-negative integer field, or NULL when it is absent or fine.
create or replace macro inv_count_problem(name, text) as
  case
    when inv_text(text) is null then null
    when inv_bigint(text) is null then name || ' ''' || trim(text) || ''' is not an integer'
    when inv_bigint(text) < 0 then name || ' is negative (' || trim(text) || ')'
  end;

-- The problem with a timestamp field, or NULL when it is absent or fine.
create or replace macro inv_timestamp_problem(name, text) as
  case
    when inv_text(text) is not null and inv_timestamp(text) is null
      then name || ' ''' || trim(text) || ''' is not an ISO-8601 timestamp'
  end;

-- The problems of a record joined with '; ' (NULL when there are none).
create or replace macro inv_reasons(problems) as nullif(array_to_string(list_filter(problems, p -> p is not null), '; '), '');

-- Storage-account SKU → billing model, media and redundancy (billing-rules.md §1). RA-GRS and RA-GZRS: Azure
-- Files does not offer read access to the secondary and bills those accounts' shares as GRS and GZRS.
create or replace macro inv_sku_billing_model(sku) as
  case
    when lower(sku) in ('premiumv2_lrs', 'premiumv2_zrs') then 'v2'
    when lower(sku) in ('standardv2_lrs', 'standardv2_zrs', 'standardv2_grs', 'standardv2_gzrs') then 'v2'
    when lower(sku) in ('premium_lrs', 'premium_zrs') then 'v1'
    when lower(sku) in ('standard_lrs', 'standard_zrs', 'standard_grs', 'standard_gzrs', 'standard_ragrs', 'standard_ragzrs')
      then 'payg'
  end;

create or replace macro inv_sku_media_tier(sku) as
  case when inv_sku_billing_model(sku) is not null then case when lower(sku) like 'premium%' then 'ssd' else 'hdd' end end;

create or replace macro inv_redundancy(text) as
  case lower(trim(text))
    when 'lrs' then 'lrs' when 'zrs' then 'zrs' when 'grs' then 'grs' when 'gzrs' then 'gzrs'
    when 'ragrs' then 'grs' when 'ragzrs' then 'gzrs' when 'ra-grs' then 'grs' when 'ra-gzrs' then 'gzrs'
  end;

create or replace macro inv_sku_redundancy(sku) as
  case when inv_sku_billing_model(sku) is not null then inv_redundancy(split_part(sku, '_', 2)) end;

-- A JSON value's kind in JSON's own words (json_type says VARCHAR, UBIGINT …), for messages.
create or replace macro inv_json_kind(value) as
  case json_type(value)
    when 'OBJECT' then 'object' when 'ARRAY' then 'array' when 'VARCHAR' then 'string' when 'BOOLEAN' then 'boolean'
    when 'NULL' then 'null' else 'number'
  end;

-- How far the inventory vouches for the last state it recorded of a share or snapshot (docs/inventory.md).
-- share_state.csv and disk_snapshot.csv are change logs (contract.md): their last row holds until as_of
-- (--inventory-as-of) when given, else to the end of the billed period (billed_until). A JSON snapshot (az … list
-- output) vouches to the end of its observation's UTC day, or to as_of when later. Never before the end of the
-- observation's own day.
create or replace macro inventory_held_to(source_kind, observed_at, as_of, billed_until) as
  greatest(
    date_trunc('day', observed_at) + interval 1 day,
    case when source_kind = 'csv' then coalesce(as_of, billed_until) else as_of end
  );

-- inventory_horizon (view) — grain: one row. How far the inventory as a whole vouches for what it saw: the latest
-- time it looked at anything, in whole seconds. Open intervals without their own covered_to, and resources known to
-- be gone, hold until then. Read by the recompute scope and the dispute timeline, so both draw the same line.
create or replace view inventory_horizon as
with
observed_time as (
  select max(observed_at) as observed_at from share_interval
  union all select max(valid_from) from share_interval
  union all select max(covered_to) from share_interval
  union all select max(observed_at) from disk_snapshot_interval
  union all select max(valid_from) from disk_snapshot_interval
  union all select max(covered_to) from disk_snapshot_interval
  union all select max(observed_at) from share_observation
  union all select max(observed_at) from storage_account_observation
  union all select max(observed_at) from disk_snapshot_observation
),
final as (
  select date_trunc('second', max(observed_at)) as horizon from observed_time
)
select * from final;

-- source_interval: every share interval and disk-snapshot interval in one shape (grain: source_interval_id), with
-- the one rule for where an open interval ends: vouched_to is valid_to, else how far the inventory vouches for it —
-- its covered_to (set by the interval builder, whole seconds rounded down: the inventory vouches for no more than
-- it says), else the inventory horizon. Read by recompute (recompute_source_interval) and the dispute's timeline
-- (dispute_source_span). A disk snapshot is billed on its own id and has no soft-deleted state (deletion ends its
-- interval); is_gone_after: after this interval, if it is the last, the resource is known to be gone for good.
create or replace view source_interval as
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
